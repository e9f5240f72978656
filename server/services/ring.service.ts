/**
 * The ring as a call: the student answers it (joins or declines, optionally with a quick reply
 * that reaches the mentor live), it becomes missed when it rings out, and the mentor can ring
 * again. The outbox row carries the ring, so every server node sees the same answer.
 */
import type { RingData, RingStatus } from '@contract/api';
import { isSessionLive, type NotificationRecord, type SessionRecord } from '../store/records';
import type { Logger } from '../observability/logger';
import type { ClassroomStore } from '../store/classroom-store';
import type { Identity } from './auth.service';
import { isoAt, type Clock } from './clock';
import { AppError, forbidden } from './errors';
import type { NotificationService } from './notifications.service';
import { ringStatusOf } from './ring-status';
import type { SessionEvents } from './session-events';

/** Implemented by the realtime layer: tells both people's apps. */
export interface RingTransport {
  ringStateChanged(session: SessionRecord, ring: RingStatus): void;
}

export class RingService {
  private transport: RingTransport | undefined;
  /** Per ringing session on this node: the moment it rings out (best effort; reads derive it anyway). */
  private readonly ringOutTimers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly store: ClassroomStore,
    private readonly notifications: NotificationService,
    private readonly events: SessionEvents,
    private readonly clock: Clock,
    private readonly logger: Logger,
    readonly timeoutMs: number,
  ) {}

  attach(transport: RingTransport): void {
    this.transport = transport;
  }

  async status(session: SessionRecord): Promise<RingStatus> {
    return this.statusOf(session, await this.store.getNotification(session.id));
  }

  private statusOf(session: SessionRecord, row: NotificationRecord | undefined): RingStatus {
    return ringStatusOf(row, session, { nowMs: this.clock(), timeoutMs: this.timeoutMs });
  }

  private async liveSession(sessionId: string): Promise<SessionRecord> {
    const session = await this.store.getSession(sessionId);
    if (!session) throw new AppError(404, 'SESSION_NOT_FOUND', `There is no session ${sessionId}.`);
    if (!isSessionLive(session, this.clock())) throw new AppError(409, 'SESSION_NOT_LIVE', 'This session is no longer live.');
    return session;
  }

  /** The student declines the ring; a reason (quick reply) is shown to the mentor as it was written. */
  async decline(identity: Identity, sessionId: string, reason?: string): Promise<RingData> {
    const session = await this.store.getSession(sessionId);
    if (session && session.student_id !== identity.user.id) {
      throw forbidden(session.mentor_id === identity.user.id ? 'Only the student can decline the ring.' : 'This is not your session.');
    }
    const live = await this.liveSession(sessionId);
    const why = reason?.trim() ? reason.trim() : null;
    // One atomic step in the store (answerChangesRing): a decline never replaces a join — it would
    // tell the mentor the opposite of the truth — and the same decline again (a second click, a
    // toast firing twice, a retry) changes nothing and tells no one again.
    const answered = await this.store.answerRing(live.id, 'declined', isoAt(this.clock()), why);
    if (answered?.row.answer === 'joined') throw new AppError(409, 'CONFLICT', 'You have already joined this session; leave the meeting instead.');
    if (!answered?.changed) return { sessionId: live.id, ring: this.statusOf(live, answered?.row) };
    this.events.record('declined', live, { withReason: why !== null });
    return { sessionId: live.id, ring: await this.announce(live) };
  }

  /** The mentor rings again (after a decline or a missed ring); a ring still ringing is left as it is. */
  async ringAgain(identity: Identity, sessionId: string): Promise<RingData> {
    const session = await this.store.getSession(sessionId);
    if (session && session.mentor_id !== identity.user.id) throw forbidden('Only the mentor of this session can ring the student.');
    const live = await this.liveSession(sessionId);
    const current = await this.status(live);
    if (current.state === 'ringing') return { sessionId: live.id, ring: current };
    await this.store.restartRing(live.id, isoAt(this.clock()));
    this.events.record('rung_again', live, { attempt: current.attempt + 1 });
    const ring = await this.announce(live);
    this.notifications.notify(live, 'resent').catch((error: unknown) => this.logger.error({ err: error, sessionId: live.id }, 'ring again: sending failed'));
    return { sessionId: live.id, ring };
  }

  /** The student entered the room: the ring is answered. */
  async studentJoined(session: SessionRecord): Promise<void> {
    const answered = await this.store.answerRing(session.id, 'joined', isoAt(this.clock()), null);
    if (answered?.changed) await this.announce(session);
  }

  /** Tells both apps the ring's current state, and arms the ring-out moment while it rings. */
  async announce(session: SessionRecord): Promise<RingStatus> {
    const ring = await this.status(session);
    this.transport?.ringStateChanged(session, ring);
    clearTimeout(this.ringOutTimers.get(session.id));
    this.ringOutTimers.delete(session.id);
    if (ring.state === 'ringing' && ring.ringsUntil) {
      const timer = setTimeout(() => {
        this.ringOutTimers.delete(session.id);
        void this.store.getSession(session.id).then((current) => {
          if (current && isSessionLive(current, this.clock())) return this.announce(current);
        }).catch((error: unknown) => this.logger.error({ err: error, sessionId: session.id }, 'ring-out announcement failed'));
      }, Math.max(0, Date.parse(ring.ringsUntil) - this.clock()) + 50);
      timer.unref();
      this.ringOutTimers.set(session.id, timer);
    }
    return ring;
  }

  close(): void {
    for (const timer of this.ringOutTimers.values()) clearTimeout(timer);
    this.ringOutTimers.clear();
  }
}
