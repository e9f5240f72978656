/**
 * The rows the stores keep (the seed's tables keep its snake_case column names). They never cross a
 * process boundary — clients see the REST and socket shapes of server/contract — so they live
 * here, beside the store interface: only the server (and its tests and benchmarks) imports them.
 */
import type { Role, RoomId, SessionEndReason, SessionId, SessionStatus, SlotId, UserId } from '@contract/domain';

export interface SessionRecord {
  id: SessionId;
  room_id: RoomId;
  mentor_id: UserId;
  student_id: UserId;
  slot_id: SlotId;
  session_type: string;
  status: SessionStatus;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
  expires_at: string;
  end_reason: SessionEndReason | null;
  mentor_joined_at: string | null;
  student_joined_at: string | null;
}

/**
 * An ended session as the stores keep it once it has left the working set: the session row plus
 * how far its ring got (the outbox row is dropped when the session ends).
 */
export interface ArchivedSessionRecord extends SessionRecord {
  /** When an app of the student acknowledged the ring; null if none ever did. */
  ring_delivered_at: string | null;
  /** How the student answered the last ring, and why they declined (absent in archives written before answers were kept). */
  ring_answer?: RingAnswer | null;
  ring_decline_reason?: string | null;
}

export interface SessionTokenRecord {
  id: string;
  session_id: SessionId;
  user_id: UserId;
  user_role: Role;
  token: string;
  expires_at: string;
}

export interface UserRecord {
  id: UserId;
  name: string;
  role: Role;
  /** `scrypt$N$r$p$salt$hash` (base64). Never the password. */
  password_hash: string;
  /** IANA zone in which the mentor's weekly slots are wall-clock times. */
  time_zone: string;
  /** Mentors only: the weekly slots they offer (booked or free). */
  slot_ids: SlotId[];
  created_at: string;
  /**
   * Set while the password is a one-time enrolment code from the admin import: it cannot sign in,
   * only be spent once on choosing a password.
   */
  enrolment_pending?: boolean;
}

export interface BookingRecord {
  id: string;
  mentor_id: UserId;
  student_id: UserId;
  slot_id: SlotId;
  session_type: string;
  created_at: string;
}

export interface AccessTokenRecord {
  /** Non-secret id (used for socket rooms and logs); the token itself is never stored. */
  id: string;
  /** SHA-256 of the opaque bearer token, hex. */
  token_hash: string;
  user_id: UserId;
  /** The device sign-in it was issued to (revoking the device revokes it); absent on tokens from before device sign-ins. */
  device_id?: string;
  created_at: string;
  expires_at: string;
}

/**
 * A device sign-in: one refresh-token chain. Only hashes are stored. `refresh_hash` is the one
 * token that renews; the last few rotated-out hashes are kept so a copied (replayed) token is
 * recognised as such and signs the device out, rather than being just "unknown".
 */
export interface DeviceRecord {
  id: string;
  user_id: UserId;
  label: string;
  created_at: string;
  last_seen_at: string;
  /** SHA-256 (hex) of the current refresh token. */
  refresh_hash: string;
  /** Sliding: each refresh moves it forward. */
  refresh_expires_at: string;
  /** Hashes of the most recent rotated-out refresh tokens, newest first (bounded). */
  retired_hashes: string[];
}

/** The notification outbox: one row per session, kept until the student's app acknowledges it or the session ends. */
export interface NotificationRecord {
  session_id: SessionId;
  student_id: UserId;
  created_at: string;
  last_sent_at: string | null;
  send_count: number;
  delivered_at: string | null;
  /**
   * The ring this row carries (absent in rows written before rings could be answered: ring 1,
   * unanswered). "Ring again" starts the next attempt on the same row.
   */
  ring_attempt?: number;
  answer?: RingAnswer | null;
  answered_at?: string | null;
  decline_reason?: string | null;
}

/** How the student answered the current ring (missed is not stored: it is the ring's time running out). */
export type RingAnswer = 'joined' | 'declined';

/** What answering did: the row as it now stands, and whether this answer changed it. */
export interface RingAnswerResult {
  row: NotificationRecord;
  changed: boolean;
}

/**
 * Whether an answer changes the ring (both stores apply it in one atomic step): joining is the
 * last word — a decline never replaces it — and the same answer again is no new answer.
 */
export function answerChangesRing(row: Pick<NotificationRecord, 'answer' | 'decline_reason'>, answer: RingAnswer, declineReason: string | null): boolean {
  if (row.answer === 'joined') return false;
  return !(row.answer === answer && (row.decline_reason ?? null) === declineReason);
}

/** One chat message of a live session (kept until the session ends). */
export interface ChatMessageRecord {
  id: string;
  session_id: SessionId;
  user_id: UserId;
  text: string;
  sent_at: string;
}

/** Live: not ended and not past its `expires_at`. */
export function isSessionLive(session: Pick<SessionRecord, 'status' | 'expires_at'>, nowMs: number): boolean {
  return session.status !== 'ended' && Date.parse(session.expires_at) > nowMs;
}
