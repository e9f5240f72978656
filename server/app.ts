/**
 * The composition root: `createApplication(config, components)` opens the store, builds the
 * services, the HTTP app (server/http/http-app.ts), Socket.IO and the maintenance scheduler on one
 * HTTP server. Tests call it on port 0 with a temp data folder; the `npm run serve` entry and the
 * Electron embedded server call it with the real configuration.
 */
import type { Server as HttpServer } from 'node:http';
import type { Config } from './config';
import { createHttpApp } from './http/http-app';
import { listenForMetrics } from './http/metrics-listener';
import { createHostCheck } from './http/network-trust';
import { MaintenanceScheduler } from './maintenance';
import { createLogger, type Logger } from './observability/logger';
import { createMetrics, type Metrics } from './observability/metrics';
import { CallRooms } from './realtime/call.handlers';
import { RtcRelay } from './realtime/rtc-relay.handlers';
import { createRedisAdapter } from './realtime/redis-adapter';
import { createRealtime, type ClassroomIo } from './realtime/socket-server';
import type { AuthService } from './services/auth.service';
import { isoAt, systemClock, systemScheduleAt, type Clock, type ScheduleAt } from './services/clock';
import { createServices, type ServiceOptions } from './services/compose-services';
import { ChatService } from './services/chat.service';
import { buildDemoData } from './services/demo-data';
import type { NotificationService } from './services/notifications.service';
import type { ScheduleService } from './services/schedule.service';
import type { SessionsService } from './services/sessions.service';
import type { ClassroomStore } from './store/classroom-store';
import { openStore } from './store/open-store';
import { SERVER_VERSION } from './version';

export interface AppOptions extends ServiceOptions {
  notificationAckTimeoutMs: number;
  /** How often expired rows are purged and unacknowledged rings retried (sessions end by their own timers). */
  maintenanceIntervalMs: number;
  notificationRetryAfterMs: number;
  /** Folder of the built web client served at `/`; null to serve the API only. */
  webRoot: string | null;
  /** Count loopback peers against the per-address connection cap (only tests of the cap). */
  countLoopbackConnections: boolean;
}

export const DEFAULT_APP_OPTIONS: AppOptions = {
  maxRoomTokenTtlMs: 4 * 60 * 60 * 1000,
  notificationAckTimeoutMs: 10_000,
  maintenanceIntervalMs: 30_000,
  notificationRetryAfterMs: 30_000,
  webRoot: null,
  loginThrottle: {},
  passwordPool: {},
  countLoopbackConnections: false,
};

export interface Components {
  store?: ClassroomStore;
  clock?: Clock;
  /** When the clock reaches a moment, run a callback (tests that move the clock move this too). */
  scheduleAt?: ScheduleAt;
  logger?: Logger;
  options?: Partial<AppOptions>;
}

export interface Application {
  config: Config;
  http: HttpServer;
  io: ClassroomIo;
  store: ClassroomStore;
  metrics: Metrics;
  logger: Logger;
  services: { auth: AuthService; sessions: SessionsService; notifications: NotificationService; schedule: ScheduleService };
  /** True when this start seeded the demo accounts into an empty store. */
  demoSeeded: boolean;
  /** One maintenance pass now (expiry, purge, retries); the timer runs the same. */
  runMaintenance(): Promise<void>;
  listen(): Promise<string>;
  /** Where the separate metrics listener serves (CLASSROOM_METRICS_LISTEN), once listening. */
  metricsUrl: string | null;
  close(): Promise<void>;
}

export async function createApplication(config: Config, components: Components = {}): Promise<Application> {
  const options: AppOptions = { ...DEFAULT_APP_OPTIONS, ...components.options };
  const clock = components.clock ?? systemClock;
  const logger = components.logger ?? createLogger(config.logLevel);
  const metrics = createMetrics();
  const store = components.store ?? (await openStore(config, { onWrite: ({ durationMs, coalesced }) => (metrics.storeWrites.observe(durationMs / 1000), metrics.storeWriteCoalesced.observe(coalesced)) }));
  // Undone in reverse on close, or on a failed start.
  const onClose: Array<() => Promise<unknown>> = components.store ? [] : [() => store.close()];
  const closeAll = async () => {
    for (const step of onClose.reverse()) await step().catch((error: unknown) => logger.error({ err: error }, 'close step failed'));
  };
  try {
    const demo = config.demo ? await buildDemoData(isoAt(clock())) : null;
    const demoSeeded = demo ? await store.seedIfEmpty(demo.users, demo.bookings) : false;
    const services = await createServices(config, store, { clock, logger, metrics }, options);
    onClose.push(() => services.close());
    const hostAllowed = createHostCheck(config);
    const app = await createHttpApp(config, { services, store, logger, metrics }, { version: SERVER_VERSION, webRoot: options.webRoot, countLoopbackConnections: options.countLoopbackConnections, hostAllowed });
    onClose.push(() => app.close());
    const redisAdapter = config.store === 'redis' && config.redisUrl ? await createRedisAdapter(config.redisUrl) : null;
    if (redisAdapter) onClose.push(() => redisAdapter.close());
    const relay = new RtcRelay(store, services.issuer, clock, logger);
    const calls = new CallRooms(new ChatService(store, clock), logger);
    const { io, transport, presence } = createRealtime(app.server, { auth: services.auth, notifications: services.notifications, rings: services.rings, relay, calls, store, logger, metrics, clock }, { ackTimeoutMs: options.notificationAckTimeoutMs, allowedOrigins: config.allowedOrigins, hostAllowed, adapter: redisAdapter?.adapter });
    onClose.push(() => new Promise<void>((resolve) => (io.disconnectSockets(true), io.close(() => resolve()))));
    services.notifications.attach(transport);
    services.rings.attach(transport);
    services.schedule.attachPresence(presence);
    const maintenance = new MaintenanceScheduler({ ...services, store, clock, scheduleAt: components.scheduleAt ?? systemScheduleAt, logger, onPass: services.sweep }, { intervalMs: options.maintenanceIntervalMs, notificationRetryAfterMs: options.notificationRetryAfterMs });
    await maintenance.start();
    onClose.push(() => maintenance.stop());

    let closed = false;
    const application: Application = {
      config, http: app.server, io, store, metrics, logger, services, demoSeeded, metricsUrl: null,
      runMaintenance: () => maintenance.runPass(),
      async listen() {
        await app.listen({ port: config.port, host: config.host });
        if (config.limits.metricsListen) {
          const listener = await listenForMetrics(metrics, config.limits.metricsListen.host, config.limits.metricsListen.port);
          onClose.push(() => listener.close());
          application.metricsUrl = listener.url;
        }
        const address = app.server.address();
        const port = typeof address === 'object' && address ? address.port : config.port;
        return `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
      },
      async close() {
        if (closed) return;
        closed = true;
        await closeAll();
      },
    };
    return application;
  } catch (error) {
    await closeAll();
    throw error;
  }
}
