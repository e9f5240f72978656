/**
 * The store interface every implementation (lowdb JSON file, Redis) provides. Each mutating method
 * resolves only once its change is durable, so a reply built after it never acknowledges something
 * a crash could lose. Operations that must be atomic (create-if-absent, end-if-live,
 * update-unless-ended) are single methods rather than read-then-write sequences in the services.
 * Records go in and come out as copies: a caller changing one it holds never changes the store.
 */
import type { SessionEndReason } from '@contract/domain';
import type { ChatMessageRecord, RingAnswer, RingAnswerResult, AccessTokenRecord, ArchivedSessionRecord, BookingRecord, DeviceRecord, NotificationRecord, SessionRecord, SessionTokenRecord, UserRecord } from './records';

export interface NewSession {
  session: SessionRecord;
  tokens: SessionTokenRecord[];
  notification: NotificationRecord;
}

export interface PurgeResult {
  accessTokens: number;
  devices: number;
  sessionTokens: number;
  notifications: number;
}

export interface PastSessionsPage {
  /** Most recently ended first. */
  sessions: ArchivedSessionRecord[];
  /** Opaque; pass back for the next (older) page. Null on the last page. */
  cursor: string | null;
}

/** What a refresh changes on its device: the new current hash, the slid expiry, when it was seen. */
export interface RefreshRotation {
  refresh_hash: string;
  refresh_expires_at: string;
  last_seen_at: string;
}

/**
 * `rotated`: the presented hash was current and is now retired. `retired`: the presented hash was
 * already rotated out (a copy is in use: the caller signs the device out). `unknown`: neither.
 */
export type RotationOutcome = 'rotated' | 'retired' | 'unknown';

/** How many rotated-out refresh hashes a device keeps for recognising a replay. */
export const RETIRED_REFRESH_HASHES_KEPT = 16;

/** What may change on a live session; ending it is endSession's job (an update never revives or ends). */
export type SessionPatch = Partial<Pick<SessionRecord, 'started_at' | 'mentor_joined_at' | 'student_joined_at'>> & {
  status?: Exclude<SessionRecord['status'], 'ended'>;
};

export interface ClassroomStore {
  readonly kind: 'json' | 'redis';

  /** Seeds users and bookings only when the store holds no user at all; true when it did. */
  seedIfEmpty(users: UserRecord[], bookings: BookingRecord[]): Promise<boolean>;
  getUser(id: string): Promise<UserRecord | undefined>;
  /**
   * Writes users. A user whose `password_hash` changes loses every device sign-in (and the access
   * tokens issued to them) in the same call: a password change or reset always signs out everywhere.
   */
  upsertUsers(users: UserRecord[]): Promise<void>;
  /**
   * Writes the user only while their password hash is still `expectedHash` (compare-and-set, same
   * sign-out rule as upsertUsers): of two spends of one enrolment code, or two password changes
   * at once, exactly one wins. False when the hash had already changed.
   */
  replaceUserIfPassword(user: UserRecord, expectedHash: string): Promise<boolean>;
  /** Users and bookings written together in one durable step (the admin import: all or nothing); same password rule as upsertUsers. */
  importDirectory(users: UserRecord[], bookings: BookingRecord[]): Promise<void>;

  saveAccessToken(record: AccessTokenRecord): Promise<void>;
  findAccessTokenByHash(tokenHash: string): Promise<AccessTokenRecord | undefined>;
  deleteAccessToken(id: string): Promise<boolean>;

  /** A new device sign-in together with its first access token (one durable step). */
  createDevice(device: DeviceRecord, accessToken: AccessTokenRecord): Promise<void>;
  getDevice(id: string): Promise<DeviceRecord | undefined>;
  listDevices(userId: string): Promise<DeviceRecord[]>;
  /**
   * Renews a device atomically: only while `presentedHash` is its current refresh hash (two
   * concurrent refreshes with one token: exactly one rotates), storing the new access token with it.
   */
  rotateRefreshToken(deviceId: string, presentedHash: string, next: RefreshRotation, accessToken: AccessTokenRecord): Promise<RotationOutcome>;
  /** Signs a device out: deletes it and every access token issued to it. False when there was none. */
  deleteDevice(id: string): Promise<boolean>;
  /** Signs a user out everywhere; the ids of the devices that were deleted. */
  deleteUserDevices(userId: string): Promise<string[]>;

  listBookingsForMentor(mentorId: string): Promise<BookingRecord[]>;
  listBookingsForStudent(studentId: string): Promise<BookingRecord[]>;
  findBooking(mentorId: string, studentId: string, slotId: string): Promise<BookingRecord | undefined>;
  upsertBookings(bookings: BookingRecord[]): Promise<void>;

  /**
   * Creates the session, its tokens and its outbox row — unless a live session already exists for
   * the same mentor, student and slot, which is returned instead (create-session is idempotent).
   */
  createSessionUnlessLive(input: NewSession, nowMs: number): Promise<{ session: SessionRecord; created: boolean }>;
  getSession(id: string): Promise<SessionRecord | undefined>;
  findSessionByRoom(roomId: string): Promise<SessionRecord | undefined>;
  listLiveSessionsForMentor(mentorId: string, nowMs: number): Promise<SessionRecord[]>;
  listLiveSessionsForStudent(studentId: string, nowMs: number): Promise<SessionRecord[]>;
  /** Sessions still marked live whose `expires_at` has passed (for the cleanup timer). */
  listExpiredUnendedSessions(nowMs: number): Promise<SessionRecord[]>;
  /** Changes a session that is not ended, atomically; undefined (and no change) once it is ended or unknown. */
  updateSession(id: string, patch: SessionPatch): Promise<SessionRecord | undefined>;
  /**
   * Ends a session that is not ended yet (and drops its tokens and outbox row); undefined if
   * already ended or unknown. The ended session leaves the working set for the archive (still
   * found by getSession / findSessionByRoom, and paged by listPastSessionsForMentor).
   */
  endSession(id: string, endedAt: string, reason: SessionEndReason): Promise<SessionRecord | undefined>;
  /** A mentor's ended sessions, a page at a time, most recently ended first. */
  listPastSessionsForMentor(mentorId: string, limit: number, cursor?: string): Promise<PastSessionsPage>;

  getSessionToken(sessionId: string, userId: string): Promise<SessionTokenRecord | undefined>;
  /** Replaces the user's token for that session. */
  putSessionToken(record: SessionTokenRecord): Promise<void>;

  getNotification(sessionId: string): Promise<NotificationRecord | undefined>;
  listUndeliveredNotifications(studentId?: string): Promise<NotificationRecord[]>;
  markNotificationSent(sessionId: string, at: string): Promise<void>;
  markNotificationDelivered(sessionId: string, at: string): Promise<NotificationRecord | undefined>;
  /**
   * Records the student's answer to the current ring (an answer also proves delivery), atomically
   * by the rule of `answerChangesRing`: undefined when the session has no outbox row.
   */
  answerRing(sessionId: string, answer: RingAnswer, at: string, declineReason: string | null): Promise<RingAnswerResult | undefined>;
  /** "Ring again": the next attempt on the same row, undelivered and unanswered, so the outbox sends it anew. */
  restartRing(sessionId: string, at: string): Promise<NotificationRecord | undefined>;

  /** Appends a message unless the session already holds `limit`; false when full. Dropped when the session ends. */
  appendChatMessage(message: ChatMessageRecord, limit: number): Promise<boolean>;
  listChatMessages(sessionId: string): Promise<ChatMessageRecord[]>;

  /**
   * Drops expired access tokens and device sign-ins (Redis lets its TTLs do that) and the room
   * tokens of sessions no longer live. A session's outbox row goes when the session is ended,
   * which archives its ring outcome; the counts say what this call itself removed.
   */
  purgeExpired(nowMs: number): Promise<PurgeResult>;
  /** A server-side secret (e.g. the built-in engine's token signing key), created once and kept. */
  getOrCreateSecret(name: string, create: () => string): Promise<string>;

  close(): Promise<void>;
}

/** The row of the next ring attempt: sent anew by the outbox, unanswered. */
export function nextRing(row: NotificationRecord, at: string): NotificationRecord {
  return {
    ...row,
    created_at: at,
    last_sent_at: null,
    send_count: 0,
    delivered_at: null,
    ring_attempt: (row.ring_attempt ?? 1) + 1,
    answer: null,
    answered_at: null,
    decline_reason: null,
  };
}
