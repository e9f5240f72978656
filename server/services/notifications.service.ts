/**
 * "Session started" delivery through the outbox: at-least-once to the student's apps (sent when the
 * session is created, again on every connect and on a retry timer until acknowledged), exactly-once
 * on screen because clients de-duplicate by sessionId. The outbox row is written with the session,
 * so a crash between creating and ringing loses nothing.
 */
import { SESSION_STARTED_MESSAGE, type SessionNotification } from '@contract/api';
import { formatHour, parseSlotId, type DeliveryState } from '@contract/domain';
import { isSessionLive, type NotificationRecord, type SessionRecord, type SessionTokenRecord } from '../store/records';
import type { ClassroomStore } from '../store/classroom-store';
import { isoAt, type Clock } from './clock';
import type { RoomTokenService } from './room-token.service';
import { DEFAULT_RING_TIMEOUT_MS, ringStatusOf } from './ring-status';
import type { SessionEvents } from './session-events';
import { isValidTimeZone, mondayOfWeek, slotInstants } from './time-zones';

/** Sends one payload and resolves with how many of the student's apps acknowledged it. */
export type SendNotification = (payload: SessionNotification) => Promise<number>;

/** Implemented by the realtime layer; services stay free of socket code. */
export interface NotificationTransport {
  sendToStudent(studentId: string, payload: SessionNotification): Promise<number>;
  isStudentOnline(studentId: string): Promise<boolean>;
  sessionEnded(session: SessionRecord): void;
  deliveryStateChanged(session: SessionRecord, state: DeliveryState): void;
  /** An app of the student has the ring: it rings from now on. */
  ringDelivered(session: SessionRecord): void;
}

export type NotifyReason = 'created' | 'resent' | 'replay' | 'retry';

/** What the creator of a session already holds: the mentor's name and the student's fresh token. */
export interface KnownForRing {
  mentorName?: string;
  /** The mentor's zone, in which the slot is a wall-clock time. */
  mentorTimeZone?: string;
  studentToken?: SessionTokenRecord;
  /** The outbox row, when the caller has just written it. */
  ring?: NotificationRecord;
}

export class NotificationService {
  private transport: NotificationTransport | undefined;

  constructor(
    private readonly store: ClassroomStore,
    private readonly roomTokens: RoomTokenService,
    private readonly events: SessionEvents,
    private readonly clock: Clock,
    private readonly onAcknowledged: (seconds: number) => void = () => undefined,
    private readonly ringTimeoutMs = DEFAULT_RING_TIMEOUT_MS,
  ) {}

  attach(transport: NotificationTransport): void {
    this.transport = transport;
  }

  /**
   * The `session_notification` payload (docs/interface.md §3) for a live session, with the student's token.
   * A caller that has just created the session passes what it knows, sparing the store lookups
   * before the ring goes out.
   */
  async payloadFor(session: SessionRecord, known: KnownForRing = {}): Promise<SessionNotification> {
    const mentor = known.mentorName !== undefined && known.mentorTimeZone !== undefined ? undefined : await this.store.getUser(session.mentor_id);
    const mentorName = known.mentorName ?? mentor?.name ?? session.mentor_id;
    const slot = parseSlotId(session.slot_id);
    const token = known.studentToken ?? (await this.roomTokens.current(session, session.student_id, 'student'));
    const zone = known.mentorTimeZone ?? mentor?.time_zone;
    const timeZone = zone && isValidTimeZone(zone) ? zone : 'UTC';
    const createdMs = Date.parse(session.created_at);
    // The slot's occurrence in the week the session was started (the mentor's week).
    const occurrence = slot ? slotInstants(slot, mondayOfWeek(timeZone, createdMs), timeZone) : { startsAtMs: createdMs, endsAtMs: Date.parse(session.expires_at) };
    const row = known.ring ?? (await this.store.getNotification(session.id));
    return {
      sessionId: session.id,
      roomId: session.room_id,
      token: token.token,
      mentorName,
      sessionType: session.session_type,
      startTime: slot ? formatHour(slot.startHour) : '',
      endTime: slot ? formatHour(slot.endHour) : '',
      message: SESSION_STARTED_MESSAGE,
      expiresAt: session.expires_at,
      startsAt: isoAt(occurrence.startsAtMs),
      endsAt: isoAt(occurrence.endsAtMs),
      // Seen from the app receiving this payload: to it the ring is ringing from now, if not yet.
      ring: ringStatusOf(row, session, { nowMs: this.clock(), timeoutMs: this.ringTimeoutMs, deliveringNow: true }),
    };
  }

  /**
   * Rings the student's connected apps (or the one socket `send` targets). Resolves once the send
   * has been acknowledged or timed out; callers that must not wait do not await it.
   */
  async notify(session: SessionRecord, reason: NotifyReason, send?: SendNotification, known?: KnownForRing): Promise<boolean> {
    const transport = this.transport;
    if (!transport && !send) return false;
    const payload = await this.payloadFor(session, known);
    const sentAt = this.clock();
    const deliver = send ?? ((p: SessionNotification) => transport!.sendToStudent(session.student_id, p));
    const [acknowledgements] = await Promise.all([deliver(payload), this.store.markNotificationSent(session.id, isoAt(sentAt))]);
    this.events.record('notified', session, { reason });
    if (acknowledgements === 0) return false;
    await this.acknowledged(session, sentAt);
    return true;
  }

  /** Marks the outbox row delivered (once) and tells the mentor's apps. */
  async acknowledged(session: SessionRecord, sentAtMs?: number): Promise<void> {
    const before = await this.store.getNotification(session.id);
    if (!before || before.delivered_at !== null) return;
    const now = this.clock();
    await this.store.markNotificationDelivered(session.id, isoAt(now));
    if (sentAtMs !== undefined) this.onAcknowledged((now - sentAtMs) / 1000);
    this.events.record('delivered', session);
    if (session.student_joined_at === null) this.transport?.deliveryStateChanged(session, 'delivered');
    this.transport?.ringDelivered(session);
  }

  /** On a student's connect: everything not yet acknowledged, to that socket. */
  async replayPending(studentId: string, send: SendNotification): Promise<number> {
    const pending = await this.store.listUndeliveredNotifications(studentId);
    let replayed = 0;
    for (const row of pending) {
      const session = await this.store.getSession(row.session_id);
      if (!session || !isSessionLive(session, this.clock())) continue;
      await this.notify(session, 'replay', send);
      replayed++;
    }
    return replayed;
  }

  /** Timer: re-send to online students whose apps have not acknowledged within `olderThanMs`. */
  async retryPending(olderThanMs: number): Promise<number> {
    if (!this.transport) return 0;
    const now = this.clock();
    let retried = 0;
    for (const row of await this.store.listUndeliveredNotifications()) {
      if (row.last_sent_at !== null && now - Date.parse(row.last_sent_at) < olderThanMs) continue;
      const session = await this.store.getSession(row.session_id);
      if (!session || !isSessionLive(session, now)) continue;
      if (!(await this.transport.isStudentOnline(row.student_id))) continue;
      void this.notify(session, 'retry').catch((error: unknown) => this.events.failed('notify', session, error, { reason: 'retry' }));
      retried++;
    }
    return retried;
  }

  /** Mentor-side view of how far the ring got. */
  async deliveryState(session: SessionRecord): Promise<DeliveryState> {
    if (session.student_joined_at !== null) return 'joined';
    const row = await this.store.getNotification(session.id);
    return row?.delivered_at ? 'delivered' : 'notified';
  }

  sessionEnded(session: SessionRecord): void {
    this.transport?.sessionEnded(session);
  }

  sessionJoinedByStudent(session: SessionRecord): void {
    this.transport?.deliveryStateChanged(session, 'joined');
  }
}
