/**
 * The embedded default store: lowdb over one JSON file, `classroom.json`, in the data folder, with
 * an append-only journal beside it (see journal.ts).
 *
 * The tables of the file are the seed's (`sessions`, `session_tokens`, snake_case columns) plus
 * users, access tokens, bookings and the notification outbox. In memory the rows live in maps
 * (lookups stay O(1) however many sessions pile up). A write appends the changed rows to the
 * journal and fsyncs it; the whole file is rewritten (durably, by lowdb) only when the journal has
 * grown as large as the file. Writes that arrive while one is in flight are coalesced: they all
 * wait for the next single append, which carries every change made before it started.
 */
import { existsSync } from 'node:fs';
import { access, constants, mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import type { SessionEndReason } from '@contract/domain';
import { isSessionLive, type AccessTokenRecord, type ArchivedSessionRecord, type BookingRecord, type ChatMessageRecord, type RingAnswer, type RingAnswerResult, answerChangesRing, type DeviceRecord, type NotificationRecord, type SessionRecord, type SessionTokenRecord, type UserRecord } from '../records';
import { nextRing, RETIRED_REFRESH_HASHES_KEPT, type ClassroomStore, type NewSession, type PastSessionsPage, type PurgeResult, type RefreshRotation, type RotationOutcome, type SessionPatch } from '../classroom-store';
import { SessionArchive } from './archive';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock';
import { DurableJsonFile } from './durable-json-file';
import { Journal, type Change, type TableName } from './journal';

export const STORE_FILE_NAME = 'classroom.json';
export const JOURNAL_FILE_NAME = 'classroom.journal';
/** Rewrite the snapshot once the journal is this large and at least as large as the snapshot. */
const MIN_COMPACTION_BYTES = 4 * 1024 * 1024;
const SCHEMA_VERSION = 1;

/** The file's shape. */
export interface ClassroomData {
  schema_version: number;
  secrets: Record<string, string>;
  users: UserRecord[];
  access_tokens: AccessTokenRecord[];
  /** Device sign-ins (refresh-token chains); absent in files written before they existed. */
  devices: DeviceRecord[];
  bookings: BookingRecord[];
  sessions: SessionRecord[];
  session_tokens: SessionTokenRecord[];
  notification_outbox: NotificationRecord[];
  /** Live sessions' chat (dropped when the session ends). */
  chat_messages: ChatMessageRecord[];
}

export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

export interface WriteStats {
  durationMs: number;
  /** How many mutations this one durable write carried. */
  coalesced: number;
  bytes: number;
  /** True when the whole snapshot was rewritten (compaction), false for a journal append. */
  compacted: boolean;
}

export interface JsonStoreOptions {
  onWrite?: (stats: WriteStats) => void;
  /** Journal size below which the snapshot is never rewritten (tests lower it). */
  compactionMinBytes?: number;
  /** Open only a store that is there (the admin commands that read or change it): a mistyped folder must not become a new, empty store. */
  existingOnly?: boolean;
}

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

const slotKey = (mentorId: string, studentId: string, slotId: string) => `${mentorId}\u0000${studentId}\u0000${slotId}`;
const tokenKey = (sessionId: string, userId: string) => `${sessionId}\u0000${userId}`;
/** A chat row's journal key; a deletion (`<session>\u0000*`) drops the session's whole chat. */
const chatKey = (sessionId: string, messageId: string) => `${sessionId}\u0000${messageId}`;

function emptyData(): ClassroomData {
  return {
    schema_version: SCHEMA_VERSION,
    secrets: {},
    users: [],
    access_tokens: [],
    devices: [],
    bookings: [],
    sessions: [],
    session_tokens: [],
    notification_outbox: [],
    chat_messages: [],
  };
}

export class JsonClassroomStore implements ClassroomStore {
  readonly kind = 'json' as const;

  private readonly users = new Map<string, UserRecord>();
  private readonly accessTokensByHash = new Map<string, AccessTokenRecord>();
  private readonly devices = new Map<string, DeviceRecord>();
  /** Access token hashes per device, so signing a device out finds its tokens without a scan. */
  private readonly accessTokensByDevice = new Map<string, Set<string>>();
  private readonly bookingsById = new Map<string, BookingRecord>();
  private readonly bookingsBySlot = new Map<string, BookingRecord>();
  private readonly sessions = new Map<string, SessionRecord>();
  private readonly sessionsByRoom = new Map<string, SessionRecord>();
  /** Sessions not yet ended, by mentor|student|slot; liveness (expiry) is still checked on read. */
  private readonly unendedBySlot = new Map<string, SessionRecord>();
  private readonly sessionTokens = new Map<string, SessionTokenRecord>();
  private readonly outbox = new Map<string, NotificationRecord>();
  private readonly chat = new Map<string, ChatMessageRecord[]>();
  private secrets: Record<string, string> = {};
  /** Ended sessions on their way to the archive (found here until their append is on disk). */
  private readonly retiring = new Map<string, ArchivedSessionRecord>();
  private toArchive: ArchivedSessionRecord[] = [];

  private waiters: Waiter[] = [];
  private changes: Change[] = [];
  private flushing = false;
  private closed = false;
  private snapshotBytes = 0;

  private constructor(
    private readonly db: Low<ClassroomData>,
    private readonly adapter: DurableJsonFile<ClassroomData>,
    private readonly journal: Journal,
    private readonly lock: DataDirLock,
    private readonly archive: SessionArchive,
    private readonly options: JsonStoreOptions,
  ) {}

  /** Opens (or creates) the store in `dataDir`, taking the folder's writer lock. */
  static async open(dataDir: string, options: JsonStoreOptions = {}): Promise<JsonClassroomStore> {
    if (options.existingOnly) {
      const code = await access(path.join(dataDir, STORE_FILE_NAME), constants.R_OK | constants.W_OK).then(() => null, (error: NodeJS.ErrnoException) => error.code ?? 'error');
      if (code === 'ENOENT') throw new StoreUnavailableError(`there is no Classroom store in ${dataDir} (CLASSROOM_DATA_DIR): check the folder; "import" starts a new one.`);
      if (code) throw new StoreUnavailableError(`the Classroom store in ${dataDir} cannot be read and written by this user (${code}): run as the server's user.`);
    }
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
      const journal = new Journal(path.join(dataDir, JOURNAL_FILE_NAME));
      const archive = await SessionArchive.open(dataDir);
      const store = new JsonClassroomStore(db, adapter, journal, lock, archive, options);
      store.load({ ...emptyData(), ...db.data });
      const replayed = await journal.readAll();
      for (const change of replayed) store.apply(change);
      const retired = await store.retireEndedSessions();
      // Start from one clean file: fold what the journal held (and any crash-cut tail) into it.
      if (replayed.length > 0 || retired > 0 || !existsSync(adapter.file)) {
        await store.compact();
        store.changes = []; // the new snapshot holds them already
      }
      else {
        store.snapshotBytes = (await stat(adapter.file)).size;
        await journal.reset();
      }
      return store;
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  private load(data: ClassroomData): void {
    this.secrets = { ...data.secrets };
    for (const user of data.users) this.users.set(user.id, user);
    for (const token of data.access_tokens) this.indexAccessToken(token);
    for (const device of data.devices) this.devices.set(device.id, device);
    for (const booking of data.bookings) this.indexBooking(booking);
    for (const session of data.sessions) this.indexSession(session);
    for (const token of data.session_tokens) this.sessionTokens.set(tokenKey(token.session_id, token.user_id), token);
    for (const row of data.notification_outbox) this.outbox.set(row.session_id, row);
    for (const message of data.chat_messages) this.indexChatMessage(message);
  }

  private snapshot(): ClassroomData {
    return {
      schema_version: SCHEMA_VERSION,
      secrets: this.secrets,
      users: [...this.users.values()],
      access_tokens: [...this.accessTokensByHash.values()],
      devices: [...this.devices.values()],
      bookings: [...this.bookingsById.values()],
      sessions: [...this.sessions.values()],
      session_tokens: [...this.sessionTokens.values()],
      notification_outbox: [...this.outbox.values()],
      chat_messages: [...this.chat.values()].flat(),
    };
  }

  /**
   * At open: sessions still in the working set that are ended or already archived (a crash came
   * between the archive append and the journal line that drops them, or the folder predates the
   * archive) go to the archive unless it holds them already, then leave memory with their tokens
   * and outbox row. The caller rewrites the snapshot.
   */
  private async retireEndedSessions(): Promise<number> {
    const over = [...this.sessions.values()].filter((s) => s.status === 'ended' || this.archive.has(s.id));
    await this.archive.append(over.filter((s) => !this.archive.has(s.id)).map((s) => this.archived(s)));
    for (const session of over) {
      this.forgetSession(session);
      this.dropSessionLeftovers(session);
    }
    return over.length;
  }

  private archived(session: SessionRecord): ArchivedSessionRecord {
    const ring = this.outbox.get(session.id);
    return { ...session, ring_delivered_at: ring?.delivered_at ?? null, ring_answer: ring?.answer ?? null, ring_decline_reason: ring?.decline_reason ?? null };
  }

  /** Drops a session from the in-memory working set (it is in the archive, or on its way there). */
  private forgetSession(session: SessionRecord): void {
    this.sessions.delete(session.id);
    if (this.sessionsByRoom.get(session.room_id) === session) this.sessionsByRoom.delete(session.room_id);
    const key = slotKey(session.mentor_id, session.student_id, session.slot_id);
    if (this.unendedBySlot.get(key) === session) this.unendedBySlot.delete(key);
  }

  private indexAccessToken(token: AccessTokenRecord): void {
    this.accessTokensByHash.set(token.token_hash, token);
    if (!token.device_id) return;
    let hashes = this.accessTokensByDevice.get(token.device_id);
    if (!hashes) this.accessTokensByDevice.set(token.device_id, (hashes = new Set()));
    hashes.add(token.token_hash);
  }

  private unindexAccessToken(hash: string): AccessTokenRecord | undefined {
    const token = this.accessTokensByHash.get(hash);
    if (!token) return undefined;
    this.accessTokensByHash.delete(hash);
    if (token.device_id) this.accessTokensByDevice.get(token.device_id)?.delete(hash);
    return token;
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

  /** Replays one journal line onto the maps (the same effect the original call had). */
  private apply(change: Change): void {
    const { t, k, v } = change;
    switch (t) {
      case 'users':
        replayRow(this.users, k, v as UserRecord | null);
        break;
      case 'access_tokens':
        if (v) this.indexAccessToken(v as AccessTokenRecord);
        else this.unindexAccessToken(k);
        break;
      case 'devices':
        replayRow(this.devices, k, v as DeviceRecord | null);
        if (!v) this.accessTokensByDevice.delete(k);
        break;
      case 'bookings':
        if (v) this.indexBooking(v as BookingRecord);
        break;
      case 'sessions': {
        const previous = this.sessions.get(k);
        if (previous) this.forgetSession(previous);
        if (v) this.indexSession(v as SessionRecord); // null: the session went to the archive
        break;
      }
      case 'session_tokens':
        replayRow(this.sessionTokens, k, v as SessionTokenRecord | null);
        break;
      case 'notification_outbox':
        replayRow(this.outbox, k, v as NotificationRecord | null);
        break;
      case 'chat_messages':
        if (v) this.indexChatMessage(v as ChatMessageRecord);
        else this.chat.delete(k.split('\u0000')[0]!);
        break;
      case 'secrets':
        this.secrets = { ...this.secrets, [k]: v as string };
        break;
    }
  }

  /** Notes a changed row for the next durable write (rows are copied: later edits are new changes). */
  private changed(t: TableName, k: string, v: unknown): void {
    this.changes.push({ t, k, v: v === null ? null : structuredClone(v) });
  }

  /** The whole state into classroom.json (lowdb, durably), then an empty journal. */
  private async compact(): Promise<void> {
    this.db.data = this.snapshot();
    await this.db.write();
    this.snapshotBytes = this.adapter.lastWriteBytes;
    await this.journal.reset();
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
      const changes = this.changes;
      this.changes = [];
      const archiving = this.toArchive;
      this.toArchive = [];
      try {
        // Archived (on disk) first: the journal lines that drop these sessions come after.
        await this.archive.append(archiving);
        for (const record of archiving) this.retiring.delete(record.id);
        let bytes = 0;
        const compacting = this.journal.bytes >= Math.max(this.options.compactionMinBytes ?? MIN_COMPACTION_BYTES, this.snapshotBytes);
        if (compacting) {
          await this.compact();
          bytes = this.snapshotBytes;
        } else if (changes.length > 0) {
          bytes = await this.journal.append(changes);
        }
        this.options.onWrite?.({ durationMs: performance.now() - started, coalesced: batch.length, bytes, compacted: compacting });
        for (const waiter of batch) waiter.resolve();
      } catch (error) {
        this.changes = changes.concat(this.changes); // not on disk: they go with the next write
        this.toArchive = archiving.filter((r) => this.retiring.has(r.id)).concat(this.toArchive);
        for (const waiter of batch) waiter.reject(error);
      }
    }
    this.flushing = false;
  }

  // --- users ---------------------------------------------------------------------------------

  async seedIfEmpty(users: UserRecord[], bookings: BookingRecord[]): Promise<boolean> {
    if (this.users.size > 0) return false;
    await this.importDirectory(users, bookings);
    return true;
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    return copy(this.users.get(id));
  }

  async upsertUsers(users: UserRecord[]): Promise<void> {
    await this.importDirectory(users, []);
  }

  async replaceUserIfPassword(user: UserRecord, expectedHash: string): Promise<boolean> {
    // Checked and written in one turn of the event loop: no other call runs in between.
    if (this.users.get(user.id)?.password_hash !== expectedHash) return false;
    await this.importDirectory([user], []);
    return true;
  }

  async importDirectory(users: UserRecord[], bookings: BookingRecord[]): Promise<void> {
    for (const user of users.map(copy)) {
      const previous = this.users.get(user.id);
      if (previous && previous.password_hash !== user.password_hash) this.dropUserDevices(user.id);
      this.users.set(user.id, user);
      this.changed('users', user.id, user);
    }
    for (const booking of bookings.map(copy)) {
      this.indexBooking(booking);
      this.changed('bookings', booking.id, booking);
    }
    await this.persist();
  }

  // --- access tokens -------------------------------------------------------------------------

  async saveAccessToken(input: AccessTokenRecord): Promise<void> {
    const record = copy(input);
    this.indexAccessToken(record);
    this.changed('access_tokens', record.token_hash, record);
    await this.persist();
  }

  async findAccessTokenByHash(tokenHash: string): Promise<AccessTokenRecord | undefined> {
    return copy(this.accessTokensByHash.get(tokenHash));
  }

  async deleteAccessToken(id: string): Promise<boolean> {
    for (const [hash, record] of this.accessTokensByHash) {
      if (record.id === id) {
        this.unindexAccessToken(hash);
        this.changed('access_tokens', hash, null);
        await this.persist();
        return true;
      }
    }
    return false;
  }

  // --- device sign-ins -----------------------------------------------------------------------

  async createDevice(deviceInput: DeviceRecord, accessTokenInput: AccessTokenRecord): Promise<void> {
    const [device, accessToken] = [copy(deviceInput), copy(accessTokenInput)];
    this.devices.set(device.id, device);
    this.changed('devices', device.id, device);
    this.indexAccessToken(accessToken);
    this.changed('access_tokens', accessToken.token_hash, accessToken);
    await this.persist();
  }

  async getDevice(id: string): Promise<DeviceRecord | undefined> {
    return copy(this.devices.get(id));
  }

  async listDevices(userId: string): Promise<DeviceRecord[]> {
    return [...this.devices.values()].filter((d) => d.user_id === userId).map(copy);
  }

  async rotateRefreshToken(deviceId: string, presentedHash: string, next: RefreshRotation, accessTokenInput: AccessTokenRecord): Promise<RotationOutcome> {
    const accessToken = copy(accessTokenInput);
    const device = this.devices.get(deviceId);
    if (!device) return 'unknown';
    // Compare and swap in one synchronous step: of two concurrent refreshes only one sees its hash current.
    if (device.refresh_hash !== presentedHash) return device.retired_hashes.includes(presentedHash) ? 'retired' : 'unknown';
    const rotated: DeviceRecord = {
      ...device,
      ...next,
      retired_hashes: [presentedHash, ...device.retired_hashes].slice(0, RETIRED_REFRESH_HASHES_KEPT),
    };
    this.devices.set(deviceId, rotated);
    this.changed('devices', deviceId, rotated);
    this.indexAccessToken(accessToken);
    this.changed('access_tokens', accessToken.token_hash, accessToken);
    await this.persist();
    return 'rotated';
  }

  /** Unpersisted part of signing a device out (the caller persists). */
  private dropDevice(id: string): boolean {
    if (!this.devices.delete(id)) return false;
    this.changed('devices', id, null);
    for (const hash of this.accessTokensByDevice.get(id) ?? []) {
      this.accessTokensByHash.delete(hash);
      this.changed('access_tokens', hash, null);
    }
    this.accessTokensByDevice.delete(id);
    return true;
  }

  private dropUserDevices(userId: string): string[] {
    const ids = [...this.devices.values()].filter((d) => d.user_id === userId).map((d) => d.id);
    for (const id of ids) this.dropDevice(id);
    return ids;
  }

  async deleteDevice(id: string): Promise<boolean> {
    if (!this.dropDevice(id)) return false;
    await this.persist();
    return true;
  }

  async deleteUserDevices(userId: string): Promise<string[]> {
    const ids = this.dropUserDevices(userId);
    if (ids.length > 0) await this.persist();
    return ids;
  }

  // --- bookings ------------------------------------------------------------------------------

  async listBookingsForMentor(mentorId: string): Promise<BookingRecord[]> {
    return [...this.bookingsById.values()].filter((b) => b.mentor_id === mentorId).map(copy);
  }

  async listBookingsForStudent(studentId: string): Promise<BookingRecord[]> {
    return [...this.bookingsById.values()].filter((b) => b.student_id === studentId);
  }

  async findBooking(mentorId: string, studentId: string, slotId: string): Promise<BookingRecord | undefined> {
    return copy(this.bookingsBySlot.get(slotKey(mentorId, studentId, slotId)));
  }

  async upsertBookings(bookings: BookingRecord[]): Promise<void> {
    await this.importDirectory([], bookings);
  }

  // --- sessions ------------------------------------------------------------------------------

  async createSessionUnlessLive(given: NewSession, nowMs: number): Promise<{ session: SessionRecord; created: boolean }> {
    const input = copy(given);
    const { session } = input;
    const key = slotKey(session.mentor_id, session.student_id, session.slot_id);
    const existing = this.unendedBySlot.get(key);
    // Check and insert happen in one synchronous step: two concurrent calls cannot both create.
    if (existing && isSessionLive(existing, nowMs)) {
      // The caller may be answering a retry of a request whose first write is still in flight.
      await this.persist();
      return { session: copy(existing), created: false };
    }
    this.indexSession(session);
    this.changed('sessions', session.id, session);
    for (const token of input.tokens) {
      this.sessionTokens.set(tokenKey(token.session_id, token.user_id), token);
      this.changed('session_tokens', tokenKey(token.session_id, token.user_id), token);
    }
    this.outbox.set(session.id, input.notification);
    this.changed('notification_outbox', session.id, input.notification);
    await this.persist();
    return { session: copy(session), created: true };
  }

  async getSession(id: string): Promise<SessionRecord | undefined> {
    const live = this.sessions.get(id);
    if (live) return copy(live);
    return withoutRing(this.retiring.get(id) ?? (await this.archive.get(id)));
  }

  async findSessionByRoom(roomId: string): Promise<SessionRecord | undefined> {
    const live = this.sessionsByRoom.get(roomId);
    if (live) return copy(live);
    for (const record of this.retiring.values()) if (record.room_id === roomId) return withoutRing(record);
    return withoutRing(await this.archive.findByRoom(roomId));
  }

  async listPastSessionsForMentor(mentorId: string, limit: number, cursor?: string): Promise<PastSessionsPage> {
    const before = cursor !== undefined && /^\d+$/.test(cursor) ? Number(cursor) : undefined;
    const page = await this.archive.pageForMentor(mentorId, limit, before);
    return { sessions: page.records.map(copy), cursor: page.next === null ? null : String(page.next) };
  }

  async listLiveSessionsForMentor(mentorId: string, nowMs: number): Promise<SessionRecord[]> {
    return [...this.unendedBySlot.values()].filter((s) => s.mentor_id === mentorId && isSessionLive(s, nowMs)).map(copy);
  }

  async listLiveSessionsForStudent(studentId: string, nowMs: number): Promise<SessionRecord[]> {
    return [...this.unendedBySlot.values()].filter((s) => s.student_id === studentId && isSessionLive(s, nowMs)).map(copy);
  }

  async listExpiredUnendedSessions(nowMs: number): Promise<SessionRecord[]> {
    return [...this.unendedBySlot.values()].filter((s) => !isSessionLive(s, nowMs)).map(copy);
  }

  async updateSession(id: string, patch: SessionPatch): Promise<SessionRecord | undefined> {
    const session = this.sessions.get(id);
    // Never revives an ended session (ending goes through endSession); checked and written in one
    // synchronous step, as the Redis store does in one script.
    if (!session || session.status === 'ended' || (patch.status as string | undefined) === 'ended') return undefined;
    Object.assign(session, patch); // the indexes hold this object; callers only ever get copies
    this.changed('sessions', id, session);
    await this.persist();
    return copy(session);
  }

  async endSession(id: string, endedAt: string, reason: SessionEndReason): Promise<SessionRecord | undefined> {
    const session = this.sessions.get(id);
    if (!session || session.status === 'ended') return undefined;
    session.status = 'ended';
    session.ended_at = endedAt;
    session.end_reason = reason;
    const record = this.archived(session);
    this.forgetSession(session);
    this.retiring.set(id, record);
    this.toArchive.push(record);
    this.changed('sessions', id, null);
    this.dropSessionLeftovers(session);
    await this.persist();
    return copy(session);
  }

  /** An ended session's tokens and outbox row are of no further use. */
  private dropSessionLeftovers(session: SessionRecord): void {
    for (const userId of [session.mentor_id, session.student_id]) {
      const key = tokenKey(session.id, userId);
      if (this.sessionTokens.delete(key)) this.changed('session_tokens', key, null);
    }
    if (this.outbox.delete(session.id)) this.changed('notification_outbox', session.id, null);
    if (this.chat.delete(session.id)) this.changed('chat_messages', chatKey(session.id, '*'), null);
  }

  private indexChatMessage(message: ChatMessageRecord): void {
    const list = this.chat.get(message.session_id) ?? [];
    if (!list.some((m) => m.id === message.id)) list.push(message);
    this.chat.set(message.session_id, list);
  }

  async appendChatMessage(message: ChatMessageRecord, limit: number): Promise<boolean> {
    if ((this.chat.get(message.session_id)?.length ?? 0) >= limit) return false;
    message = copy(message);
    this.indexChatMessage(message);
    this.changed('chat_messages', chatKey(message.session_id, message.id), message);
    await this.persist();
    return true;
  }

  async listChatMessages(sessionId: string): Promise<ChatMessageRecord[]> {
    return (this.chat.get(sessionId) ?? []).map((m) => ({ ...m }));
  }

  async getSessionToken(sessionId: string, userId: string): Promise<SessionTokenRecord | undefined> {
    return copy(this.sessionTokens.get(tokenKey(sessionId, userId)));
  }

  async putSessionToken(input: SessionTokenRecord): Promise<void> {
    const record = copy(input);
    this.sessionTokens.set(tokenKey(record.session_id, record.user_id), record);
    this.changed('session_tokens', tokenKey(record.session_id, record.user_id), record);
    await this.persist();
  }

  // --- notification outbox -------------------------------------------------------------------

  async getNotification(sessionId: string): Promise<NotificationRecord | undefined> {
    return copy(this.outbox.get(sessionId));
  }

  async listUndeliveredNotifications(studentId?: string): Promise<NotificationRecord[]> {
    return [...this.outbox.values()].filter((n) => n.delivered_at === null && (studentId === undefined || n.student_id === studentId)).map(copy);
  }

  async markNotificationSent(sessionId: string, at: string): Promise<void> {
    const row = this.outbox.get(sessionId);
    if (!row) return;
    row.last_sent_at = at;
    row.send_count += 1;
    this.changed('notification_outbox', sessionId, row);
    await this.persist();
  }

  async markNotificationDelivered(sessionId: string, at: string): Promise<NotificationRecord | undefined> {
    const row = this.outbox.get(sessionId);
    if (!row) return undefined;
    if (row.delivered_at === null) {
      row.delivered_at = at;
      this.changed('notification_outbox', sessionId, row);
      await this.persist();
    }
    return copy(row);
  }

  async answerRing(sessionId: string, answer: RingAnswer, at: string, declineReason: string | null): Promise<RingAnswerResult | undefined> {
    const row = this.outbox.get(sessionId);
    if (!row) return undefined;
    // Decided and applied before the first await: no other answer runs in between.
    if (!answerChangesRing(row, answer, declineReason)) return { row: { ...row }, changed: false };
    Object.assign(row, { answer, answered_at: at, decline_reason: declineReason, delivered_at: row.delivered_at ?? at });
    this.changed('notification_outbox', sessionId, row);
    await this.persist();
    return { row: { ...row }, changed: true };
  }

  async restartRing(sessionId: string, at: string): Promise<NotificationRecord | undefined> {
    const row = this.outbox.get(sessionId);
    if (!row) return undefined;
    Object.assign(row, nextRing(row, at));
    this.changed('notification_outbox', sessionId, row);
    await this.persist();
    return { ...row };
  }

  // --- maintenance ---------------------------------------------------------------------------

  async purgeExpired(nowMs: number): Promise<PurgeResult> {
    const result: PurgeResult = { accessTokens: 0, devices: 0, sessionTokens: 0, notifications: 0 };
    for (const [hash, token] of this.accessTokensByHash) {
      if (Date.parse(token.expires_at) <= nowMs) {
        this.unindexAccessToken(hash);
        this.changed('access_tokens', hash, null);
        result.accessTokens++;
      }
    }
    for (const device of [...this.devices.values()]) {
      if (Date.parse(device.refresh_expires_at) <= nowMs && this.dropDevice(device.id)) result.devices++;
    }
    for (const [key, token] of this.sessionTokens) {
      const session = this.sessions.get(token.session_id);
      if (!session || !isSessionLive(session, nowMs)) {
        this.sessionTokens.delete(key);
        this.changed('session_tokens', key, null);
        result.sessionTokens++;
      }
    }
    // An expired session's outbox row stays until the session is ended: its ring outcome is archived then.
    for (const [sessionId] of this.outbox) {
      if (!this.sessions.has(sessionId)) {
        this.outbox.delete(sessionId);
        this.changed('notification_outbox', sessionId, null);
        result.notifications++;
      }
    }
    if (result.accessTokens + result.devices + result.sessionTokens + result.notifications > 0) await this.persist();
    return result;
  }

  async getOrCreateSecret(name: string, create: () => string): Promise<string> {
    const existing = this.secrets[name];
    if (existing) return existing;
    const value = create();
    this.secrets = { ...this.secrets, [name]: value };
    this.changed('secrets', name, value);
    await this.persist();
    return value;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Let queued writes finish, then stop accepting new ones.
    if (this.flushing || this.waiters.length > 0) await this.persist().catch(() => undefined);
    this.closed = true;
    await this.journal.close();
    await this.archive.close();
    await this.lock.release();
  }
}

/**
 * What leaves or enters the store is a copy: a caller that changes a record it got (or gave) never
 * changes the store behind its back — as with Redis, where every read is parsed afresh.
 */
function copy<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}

/** One journal line of a table kept by key: the row as it now is, or null where it was deleted. */
function replayRow<Row>(rows: Map<string, Row>, key: string, row: Row | null): void {
  if (row !== null) rows.set(key, row);
  else rows.delete(key);
}

/** An archived record read back as the session it was (the ring outcome is for the past-sessions list). */
function withoutRing(record: ArchivedSessionRecord | undefined): SessionRecord | undefined {
  if (!record) return undefined;
  const { ring_delivered_at: _ring, ring_answer: _answer, ring_decline_reason: _reason, ...session } = copy(record);
  return session;
}

/** Row keys per table, as the journal records them. */
const ROW_KEY: { [T in Exclude<TableName, 'secrets'>]: (row: ClassroomData[T][number]) => string } = {
  users: (row: UserRecord) => row.id,
  access_tokens: (row: AccessTokenRecord) => row.token_hash,
  devices: (row: DeviceRecord) => row.id,
  bookings: (row: BookingRecord) => row.id,
  sessions: (row: SessionRecord) => row.id,
  session_tokens: (row: SessionTokenRecord) => tokenKey(row.session_id, row.user_id),
  notification_outbox: (row: NotificationRecord) => row.session_id,
  chat_messages: (row: ChatMessageRecord) => chatKey(row.session_id, row.id),
};

/**
 * What is on disk in a data folder — the snapshot with the journal replayed — read without taking
 * the lock (for inspection and for tests that check nothing acknowledged was lost).
 */
export async function readDurableState(dataDir: string): Promise<ClassroomData> {
  const data: ClassroomData = { ...emptyData(), ...(JSON.parse(await readFile(path.join(dataDir, STORE_FILE_NAME), 'utf8')) as ClassroomData) };
  const tables = new Map<TableName, Map<string, unknown>>();
  for (const table of Object.keys(ROW_KEY) as Array<keyof typeof ROW_KEY>) {
    const keyOf = ROW_KEY[table] as (row: unknown) => string;
    tables.set(table, new Map((data[table] as unknown[]).map((row) => [keyOf(row), row])));
  }
  for (const change of await new Journal(path.join(dataDir, JOURNAL_FILE_NAME)).readAll()) {
    if (change.t === 'secrets') data.secrets = { ...data.secrets, [change.k]: change.v as string };
    else if (change.v === null && change.t === 'chat_messages') {
      const prefix = change.k.split('\u0000')[0]!;
      for (const key of tables.get(change.t)!.keys()) if (key.startsWith(`${prefix}\u0000`)) tables.get(change.t)!.delete(key);
    } else replayRow(tables.get(change.t)!, change.k, change.v);
  }
  // Ended sessions live in the archive; a crash may leave one in both places (the archive's is the ended one).
  const sessions = tables.get('sessions')!;
  for (const record of await SessionArchive.readAll(dataDir)) sessions.set(record.id, record);
  for (const [table, rows] of tables) (data as unknown as Record<string, unknown[]>)[table] = [...rows.values()];
  return data;
}
