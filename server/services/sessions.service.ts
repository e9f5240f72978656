/**
 * Sessions: the seed's create-session / notify-session-start, plus join, end and the student's
 * live sessions. Every method takes the caller's proven identity and enforces who may do what.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type {
  CreateSessionData,
  CreateSessionRequest,
  EndSessionData,
  JoinSessionData,
  NotifySessionStartData,
  NotifySessionStartRequest,
  StudentSessionsData,
} from '@contract/api';
import { parseSlotId } from '@contract/domain';
import { isSessionLive, type NotificationRecord, type SessionRecord } from '../store/records';
import type { ClassroomStore } from '../store/classroom-store';
import type { Identity } from './auth.service';
import { isoAt, type Clock } from './clock';
import { AppError, forbidden } from './errors';
import type { NotificationService } from './notifications.service';
import type { RingService } from './ring.service';
import type { RoomTokenService } from './room-token.service';
import type { SessionEvents } from './session-events';

const HOUR_MS = 60 * 60 * 1000;
const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('base64url')}`;

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** What clients need besides a token to reach the media: ICE servers (p2p) or the ZEGO server address. */
export interface MediaSettings {
  iceServers: JoinSessionData['iceServers'];
  zegoServer: string | null;
}

export class SessionsService {
  constructor(
    private readonly store: ClassroomStore,
    private readonly roomTokens: RoomTokenService,
    private readonly notifications: NotificationService,
    private readonly events: SessionEvents,
    private readonly clock: Clock,
    private readonly media: MediaSettings,
    private readonly rings: RingService,
  ) {}

  private requireMentor(identity: Identity): void {
    if (identity.user.role !== 'mentor') throw forbidden('Only a mentor can do this.');
  }

  private async requireSession(sessionId: string): Promise<SessionRecord> {
    const session = await this.store.getSession(sessionId);
    if (!session) throw new AppError(404, 'SESSION_NOT_FOUND', `There is no session ${sessionId}.`);
    return session;
  }

  private requireLive(session: SessionRecord): void {
    if (!isSessionLive(session, this.clock())) {
      throw new AppError(409, 'SESSION_NOT_LIVE', session.status === 'ended' ? 'This session has ended.' : 'This session has expired.');
    }
  }

  /** The seed's create-session (docs/interface.md §2, mentor flow §4): idempotent per live slot; notifies the student itself. */
  async createSession(identity: Identity, request: CreateSessionRequest): Promise<CreateSessionData> {
    this.requireMentor(identity);
    if (request.mentorId !== identity.user.id) throw forbidden('You can only start sessions as yourself (mentorId is not your user ID).');
    const student = await this.store.getUser(request.studentId);
    if (!student || student.role !== 'student') throw new AppError(404, 'NOT_FOUND', `There is no student ${request.studentId}.`);
    const booking = await this.store.findBooking(identity.user.id, request.studentId, request.slotId);
    if (!booking) {
      throw new AppError(404, 'BOOKING_NOT_FOUND', `${request.studentId} has no booking with you at ${request.slotId}.`);
    }
    const slot = parseSlotId(request.slotId)!;

    const nowMs = this.clock();
    const draft: SessionRecord = {
      id: newId('session'),
      room_id: newId('room'),
      mentor_id: identity.user.id,
      student_id: request.studentId,
      slot_id: request.slotId,
      session_type: request.sessionType,
      status: 'created',
      created_at: isoAt(nowMs),
      started_at: null,
      ended_at: null,
      expires_at: isoAt(nowMs + (slot.endHour - slot.startHour) * HOUR_MS),
      end_reason: null,
      mentor_joined_at: null,
      student_joined_at: null,
    };
    const mentorToken = this.roomTokens.mint(draft, draft.mentor_id, 'mentor');
    const studentToken = this.roomTokens.mint(draft, draft.student_id, 'student');
    const ring: NotificationRecord = { session_id: draft.id, student_id: draft.student_id, created_at: draft.created_at, last_sent_at: null, send_count: 0, delivered_at: null };
    const { session, created } = await this.store.createSessionUnlessLive({ session: draft, tokens: [mentorToken, studentToken], notification: ring }, nowMs);

    // Ring now (a repeat call re-rings an app that has not acknowledged yet); the reply does not wait for the ack.
    if (created) {
      this.events.record('created', session, { sessionType: session.session_type });
      void this.notifications
        .notify(session, 'created', undefined, { mentorName: identity.user.name, studentToken, ring })
        .catch((error: unknown) => this.events.failed('notify', session, error, { reason: 'created' }));
    } else {
      const outbox = await this.store.getNotification(session.id);
      if (outbox && outbox.delivered_at === null) {
        void this.notifications.notify(session, 'resent').catch((error: unknown) => this.events.failed('notify', session, error, { reason: 'resent' }));
      }
    }

    const token = created ? mentorToken : await this.roomTokens.current(session, session.mentor_id, 'mentor');
    return {
      sessionId: session.id,
      roomId: session.room_id,
      token: token.token,
      appId: this.roomTokens.issuer.appId,
      expiresAt: session.expires_at,
    };
  }

  /** The seed's notify-session-start (docs/interface.md §2): (re-)sends the notification; the body's token must be the student's for that room. */
  async notifySessionStart(identity: Identity, request: NotifySessionStartRequest): Promise<NotifySessionStartData> {
    this.requireMentor(identity);
    const session = await this.store.findSessionByRoom(request.roomId);
    if (!session) throw new AppError(404, 'SESSION_NOT_FOUND', `There is no session in room ${request.roomId}.`);
    if (session.mentor_id !== identity.user.id) throw forbidden('This is not your session.');
    if (session.student_id !== request.studentId) throw forbidden(`${request.studentId} is not the student of this session.`);
    this.requireLive(session);
    const studentToken = await this.store.getSessionToken(session.id, session.student_id);
    const valid =
      studentToken !== undefined && Date.parse(studentToken.expires_at) > this.clock() && sameSecret(studentToken.token, request.token);
    if (!valid) throw new AppError(403, 'TOKEN_MISMATCH', "The token is not this student's valid token for this room.");

    const notifiedAt = isoAt(this.clock());
    void this.notifications.notify(session, 'resent').catch((error: unknown) => this.events.failed('notify', session, error, { reason: 'resent' }));
    const row = await this.store.getNotification(session.id);
    return { sessionId: session.id, roomId: session.room_id, studentId: session.student_id, notifiedAt, deliveredAt: row?.delivered_at ?? null };
  }

  /** A participant's ticket into the room; re-mints the token when it is near expiry. */
  async join(identity: Identity, sessionId: string): Promise<JoinSessionData> {
    const session = await this.requireSession(sessionId);
    const role = session.mentor_id === identity.user.id ? 'mentor' : session.student_id === identity.user.id ? 'student' : null;
    if (!role) throw forbidden('You are not a participant of this session.');
    this.requireLive(session);

    const token = await this.roomTokens.current(session, identity.user.id, role);
    const joinedField = role === 'mentor' ? 'mentor_joined_at' : 'student_joined_at';
    if (session[joinedField] === null) {
      const now = isoAt(this.clock());
      const joined = await this.store.updateSession(session.id, {
        [joinedField]: now,
        status: 'active',
        started_at: session.started_at ?? now,
      });
      // Ended between the check above and the write: the store refused to revive it.
      if (!joined) throw new AppError(409, 'SESSION_NOT_LIVE', 'This session has ended.');
      this.events.record('joined', joined, { role });
      if (role === 'student') {
        // Joining from the inbox proves the ring arrived even if the socket ack never did; the
        // mentor then sees "joined" (the row says so), not a "delivered" step before it.
        await this.notifications.acknowledged(joined);
        this.notifications.sessionJoinedByStudent(joined);
      }
    }
    // Every entry of the student answers the current ring (also after a "Ring again").
    if (role === 'student') await this.rings.studentJoined(session);
    const peerId = role === 'mentor' ? session.student_id : session.mentor_id;
    const peer = await this.store.getUser(peerId);
    return {
      sessionId: session.id,
      roomId: session.room_id,
      token: token.token,
      appId: this.roomTokens.issuer.appId,
      role,
      sessionType: session.session_type,
      engine: this.roomTokens.issuer.engine,
      expiresAt: session.expires_at,
      tokenExpiresAt: token.expires_at,
      userId: identity.user.id,
      userName: identity.user.name,
      peer: { id: peerId, role: role === 'mentor' ? 'student' : 'mentor', name: peer?.name ?? peerId },
      iceServers: this.media.iceServers,
      zegoServer: this.media.zegoServer,
    };
  }

  /** The mentor ends the session; idempotent (ending an ended session answers with its end). */
  async end(identity: Identity, sessionId: string): Promise<EndSessionData> {
    const session = await this.requireSession(sessionId);
    if (session.mentor_id !== identity.user.id) {
      throw forbidden(session.student_id === identity.user.id ? 'Only the mentor can end the session; use Leave.' : 'This is not your session.');
    }
    const ended = await this.store.endSession(session.id, isoAt(this.clock()), 'ended_by_mentor');
    if (ended) {
      this.events.record('ended', ended, { reason: 'ended_by_mentor' });
      this.notifications.sessionEnded(ended);
    }
    const final = ended ?? session;
    return { sessionId: final.id, status: 'ended', endedAt: final.ended_at ?? isoAt(this.clock()) };
  }

  /** The student's inbox: live sessions, each as its notification payload. */
  async studentSessions(identity: Identity): Promise<StudentSessionsData> {
    if (identity.user.role !== 'student') throw forbidden('Only a student has an inbox of sessions.');
    const live = await this.store.listLiveSessionsForStudent(identity.user.id, this.clock());
    live.sort((a, b) => a.created_at.localeCompare(b.created_at));
    return { sessions: await Promise.all(live.map((session) => this.notifications.payloadFor(session))) };
  }

  /** Timer: ends sessions whose time is up and tells their participants (docs/interface.md §6.5). */
  async expireDue(): Promise<number> {
    const nowMs = this.clock();
    let expired = 0;
    for (const session of await this.store.listExpiredUnendedSessions(nowMs)) {
      const ended = await this.store.endSession(session.id, session.expires_at, 'expired');
      if (!ended) continue;
      expired++;
      this.events.record('expired', ended);
      this.notifications.sessionEnded(ended);
    }
    return expired;
  }
}
