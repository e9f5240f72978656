/**
 * Time-driven work of the server: each live session ends at its expiry to the second (a timer per
 * session, armed when it is created and, after a restart, for every session still live), and a
 * periodic pass purges expired rows, retries unacknowledged rings and catches anything a timer
 * missed (a session created on another node).
 */
import type { Logger } from './observability/logger';
import type { ScheduleAt } from './services/clock';
import type { NotificationService } from './services/notifications.service';
import type { SessionEvents } from './services/session-events';
import type { SessionsService } from './services/sessions.service';
import type { ClassroomStore } from './store/classroom-store';

export interface MaintenanceDeps {
  store: ClassroomStore;
  sessions: SessionsService;
  notifications: NotificationService;
  events: SessionEvents;
  clock: () => number;
  scheduleAt: ScheduleAt;
  logger: Logger;
  /** Extra work for each pass (forgetting expired throttle counts). */
  onPass?: () => void;
}

export interface MaintenanceOptions {
  intervalMs: number;
  notificationRetryAfterMs: number;
}

export class MaintenanceScheduler {
  private running: Promise<void> | null = null;
  private interval: NodeJS.Timeout | null = null;
  private readonly expiryTimers = new Map<string, () => void>();
  private stopped = false;

  constructor(
    private readonly deps: MaintenanceDeps,
    private readonly options: MaintenanceOptions,
  ) {
    deps.events.onEvent((event, session) => {
      if (event === 'created') this.armExpiry(session.id, Date.parse(session.expires_at));
      if (event === 'ended' || event === 'expired') this.disarmExpiry(session.id);
    });
  }

  /** Arms expiry timers for the sessions already live (after a restart) and starts the periodic pass. */
  async start(): Promise<void> {
    // Every session not yet ended is "expired" as of the end of time: the list of all unended ones.
    for (const session of await this.deps.store.listExpiredUnendedSessions(Number.MAX_SAFE_INTEGER)) {
      this.armExpiry(session.id, Date.parse(session.expires_at));
    }
    this.interval = setInterval(() => void this.runPass(), this.options.intervalMs);
    this.interval.unref();
  }

  private armExpiry(sessionId: string, expiresAtMs: number): void {
    if (this.stopped || this.expiryTimers.has(sessionId)) return;
    const cancel = this.deps.scheduleAt(expiresAtMs, () => {
      this.expiryTimers.delete(sessionId);
      this.deps.sessions.expireDue().catch((error: unknown) => this.deps.logger.error({ err: error, sessionId }, 'session expiry failed'));
    });
    this.expiryTimers.set(sessionId, cancel);
  }

  private disarmExpiry(sessionId: string): void {
    this.expiryTimers.get(sessionId)?.();
    this.expiryTimers.delete(sessionId);
  }

  /** One pass now (expiry, purge, retries); the interval runs the same. Concurrent calls share one pass. */
  runPass(): Promise<void> {
    this.running ??= (async () => {
      try {
        await this.deps.sessions.expireDue();
        await this.deps.store.purgeExpired(this.deps.clock());
        await this.deps.notifications.retryPending(this.options.notificationRetryAfterMs);
        this.deps.onPass?.();
      } catch (error) {
        this.deps.logger.error({ err: error }, 'maintenance pass failed');
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.interval) clearInterval(this.interval);
    for (const cancel of this.expiryTimers.values()) cancel();
    this.expiryTimers.clear();
    await this.running;
  }
}
