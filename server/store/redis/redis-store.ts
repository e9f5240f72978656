/**
 * The Redis store (CLASSROOM_STORE=redis, docs/interface.md §6.2): the same ClassroomStore contract as the lowdb
 * file, shared by every server node. Rows are JSON strings under `classroom:` keys, with sets as
 * indexes; a session is a hash whose `status` field stands on its own (the scripts read it to
 * refuse changing an ended session) beside `data`, the rest of the row as JSON. The operations that must be atomic across nodes — create-unless-live, end-if-live,
 * seed-if-empty, create-once secrets — are Lua scripts or SET NX. Access tokens expire by Redis
 * TTL. Durability is Redis's own (run it with AOF `appendfsync everysec` or `always` in production).
 */
import { Redis } from 'ioredis';
import type { SessionEndReason } from '@contract/domain';
import { isSessionLive, type AccessTokenRecord, type ArchivedSessionRecord, type BookingRecord, type ChatMessageRecord, type RingAnswer, type RingAnswerResult, answerChangesRing, type DeviceRecord, type NotificationRecord, type SessionRecord, type SessionTokenRecord, type UserRecord } from '../records';
import { nextRing, RETIRED_REFRESH_HASHES_KEPT, type ClassroomStore, type NewSession, type PastSessionsPage, type PurgeResult, type RefreshRotation, type RotationOutcome, type SessionPatch } from '../classroom-store';

const P = 'classroom:';
const k = {
  users: `${P}users`,
  seeded: `${P}meta:seeded`,
  user: (id: string) => `${P}user:${id}`,
  accessToken: (hash: string) => `${P}atok:${hash}`,
  accessTokenId: (id: string) => `${P}atok-id:${id}`,
  device: (id: string) => `${P}device:${id}`,
  userDevices: (userId: string) => `${P}devices:user:${userId}`,
  deviceAccessTokens: (deviceId: string) => `${P}device-atoks:${deviceId}`,
  booking: (m: string, s: string, slot: string) => `${P}booking:${m}:${s}:${slot}`,
  mentorBookings: (m: string) => `${P}bookings:mentor:${m}`,
  studentBookings: (s: string) => `${P}bookings:student:${s}`,
  chat: (sessionId: string) => `${P}chat:${sessionId}`,
  session: (id: string) => `${P}session:${id}`,
  room: (roomId: string) => `${P}room:${roomId}`,
  live: (m: string, s: string, slot: string) => `${P}live:${m}:${s}:${slot}`,
  liveByMentor: (m: string) => `${P}live:mentor:${m}`,
  liveByStudent: (s: string) => `${P}live:student:${s}`,
  unended: `${P}sessions:unended`,
  sessionToken: (sessionId: string, userId: string) => `${P}stok:${sessionId}:${userId}`,
  outbox: (sessionId: string) => `${P}outbox:${sessionId}`,
  pastByMentor: (m: string) => `${P}archive:mentor:${m}`,
  pastCount: (m: string) => `${P}archive:mentor-count:${m}`,
  undelivered: `${P}outbox:undelivered`,
  secret: (name: string) => `${P}secret:${name}`,
};

/**
 * KEYS: live, session, room, outbox, liveByMentor, liveByStudent, unended, undelivered, then token keys.
 * ARGV: sessionId, sessionDataJson, liveTtlMs, outboxJson, status, then token JSONs. Returns [1] or [0, existingId].
 */
const CREATE_UNLESS_LIVE = `
local existingId = redis.call('GET', KEYS[1])
if existingId then return {0, existingId} end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
redis.call('HSET', KEYS[2], 'status', ARGV[5], 'data', ARGV[2])
redis.call('SET', KEYS[3], ARGV[1])
redis.call('SET', KEYS[4], ARGV[4])
redis.call('SADD', KEYS[5], ARGV[1])
redis.call('SADD', KEYS[6], ARGV[1])
redis.call('SADD', KEYS[7], ARGV[1])
redis.call('SADD', KEYS[8], ARGV[1])
for i = 9, #KEYS do
  redis.call('SET', KEYS[i], ARGV[i - 3])
end
return {1}
`;

/**
 * KEYS: session. ARGV: patchJson (without status), status or ''. Applies the patch only while the
 * session exists and is not ended; returns [status, dataJson] after the change, or nil.
 */
const UPDATE_UNLESS_ENDED = `
local status = redis.call('HGET', KEYS[1], 'status')
if not status or status == 'ended' then return false end
local session = cjson.decode(redis.call('HGET', KEYS[1], 'data'))
for key, value in pairs(cjson.decode(ARGV[1])) do session[key] = value end
if ARGV[2] ~= '' then status = ARGV[2] end
local data = cjson.encode(session)
redis.call('HSET', KEYS[1], 'status', status, 'data', data)
return {status, data}
`;

/**
 * Ended sessions leave the working set for an archived key space: the row itself stays for
 * lookups for ARCHIVE_TTL_MS, and each mentor keeps a list of their last ARCHIVE_CAP_PER_MENTOR
 * ended sessions (with the ring's outcome) for paging — so Redis memory stays bounded however
 * many sessions a school has held. A per-mentor count of every session ever archived keeps page
 * cursors stable while the list is trimmed.
 */
export const ARCHIVE_TTL_MS = 30 * 24 * 3_600_000;
export const ARCHIVE_CAP_PER_MENTOR = 10_000;

/**
 * KEYS: session, live, liveByMentor, liveByStudent, unended, undelivered, outbox, room,
 * pastByMentor, pastCount, token keys…
 * ARGV: sessionId, endedAt, endReason, archiveTtlMs, archiveCap.
 * Ends only a session not ended yet — from its current row, so an update just before is kept —
 * archiving it with its ring's delivery time; returns the ended row's data JSON, or nil.
 */
const END_IF_LIVE = `
local status = redis.call('HGET', KEYS[1], 'status')
if not status or status == 'ended' then return false end
local session = cjson.decode(redis.call('HGET', KEYS[1], 'data'))
session.ended_at = ARGV[2]
session.end_reason = ARGV[3]
local data = cjson.encode(session)
redis.call('HSET', KEYS[1], 'status', 'ended', 'data', data)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[8], ARGV[4])
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
redis.call('SREM', KEYS[3], ARGV[1])
redis.call('SREM', KEYS[4], ARGV[1])
redis.call('SREM', KEYS[5], ARGV[1])
redis.call('SREM', KEYS[6], ARGV[1])
session.status = 'ended'
session.ring_delivered_at = cjson.null
session.ring_answer = cjson.null
session.ring_decline_reason = cjson.null
local outbox = redis.call('GET', KEYS[7])
if outbox then
  local ring = cjson.decode(outbox)
  session.ring_delivered_at = ring.delivered_at
  if ring.answer ~= nil then session.ring_answer = ring.answer end
  if ring.decline_reason ~= nil then session.ring_decline_reason = ring.decline_reason end
end
redis.call('RPUSH', KEYS[9], cjson.encode(session))
redis.call('LTRIM', KEYS[9], -tonumber(ARGV[5]), -1)
redis.call('INCR', KEYS[10])
redis.call('DEL', KEYS[7])
for i = 11, #KEYS do redis.call('DEL', KEYS[i]) end
return data
`;

/**
 * KEYS: device, deviceAccessTokens, accessToken, accessTokenId. ARGV: presentedHash, rotatedJson,
 * deviceTtlMs, accessTokenHash, accessTokenJson, accessTokenId, accessTokenTtlMs.
 * Returns 'rotated', 'retired' or 'unknown' (compare-and-swap on the current refresh hash).
 */
const ROTATE_REFRESH = `
local current = redis.call('GET', KEYS[1])
if not current then return 'unknown' end
local device = cjson.decode(current)
if device.refresh_hash ~= ARGV[1] then
  for _, hash in ipairs(device.retired_hashes) do
    if hash == ARGV[1] then return 'retired' end
  end
  return 'unknown'
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
redis.call('SET', KEYS[3], ARGV[5], 'PX', ARGV[7])
redis.call('SET', KEYS[4], ARGV[4], 'PX', ARGV[7])
redis.call('SADD', KEYS[2], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return 'rotated'
`;

/**
 * KEYS: device, deviceAccessTokens, userDevices. ARGV: deviceId, key prefix. Deletes the device
 * and every access token issued to it; returns 1 when the device existed.
 */
const DELETE_DEVICE = `
local hashes = redis.call('SMEMBERS', KEYS[2])
for _, hash in ipairs(hashes) do
  local json = redis.call('GET', ARGV[2] .. 'atok:' .. hash)
  if json then
    redis.call('DEL', ARGV[2] .. 'atok-id:' .. cjson.decode(json).id)
  end
  redis.call('DEL', ARGV[2] .. 'atok:' .. hash)
end
redis.call('DEL', KEYS[2])
redis.call('SREM', KEYS[3], ARGV[1])
return redis.call('DEL', KEYS[1])
`;

/** KEYS: outbox row, undelivered set. ARGV: the row as read, the new row, sessionId. 1 when written, 0 when the row had changed. */
const SET_IF_UNCHANGED = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('SREM', KEYS[2], ARGV[3])
return 1
`;

/** KEYS: user. ARGV: expectedPasswordHash, userJson. 1 when written, 0 when the hash had changed. */
const REPLACE_USER_IF_PASSWORD = `
local current = redis.call('GET', KEYS[1])
if not current or cjson.decode(current).password_hash ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1
`;

/** KEYS: list. ARGV: item, limit. Appends unless the list already holds `limit` items; 1 when it did. */
const APPEND_BOUNDED = `
if redis.call('LLEN', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('RPUSH', KEYS[1], ARGV[1])
return 1
`;

const parse = <T>(json: string | null | undefined): T | undefined => (json ? (JSON.parse(json) as T) : undefined);

/** A session row as its hash fields: `status` on its own, the rest as JSON. */
function sessionFields(session: SessionRecord): { status: SessionRecord['status']; data: string } {
  const { status, ...rest } = session;
  return { status, data: JSON.stringify(rest) };
}

function sessionFrom(status: string | null | undefined, data: string | null | undefined): SessionRecord | undefined {
  if (!status || !data) return undefined;
  return { ...(JSON.parse(data) as Omit<SessionRecord, 'status'>), status: status as SessionRecord['status'] };
}

export class RedisUnavailableError extends Error {
  override name = 'RedisUnavailableError';
}

export class RedisClassroomStore implements ClassroomStore {
  readonly kind = 'redis' as const;

  private constructor(private readonly redis: Redis) {}

  /** Connects and waits until Redis answers, or throws one clear line naming REDIS_URL. */
  static async open(url: string, timeoutMs = 5000): Promise<RedisClassroomStore> {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true, connectTimeout: timeoutMs });
    redis.on('error', () => undefined); // reported through the failed connect or command instead
    try {
      await redis.connect();
      await redis.ping();
    } catch (error) {
      redis.disconnect();
      throw new RedisUnavailableError(`REDIS_URL: Redis at ${redactUrl(url)} is unreachable (${(error as Error).message}).`);
    }
    return new RedisClassroomStore(redis);
  }

  // --- users -------------------------------------------------------------------------------

  async seedIfEmpty(users: UserRecord[], bookings: BookingRecord[]): Promise<boolean> {
    if ((await this.redis.scard(k.users)) > 0) return false;
    // One node seeds, however many start at once.
    if ((await this.redis.set(k.seeded, '1', 'NX')) !== 'OK') return false;
    await this.importDirectory(users, bookings);
    return true;
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    return parse(await this.redis.get(k.user(id)));
  }

  async upsertUsers(users: UserRecord[]): Promise<void> {
    await this.importDirectory(users, []);
  }

  async replaceUserIfPassword(user: UserRecord, expectedHash: string): Promise<boolean> {
    const written = ((await this.redis.eval(REPLACE_USER_IF_PASSWORD, 1, k.user(user.id), expectedHash, JSON.stringify(user))) as number) === 1;
    // After the new password is in place (as importDirectory): a sign-in with the old one in between is revoked too.
    if (written && user.password_hash !== expectedHash) await this.deleteUserDevices(user.id);
    return written;
  }

  async importDirectory(users: UserRecord[], bookings: BookingRecord[]): Promise<void> {
    const previous = users.length > 0 ? await this.redis.mget(users.map((u) => k.user(u.id))) : [];
    const passwordChanged = users.filter((user, i) => {
      const before = parse<UserRecord>(previous[i]);
      return before !== undefined && before.password_hash !== user.password_hash;
    });
    const tx = this.redis.multi();
    for (const user of users) tx.set(k.user(user.id), JSON.stringify(user)).sadd(k.users, user.id);
    for (const b of bookings) {
      const key = k.booking(b.mentor_id, b.student_id, b.slot_id);
      tx.set(key, JSON.stringify(b)).sadd(k.mentorBookings(b.mentor_id), key).sadd(k.studentBookings(b.student_id), key);
    }
    await tx.exec();
    // After the new password is in place: a sign-in with the old one in between is revoked too.
    for (const user of passwordChanged) await this.deleteUserDevices(user.id);
  }

  // --- access tokens -----------------------------------------------------------------------

  async saveAccessToken(record: AccessTokenRecord): Promise<void> {
    const ttl = Math.max(1, Date.parse(record.expires_at) - Date.now());
    await this.redis
      .multi()
      .set(k.accessToken(record.token_hash), JSON.stringify(record), 'PX', ttl)
      .set(k.accessTokenId(record.id), record.token_hash, 'PX', ttl)
      .exec();
  }

  async findAccessTokenByHash(tokenHash: string): Promise<AccessTokenRecord | undefined> {
    return parse(await this.redis.get(k.accessToken(tokenHash)));
  }

  async deleteAccessToken(id: string): Promise<boolean> {
    const hash = await this.redis.get(k.accessTokenId(id));
    if (!hash) return false;
    await this.redis.del(k.accessToken(hash), k.accessTokenId(id));
    return true;
  }

  // --- device sign-ins ---------------------------------------------------------------------

  async createDevice(device: DeviceRecord, accessToken: AccessTokenRecord): Promise<void> {
    const deviceTtl = Math.max(1, Date.parse(device.refresh_expires_at) - Date.now());
    const tokenTtl = Math.max(1, Date.parse(accessToken.expires_at) - Date.now());
    await this.redis
      .multi()
      .set(k.device(device.id), JSON.stringify(device), 'PX', deviceTtl)
      .sadd(k.userDevices(device.user_id), device.id)
      .set(k.accessToken(accessToken.token_hash), JSON.stringify(accessToken), 'PX', tokenTtl)
      .set(k.accessTokenId(accessToken.id), accessToken.token_hash, 'PX', tokenTtl)
      .sadd(k.deviceAccessTokens(device.id), accessToken.token_hash)
      .pexpire(k.deviceAccessTokens(device.id), deviceTtl)
      .exec();
  }

  async getDevice(id: string): Promise<DeviceRecord | undefined> {
    return parse(await this.redis.get(k.device(id)));
  }

  async listDevices(userId: string): Promise<DeviceRecord[]> {
    const ids = await this.redis.smembers(k.userDevices(userId));
    const devices = await this.getMany<DeviceRecord>(ids.map(k.device));
    // Devices that expired by TTL leave their id in the set: tidy up as we go.
    const live = new Set(devices.map((d) => d.id));
    const gone = ids.filter((id) => !live.has(id));
    if (gone.length > 0) await this.redis.srem(k.userDevices(userId), ...gone);
    return devices;
  }

  async rotateRefreshToken(deviceId: string, presentedHash: string, next: RefreshRotation, accessToken: AccessTokenRecord): Promise<RotationOutcome> {
    const device = await this.getDevice(deviceId);
    if (!device) return 'unknown';
    const rotated: DeviceRecord = { ...device, ...next, retired_hashes: [presentedHash, ...device.retired_hashes].slice(0, RETIRED_REFRESH_HASHES_KEPT) };
    const deviceTtl = Math.max(1, Date.parse(next.refresh_expires_at) - Date.now());
    const tokenTtl = Math.max(1, Date.parse(accessToken.expires_at) - Date.now());
    const keys = [k.device(deviceId), k.deviceAccessTokens(deviceId), k.accessToken(accessToken.token_hash), k.accessTokenId(accessToken.id)];
    const args = [presentedHash, JSON.stringify(rotated), String(deviceTtl), accessToken.token_hash, JSON.stringify(accessToken), accessToken.id, String(tokenTtl)];
    return (await this.redis.eval(ROTATE_REFRESH, keys.length, ...keys, ...args)) as RotationOutcome;
  }

  async deleteDevice(id: string): Promise<boolean> {
    const device = await this.getDevice(id);
    const keys = [k.device(id), k.deviceAccessTokens(id), k.userDevices(device?.user_id ?? '')];
    return ((await this.redis.eval(DELETE_DEVICE, keys.length, ...keys, id, P)) as number) === 1;
  }

  async deleteUserDevices(userId: string): Promise<string[]> {
    const ids = await this.redis.smembers(k.userDevices(userId));
    const deleted: string[] = [];
    for (const id of ids) {
      const keys = [k.device(id), k.deviceAccessTokens(id), k.userDevices(userId)];
      if (((await this.redis.eval(DELETE_DEVICE, keys.length, ...keys, id, P)) as number) === 1) deleted.push(id);
    }
    return deleted;
  }

  // --- bookings ----------------------------------------------------------------------------

  async listBookingsForMentor(mentorId: string): Promise<BookingRecord[]> {
    const keys = await this.redis.smembers(k.mentorBookings(mentorId));
    return this.getMany<BookingRecord>(keys);
  }

  async listBookingsForStudent(studentId: string): Promise<BookingRecord[]> {
    return this.getMany<BookingRecord>(await this.redis.smembers(k.studentBookings(studentId)));
  }

  async findBooking(mentorId: string, studentId: string, slotId: string): Promise<BookingRecord | undefined> {
    return parse(await this.redis.get(k.booking(mentorId, studentId, slotId)));
  }

  async upsertBookings(bookings: BookingRecord[]): Promise<void> {
    await this.importDirectory([], bookings);
  }

  private async getMany<T>(keys: string[]): Promise<T[]> {
    if (keys.length === 0) return [];
    return (await this.redis.mget(keys)).flatMap((json) => (json ? [JSON.parse(json) as T] : []));
  }

  // --- sessions ----------------------------------------------------------------------------

  async createSessionUnlessLive(input: NewSession, nowMs: number): Promise<{ session: SessionRecord; created: boolean }> {
    const { session, tokens, notification } = input;
    const liveTtl = Math.max(1, Date.parse(session.expires_at) - nowMs);
    const keys = [
      k.live(session.mentor_id, session.student_id, session.slot_id),
      k.session(session.id),
      k.room(session.room_id),
      k.outbox(session.id),
      k.liveByMentor(session.mentor_id),
      k.liveByStudent(session.student_id),
      k.unended,
      k.undelivered,
      ...tokens.map((t) => k.sessionToken(t.session_id, t.user_id)),
    ];
    const { status, data } = sessionFields(session);
    const args = [session.id, data, String(liveTtl), JSON.stringify(notification), status, ...tokens.map((t) => JSON.stringify(t))];
    const result = (await this.redis.eval(CREATE_UNLESS_LIVE, keys.length, ...keys, ...args)) as [number, string?];
    if (result[0] === 1) return { session: structuredClone(session), created: true };
    const existing = await this.getSession(result[1]!);
    if (existing && isSessionLive(existing, nowMs)) return { session: existing, created: false };
    // The live marker outlived its session (ended between calls): clear it and try once more.
    await this.redis.del(keys[0]!);
    return this.createSessionUnlessLive(input, nowMs);
  }

  async getSession(id: string): Promise<SessionRecord | undefined> {
    const [status, data] = await this.redis.hmget(k.session(id), 'status', 'data');
    return sessionFrom(status, data);
  }

  async findSessionByRoom(roomId: string): Promise<SessionRecord | undefined> {
    const id = await this.redis.get(k.room(roomId));
    return id ? this.getSession(id) : undefined;
  }

  private async sessionsIn(setKey: string): Promise<SessionRecord[]> {
    const ids = await this.redis.smembers(setKey);
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hmget(k.session(id), 'status', 'data');
    const replies = (await pipeline.exec()) ?? [];
    return replies.flatMap(([error, fields]) => {
      const session = error ? undefined : sessionFrom(...(fields as [string | null, string | null]));
      return session ? [session] : [];
    });
  }

  async listLiveSessionsForMentor(mentorId: string, nowMs: number): Promise<SessionRecord[]> {
    return (await this.sessionsIn(k.liveByMentor(mentorId))).filter((s) => isSessionLive(s, nowMs));
  }

  async listLiveSessionsForStudent(studentId: string, nowMs: number): Promise<SessionRecord[]> {
    return (await this.sessionsIn(k.liveByStudent(studentId))).filter((s) => isSessionLive(s, nowMs));
  }

  async listExpiredUnendedSessions(nowMs: number): Promise<SessionRecord[]> {
    return (await this.sessionsIn(k.unended)).filter((s) => !isSessionLive(s, nowMs));
  }

  async updateSession(id: string, patch: SessionPatch): Promise<SessionRecord | undefined> {
    const { status, ...fields } = patch;
    if ((status as string | undefined) === 'ended') return undefined; // ending is endSession's
    const result = (await this.redis.eval(UPDATE_UNLESS_ENDED, 1, k.session(id), JSON.stringify(fields), status ?? '')) as [string, string] | null;
    return result ? sessionFrom(...result) : undefined;
  }

  async endSession(id: string, endedAt: string, reason: SessionEndReason): Promise<SessionRecord | undefined> {
    const session = await this.getSession(id);
    if (!session || session.status === 'ended') return undefined;
    const keys = [
      k.session(id),
      k.live(session.mentor_id, session.student_id, session.slot_id),
      k.liveByMentor(session.mentor_id),
      k.liveByStudent(session.student_id),
      k.unended,
      k.undelivered,
      k.outbox(id),
      k.room(session.room_id),
      k.pastByMentor(session.mentor_id),
      k.pastCount(session.mentor_id),
      k.sessionToken(id, session.mentor_id),
      k.sessionToken(id, session.student_id),
      k.chat(id),
    ];
    const data = (await this.redis.eval(END_IF_LIVE, keys.length, ...keys, id, endedAt, reason, ARCHIVE_TTL_MS, ARCHIVE_CAP_PER_MENTOR)) as string | null;
    return data === null ? undefined : sessionFrom('ended', data);
  }

  async listPastSessionsForMentor(mentorId: string, limit: number, cursor?: string): Promise<PastSessionsPage> {
    // Positions count every session the mentor ever archived; the list holds the newest of them.
    const [[, countText], [, length]] = (await this.redis.multi().get(k.pastCount(mentorId)).llen(k.pastByMentor(mentorId)).exec()) as [[null, string | null], [null, number]];
    const total = Number(countText ?? 0);
    const firstKept = total - length;
    const end = Math.min(cursor !== undefined && /^\d+$/.test(cursor) ? Number(cursor) : total, total);
    const start = Math.max(firstKept, end - limit);
    if (end <= start) return { sessions: [], cursor: null };
    const rows = await this.redis.lrange(k.pastByMentor(mentorId), start - firstKept, end - firstKept - 1);
    return { sessions: rows.reverse().map((row) => JSON.parse(row) as ArchivedSessionRecord), cursor: start > firstKept ? String(start) : null };
  }

  async getSessionToken(sessionId: string, userId: string): Promise<SessionTokenRecord | undefined> {
    return parse(await this.redis.get(k.sessionToken(sessionId, userId)));
  }

  async putSessionToken(record: SessionTokenRecord): Promise<void> {
    await this.redis.set(k.sessionToken(record.session_id, record.user_id), JSON.stringify(record));
  }

  // --- notification outbox -----------------------------------------------------------------

  async getNotification(sessionId: string): Promise<NotificationRecord | undefined> {
    return parse(await this.redis.get(k.outbox(sessionId)));
  }

  async listUndeliveredNotifications(studentId?: string): Promise<NotificationRecord[]> {
    const ids = await this.redis.smembers(k.undelivered);
    const rows = await this.getMany<NotificationRecord>(ids.map(k.outbox));
    return rows.filter((row) => row.delivered_at === null && (studentId === undefined || row.student_id === studentId));
  }

  async markNotificationSent(sessionId: string, at: string): Promise<void> {
    const row = await this.getNotification(sessionId);
    if (!row) return;
    await this.redis.set(k.outbox(sessionId), JSON.stringify({ ...row, last_sent_at: at, send_count: row.send_count + 1 }), 'XX');
  }

  async markNotificationDelivered(sessionId: string, at: string): Promise<NotificationRecord | undefined> {
    const row = await this.getNotification(sessionId);
    if (!row) return undefined;
    if (row.delivered_at !== null) return row;
    const delivered = { ...row, delivered_at: at };
    await this.redis.multi().set(k.outbox(sessionId), JSON.stringify(delivered), 'XX').srem(k.undelivered, sessionId).exec();
    return delivered;
  }

  async answerRing(sessionId: string, answer: RingAnswer, at: string, declineReason: string | null): Promise<RingAnswerResult | undefined> {
    // Compare-and-set on the row as it was read: another answer written in between makes us read again.
    for (let attempt = 0; attempt < 10; attempt++) {
      const json = await this.redis.get(k.outbox(sessionId));
      const row = parse<NotificationRecord>(json);
      if (!row) return undefined;
      if (!answerChangesRing(row, answer, declineReason)) return { row, changed: false };
      const answered: NotificationRecord = { ...row, answer, answered_at: at, decline_reason: declineReason, delivered_at: row.delivered_at ?? at };
      const written = (await this.redis.eval(SET_IF_UNCHANGED, 2, k.outbox(sessionId), k.undelivered, json!, JSON.stringify(answered), sessionId)) as number;
      if (written === 1) return { row: answered, changed: true };
    }
    throw new Error(`the ring of ${sessionId} kept changing while it was answered`);
  }

  async restartRing(sessionId: string, at: string): Promise<NotificationRecord | undefined> {
    const row = await this.getNotification(sessionId);
    if (!row) return undefined;
    const next = nextRing(row, at);
    await this.redis.multi().set(k.outbox(sessionId), JSON.stringify(next), 'XX').sadd(k.undelivered, sessionId).exec();
    return next;
  }

  async appendChatMessage(message: ChatMessageRecord, limit: number): Promise<boolean> {
    const appended = (await this.redis.eval(APPEND_BOUNDED, 1, k.chat(message.session_id), JSON.stringify(message), String(limit))) as number;
    return appended === 1;
  }

  async listChatMessages(sessionId: string): Promise<ChatMessageRecord[]> {
    return (await this.redis.lrange(k.chat(sessionId), 0, -1)).map((json) => JSON.parse(json) as ChatMessageRecord);
  }

  // --- maintenance -------------------------------------------------------------------------

  async purgeExpired(nowMs: number): Promise<PurgeResult> {
    // Access tokens and devices expire by TTL; the outbox row of a session goes when it is ended.
    const result: PurgeResult = { accessTokens: 0, devices: 0, sessionTokens: 0, notifications: 0 };
    for (const session of await this.listExpiredUnendedSessions(nowMs)) {
      result.sessionTokens += await this.redis.del(k.sessionToken(session.id, session.mentor_id), k.sessionToken(session.id, session.student_id));
    }
    return result;
  }

  async getOrCreateSecret(name: string, create: () => string): Promise<string> {
    await this.redis.set(k.secret(name), create(), 'NX');
    return (await this.redis.get(k.secret(name)))!;
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the configured URL';
  }
}
