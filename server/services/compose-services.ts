/**
 * The services of one server, wired together: sign-ins (with the password worker pool and the
 * login throttle), room tokens, rings, sessions and schedules. No HTTP or socket code here.
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../config';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { ClassroomStore } from '../store/classroom-store';
import { RedisThrottleState } from '../store/redis/redis-throttle-state';
import { AuthService } from './auth.service';
import type { Clock } from './clock';
import { LoginThrottle, MemoryThrottleState, type LoginThrottleOptions } from './login-throttle';
import { NotificationService } from './notifications.service';
import { PasswordWorkerPool, type PasswordPoolOptions } from './password-pool';
import { RingService } from './ring.service';
import { RoomTokenService } from './room-token.service';
import { ScheduleService } from './schedule.service';
import { SessionEvents } from './session-events';
import { SessionsService } from './sessions.service';
import { P2pRoomTokenIssuer, ZegoRoomTokenIssuer, type RoomTokenIssuer } from './tokens/room-tokens';

export interface ServiceOptions {
  maxRoomTokenTtlMs: number;
  /** Overrides of the throttle from the configuration; null switches it off (tests not about it). */
  loginThrottle: Partial<LoginThrottleOptions> | null;
  passwordPool: Partial<PasswordPoolOptions>;
  /** Token lives shorter than the configuration's minutes and days (tests of renewal); unset: the configuration's. */
  accessTokenTtlMs?: number;
  refreshTokenTtlMs?: number;
}

export interface Services {
  issuer: RoomTokenIssuer;
  events: SessionEvents;
  auth: AuthService;
  notifications: NotificationService;
  sessions: SessionsService;
  schedule: ScheduleService;
  rings: RingService;
  passwords: PasswordWorkerPool;
  /** Counters shared by every node (Redis) when the store is Redis; null otherwise. */
  sharedCounters: RedisThrottleState | null;
  /** Forgets expired throttle counts (the maintenance pass calls it). */
  sweep(): void;
  close(): Promise<void>;
}

export async function createServices(
  config: Config,
  store: ClassroomStore,
  deps: { clock: Clock; logger: Logger; metrics: Metrics },
  options: ServiceOptions,
): Promise<Services> {
  const { clock, logger, metrics } = deps;
  const issuer: RoomTokenIssuer = config.zego
    ? new ZegoRoomTokenIssuer(config.zego)
    : new P2pRoomTokenIssuer(await store.getOrCreateSecret('p2p_signing_key', () => randomBytes(32).toString('base64')));

  const sharedCounters = config.store === 'redis' && config.redisUrl ? RedisThrottleState.create(config.redisUrl) : null;
  const memoryCounters = new MemoryThrottleState(clock);
  const throttle =
    options.loginThrottle === null
      ? null
      : new LoginThrottle(sharedCounters ?? memoryCounters, clock, {
          addressFailures: config.limits.loginFailuresPerAddress,
          accountFreeFailures: config.limits.loginAccountFreeFailures,
          ...options.loginThrottle,
        });
  const passwords = new PasswordWorkerPool({ threads: config.limits.passwordThreads, ...options.passwordPool });

  const events = new SessionEvents(logger, metrics);
  const tokenLives = {
    accessTokenTtlMs: options.accessTokenTtlMs ?? config.auth.accessTokenTtlMs,
    refreshTokenTtlMs: options.refreshTokenTtlMs ?? config.auth.refreshTokenTtlMs,
  };
  const auth = new AuthService(store, clock, tokenLives, passwords, throttle, logger);
  const roomTokens = new RoomTokenService(store, issuer, clock, options.maxRoomTokenTtlMs);
  const notifications = new NotificationService(store, roomTokens, events, clock, (seconds) => metrics.notificationAckSeconds.observe(seconds), config.ringTimeoutMs);
  const rings = new RingService(store, notifications, events, clock, logger, config.ringTimeoutMs);
  const sessions = new SessionsService(store, roomTokens, notifications, events, clock, { iceServers: config.iceServers, zegoServer: config.zego?.serverUrl ?? null }, rings);
  const schedule = new ScheduleService(store, notifications, clock, rings);
  return {
    issuer,
    events,
    auth,
    notifications,
    sessions,
    schedule,
    rings,
    passwords,
    sharedCounters,
    sweep: () => memoryCounters.sweep(),
    async close() {
      rings.close();
      await passwords.close();
      await sharedCounters?.close();
    },
  };
}
