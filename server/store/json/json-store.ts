/**
 * The embedded default store: lowdb over one JSON file, `classroom.json`, in the data folder.
 *
 * The tables of the file are the seed's (`sessions`, `session_tokens`, snake_case columns) plus
 * users, access tokens, bookings and the notification outbox. In memory the rows live in maps
 * (lookups stay O(1) however many sessions pile up); a write serialises them to lowdb's data and
 * writes the file durably. Writes that arrive while one is in flight are coalesced: they all wait
 * for the next single write, which carries every change made before it started — so a burst of N
 * requests costs two file writes, not N.
 */
import { mkdir, access, constants } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import {
  isSessionLive,
  type AccessTokenRecord,
  type BookingRecord,
  type NotificationRecord,
  type SessionEndReason,
  type SessionRecord,
  type SessionTokenRecord,
  type UserRecord,
} from '@contract/domain';
import type { ClassroomStore, NewSession, PurgeResult, SessionPatch } from '../classroom-store';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock';
import { DurableJsonFile } from './durable-json-file';

export const STORE_FILE_NAME = 'classroom.json';
const SCHEMA_VERSION = 1;

/** The file's shape. */
export interface ClassroomData {
  schema_version: number;
  secrets: Record<string, string>;
  users: UserRecord[];
  access_tokens: AccessTokenRecord[];
  bookings: BookingRecord[];
  sessions: SessionRecord[];
  session_tokens: SessionTokenRecord[];
  notification_outbox: NotificationRecord[];
}

export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

export interface WriteStats {
  durationMs: number;
  /** How many mutations this one file write made durable. */
  coalesced: number;
  bytes: number;
}

export interface JsonStoreOptions {
  onWrite?: (stats: WriteStats) => void;
}

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

const slotKey = (mentorId: string, studentId: string, slotId: string) => `${mentorId}\u0000${studentId}\u0000${slotId}`;
const tokenKey = (sessionId: string, userId: string) => `${sessionId}\u0000${userId}`;

function emptyData(): ClassroomData {
  return {
    schema_version: SCHEMA_VERSION,
    secrets: {},
    users: [],
    access_tokens: [],
    bookings: [],
    sessions: [],
    session_tokens: [],
    notification_outbox: [],
  };
}

export class JsonClassroomStore implements ClassroomStore {
  readonly kind = 'json' as const;

  private readonly users = new Map<string, UserRecord>();
  private readonly accessTokensByHash = new Map<string, AccessTokenRecord>();
  private readonly bookingsById = new Map<string, BookingRecord>();
  private readonly bookingsBySlot = new Map<string, BookingRecord>();
  private readonly sessions = new Map<string, SessionRecord>();
  private readonly sessionsByRoom = new Map<string, SessionRecord>();
  /** Sessions not yet ended, by mentor|student|slot; liveness (expiry) is still checked on read. */
  private readonly unendedBySlot = new Map<string, SessionRecord>();
  private readonly sessionTokens = new Map<string, SessionTokenRecord>();
  private readonly outbox = new Map<string, NotificationRecord>();
  private secrets: Record<string, string> = {};

  private waiters: Waiter[] = [];
  private flushing = false;
  private closed = false;

  private constructor(
    private readonly db: Low<ClassroomData>,
    private readonly adapter: DurableJsonFile<ClassroomData>,
    private readonly lock: DataDirLock,
    private readonly options: JsonStoreOptions,
  ) {}

  /** Opens (or creates) the store in `dataDir`, taking the folder's writer lock. */
  static async open(dataDir: string, options: JsonStoreOptions = {}): Promise<JsonClassroomStore> {
    try {
      await mkdir(dataDir, { recursive: true, mode: 0o700 });
      await access(dataDir, constants.R_OK | constants.W_OK);
    } catch (error) {
      throw new StoreUnavailableError(
        `CLASSROOM_DATA_DIR ${dataDir} is not a readable and writable folder (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
      );
    }
    const lock = await acquireDataDirLock(dataDir);
    try {
      const adapter = new DurableJsonFile<ClassroomData>(path.join(dataDir, STORE_FILE_NAME));
      await adapter.removeLeftoverTempFiles();
      const db = new Low<ClassroomData>(adapter, emptyData());
      await db.read();
      const store = new JsonClassroomStore(db, adapter, lock, options);
      store.load({ ...emptyData(), ...db.data });
      return store;
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  private load(data: ClassroomData): void {
    this.secrets = { ...data.secrets };
    for (const user of data.users) this.users.set(user.id, user);
    for (const token of data.access_tokens) this.accessTokensByHash.set(token.token_hash, token);
    for (const booking of data.bookings) this.indexBooking(booking);
    for (const session of data.sessions) this.indexSession(session);
    for (const token of data.session_tokens) this.sessionTokens.set(tokenKey(token.session_id, token.user_id), token);
    for (const row of data.notification_outbox) this.outbox.set(row.session_id, row);
  }

  private snapshot(): ClassroomData {
    return {
      schema_version: SCHEMA_VERSION,
      secrets: this.secrets,
      users: [...this.users.values()],
      access_tokens: [...this.accessTokensByHash.values()],
      bookings: [...this.bookingsById.values()],
      sessions: [...this.sessions.values()],
      session_tokens: [...this.sessionTokens.values()],
      notification_outbox: [...this.outbox.values()],
    };
  }

  private indexBooking(booking: BookingRecord): void {
    const key = slotKey(booking.mentor_id, booking.student_id, booking.slot_id);
    const previous = this.bookingsBySlot.get(key);
    if (previous && previous.id !== booking.id) this.bookingsById.delete(previous.id);
    this.bookingsById.set(booking.id, booking);
    this.bookingsBySlot.set(key, booking);
  }

  private indexSession(session: SessionRecord): void {
    this.sessions.set(session.id, session);
    this.sessionsByRoom.set(session.room_id, session);
    if (session.status !== 'ended') this.unendedBySlot.set(slotKey(session.mentor_id, session.student_id, session.slot_id), session);
  }

  /** Resolves once every change made before this call is on disk (fsynced). */
  private persist(): Promise<void> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('The store is closed.'));
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      if (!this.flushing) void this.flushLoop();
    });
  }

  private async flushLoop(): Promise<void> {
    this.flushing = true;
    while (this.waiters.length > 0) {
      const batch = this.waiters;
      this.waiters = [];
      const started = performance.now();
      try {
        this.db.data = this.snapshot();
        await this.db.write();
        this.options.onWrite?.({ durationMs: performance.now() - started, coalesced: batch.length, bytes: this.adapter.lastWriteBytes });
        for (const waiter of batch) waiter.resolve();
      } catch (error) {
        for (const waiter of batch) waiter.reject(error);
      }
    }
    this.flushing = false;
  }

  // --- users ---------------------------------------------------------------------------------

  async seedIfEmpty(users: UserRecord[], bookings: BookingRecord[]): Promise<boolean> {
    if (this.users.size > 0) return false;
    for (const user of users) this.users.set(user.id, user);
    for (const booking of bookings) this.indexBooking(booking);
    await this.persist();
    return true;
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    return this.users.get(id);
  }

  async upsertUsers(users: UserRecord[]): Promise<void> {
    for (const user of users) this.users.set(user.id, user);
    await this.persist();
  }

  async importDirectory(users: UserRecord[], bookings: BookingRecord[]): Promise<void> {
    for (const user of users) this.users.set(user.id, user);
    for (const booking of bookings) this.indexBooking(booking);
    await this.persist();
  }

  // --- access tokens -------------------------------------------------------------------------

  async saveAccessToken(record: AccessTokenRecord): Promise<void> {
    this.accessTokensByHash.set(record.token_hash, record);
    await this.persist();
  }

  async findAccessTokenByHash(tokenHash: string): Promise<AccessTokenRecord | undefined> {
    return this.accessTokensByHash.get(tokenHash);
  }

  async deleteAccessToken(id: string): Promise<boolean> {
    for (const [hash, record] of this.accessTokensByHash) {
      if (record.id === id) {
        this.accessTokensByHash.delete(hash);
        await this.persist();
        return true;
      }
    }
    return false;
  }

  // --- bookings ------------------------------------------------------------------------------

  async listBookingsForMentor(mentorId: string): Promise<BookingRecord[]> {
    return [...this.bookingsById.values()].filter((b) => b.mentor_id === mentorId);
  }

  async findBooking(mentorId: string, studentId: string, slotId: string): Promise<BookingRecord | undefined> {
    return this.bookingsBySlot.get(slotKey(mentorId, studentId, slotId));
  }

  async upsertBookings(bookings: BookingRecord[]): Promise<void> {
    for (const booking of bookings) this.indexBooking(booking);
    await this.persist();
  }

  // --- sessions ------------------------------------------------------------------------------

  async createSessionUnlessLive(input: NewSession, nowMs: number): Promise<{ session: SessionRecord; created: boolean }> {
    const { session } = input;
    const key = slotKey(session.mentor_id, session.student_id, session.slot_id);
    const existing = this.unendedBySlot.get(key);
    // Check and insert happen in one synchronous step: two concurrent calls cannot both create.
    if (existing && isSessionLive(existing, nowMs)) {
      // The caller may be answering a retry of a request whose first write is still in flight.
      await this.persist();
      return { session: existing, created: false };
    }
    this.indexSession(session);
    for (const token of input.tokens) this.sessionTokens.set(tokenKey(token.session_id, token.user_id), token);
    this.outbox.set(session.id, input.notification);
    await this.persist();
    return { session, created: true };
  }

  async getSession(id: string): Promise<SessionRecord | undefined> {
    return this.sessions.get(id);
  }

  async findSessionByRoom(roomId: string): Promise<SessionRecord | undefined> {
    return this.sessionsByRoom.get(roomId);
  }

  async listLiveSessionsForMentor(mentorId: string, nowMs: number): Promise<SessionRecord[]> {
    return [...this.unendedBySlot.values()].filter((s) => s.mentor_id === mentorId && isSessionLive(s, nowMs));
  }

  async listLiveSessionsForStudent(studentId: string, nowMs: number): Promise<SessionRecord[]> {
    return [...this.unendedBySlot.values()].filter((s) => s.student_id === studentId && isSessionLive(s, nowMs));
  }

  async listExpiredUnendedSessions(nowMs: number): Promise<SessionRecord[]> {
    return [...this.unendedBySlot.values()].filter((s) => !isSessionLive(s, nowMs));
  }

  async updateSession(id: string, patch: SessionPatch): Promise<SessionRecord | undefined> {
    const session = this.sessions.get(id);
    if (!session) return undefined;
    Object.assign(session, patch);
    await this.persist();
    return session;
  }

  async endSession(id: string, endedAt: string, reason: SessionEndReason): Promise<SessionRecord | undefined> {
    const session = this.sessions.get(id);
    if (!session || session.status === 'ended') return undefined;
    session.status = 'ended';
    session.ended_at = endedAt;
    session.end_reason = reason;
    const key = slotKey(session.mentor_id, session.student_id, session.slot_id);
    if (this.unendedBySlot.get(key) === session) this.unendedBySlot.delete(key);
    this.dropSessionLeftovers(id);
    await this.persist();
    return session;
  }

  private dropSessionLeftovers(sessionId: string): number {
    let dropped = 0;
    for (const userId of [this.sessions.get(sessionId)?.mentor_id, this.sessions.get(sessionId)?.student_id]) {
      if (userId && this.sessionTokens.delete(tokenKey(sessionId, userId))) dropped++;
    }
    this.outbox.delete(sessionId);
    return dropped;
  }

  async getSessionToken(sessionId: string, userId: string): Promise<SessionTokenRecord | undefined> {
    return this.sessionTokens.get(tokenKey(sessionId, userId));
  }

  async putSessionToken(record: SessionTokenRecord): Promise<void> {
    this.sessionTokens.set(tokenKey(record.session_id, record.user_id), record);
    await this.persist();
  }

  // --- notification outbox -------------------------------------------------------------------

  async getNotification(sessionId: string): Promise<NotificationRecord | undefined> {
    return this.outbox.get(sessionId);
  }

  async listUndeliveredNotifications(studentId?: string): Promise<NotificationRecord[]> {
    return [...this.outbox.values()].filter((n) => n.delivered_at === null && (studentId === undefined || n.student_id === studentId));
  }

  async markNotificationSent(sessionId: string, at: string): Promise<void> {
    const row = this.outbox.get(sessionId);
    if (!row) return;
    row.last_sent_at = at;
    row.send_count += 1;
    await this.persist();
  }

  async markNotificationDelivered(sessionId: string, at: string): Promise<NotificationRecord | undefined> {
    const row = this.outbox.get(sessionId);
    if (!row) return undefined;
    if (row.delivered_at === null) {
      row.delivered_at = at;
      await this.persist();
    }
    return row;
  }

  // --- maintenance ---------------------------------------------------------------------------

  async purgeExpired(nowMs: number): Promise<PurgeResult> {
    const result: PurgeResult = { accessTokens: 0, sessionTokens: 0, notifications: 0 };
    for (const [hash, token] of this.accessTokensByHash) {
      if (Date.parse(token.expires_at) <= nowMs) {
        this.accessTokensByHash.delete(hash);
        result.accessTokens++;
      }
    }
    for (const [key, token] of this.sessionTokens) {
      const session = this.sessions.get(token.session_id);
      if (!session || !isSessionLive(session, nowMs)) {
        this.sessionTokens.delete(key);
        result.sessionTokens++;
      }
    }
    for (const [sessionId] of this.outbox) {
      const session = this.sessions.get(sessionId);
      if (!session || !isSessionLive(session, nowMs)) {
        this.outbox.delete(sessionId);
        result.notifications++;
      }
    }
    if (result.accessTokens + result.sessionTokens + result.notifications > 0) await this.persist();
    return result;
  }

  async getOrCreateSecret(name: string, create: () => string): Promise<string> {
    const existing = this.secrets[name];
    if (existing) return existing;
    const value = create();
    this.secrets = { ...this.secrets, [name]: value };
    await this.persist();
    return value;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Let queued writes finish, then stop accepting new ones.
    if (this.flushing || this.waiters.length > 0) await this.persist().catch(() => undefined);
    this.closed = true;
    await this.lock.release();
  }
}
