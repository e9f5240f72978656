/**
 * One behavioural suite for every ClassroomStore implementation (lowdb file, Redis): the same
 * expectations, so the two cannot drift.
 */
import { describe, expect, it } from 'vitest';
import type { AccessTokenRecord, DeviceRecord, UserRecord } from '../../server/store/records';
import { RETIRED_REFRESH_HASHES_KEPT, type ClassroomStore } from '../../server/store/classroom-store';
import { newSession } from '../helpers/session-fixtures';

const HOUR = 3_600_000;

const user = (id: string, role: 'mentor' | 'student'): UserRecord => ({ id, name: `Name ${id}`, role, password_hash: 'scrypt$x', time_zone: 'UTC', slot_ids: [], created_at: '2026-01-01T00:00:00.000Z' });

const iso = (ms: number) => new Date(ms).toISOString();
const device = (id: string, userId: string, refreshHash: string, now = Date.now()): DeviceRecord => ({
  id,
  user_id: userId,
  label: `Laptop ${id}`,
  created_at: iso(now),
  last_seen_at: iso(now),
  refresh_hash: refreshHash,
  refresh_expires_at: iso(now + 30 * 24 * HOUR),
  retired_hashes: [],
});
const accessToken = (id: string, userId: string, deviceId: string, now = Date.now()): AccessTokenRecord => ({
  id,
  token_hash: `hash-${id}`,
  user_id: userId,
  device_id: deviceId,
  created_at: iso(now),
  expires_at: iso(now + HOUR),
});
const rotation = (hash: string, now = Date.now()) => ({ refresh_hash: hash, refresh_expires_at: iso(now + 30 * 24 * HOUR), last_seen_at: iso(now) });

export function describeClassroomStore(name: string, open: () => Promise<ClassroomStore>) {
  /** A fresh store holding one live session, `newSession(n)`, created now. */
  async function openWithLiveSession(n: number) {
    const store = await open();
    const now = Date.now();
    const input = newSession(n, now);
    const { session } = await store.createSessionUnlessLive(input, now);
    return { store, now, input, session };
  }

  /** A fresh store with these device sign-ins (their students created first), each with its first access token. */
  async function openWithDevices(signIns: Array<[deviceId: string, studentId: string, refreshHash: string, accessTokenId: string]>) {
    const store = await open();
    await store.upsertUsers([...new Set(signIns.map(([, studentId]) => studentId))].map((id) => user(id, 'student')));
    for (const [deviceId, studentId, refreshHash, accessTokenId] of signIns) await store.createDevice(device(deviceId, studentId, refreshHash), accessToken(accessTokenId, studentId, deviceId));
    return store;
  }

  describe(`ClassroomStore contract: ${name}`, () => {
    it('creates a session once per live slot, atomically, even under concurrent calls', async () => {
      const store = await open();
      const now = Date.now();
      const attempts = Array.from({ length: 20 }, (_, i) => {
        const input = newSession(100 + i, now);
        input.session.student_id = 'S1';
        input.notification.student_id = 'S1';
        return store.createSessionUnlessLive(input, now);
      });
      const results = await Promise.all(attempts);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const winner = results.find((r) => r.created)!.session.id;
      expect(new Set(results.map((r) => r.session.id))).toEqual(new Set([winner]));
      expect(await store.findSessionByRoom(results[0]!.session.room_id)).toMatchObject({ id: winner });
      await store.close();
    });

    it('lists live sessions per mentor and student, ends one exactly once and drops its tokens and outbox row', async () => {
      const store = await open();
      const now = Date.now();
      const a = newSession(1, now);
      const b = newSession(2, now, { slot_id: 'tue-14-15' });
      await store.createSessionUnlessLive(a, now);
      await store.createSessionUnlessLive(b, now);
      expect((await store.listLiveSessionsForMentor('mentor_001', now)).map((s) => s.id).sort()).toEqual(['session_1', 'session_2']);
      expect((await store.listLiveSessionsForStudent('S1', now)).map((s) => s.id)).toEqual(['session_1']);
      expect(await store.getSessionToken('session_1', 'S1')).toMatchObject({ token: 'token-session_1-S1' });

      const ended = await store.endSession('session_1', new Date(now).toISOString(), 'ended_by_mentor');
      expect(ended).toMatchObject({ status: 'ended', end_reason: 'ended_by_mentor' });
      expect(await store.endSession('session_1', new Date(now).toISOString(), 'ended_by_mentor')).toBeUndefined();
      expect(await store.getSession('session_1')).toMatchObject({ status: 'ended' });
      expect(await store.getSessionToken('session_1', 'S1')).toBeUndefined();
      expect(await store.getNotification('session_1')).toBeUndefined();
      expect((await store.listLiveSessionsForMentor('mentor_001', now)).map((s) => s.id)).toEqual(['session_2']);
      // The slot is free again.
      expect((await store.createSessionUnlessLive(newSession(3, now), now)).created).toBe(true);
      await store.close();
    });

    it('archives ended sessions: still found by id and room, paged per mentor newest first with the ring outcome', async () => {
      const store = await open();
      const now = Date.now();
      for (let i = 0; i < 5; i++) await store.createSessionUnlessLive(newSession(200 + i, now), now);
      await store.markNotificationDelivered('session_201', new Date(now).toISOString());
      await store.markNotificationDelivered('session_202', new Date(now).toISOString());
      await store.answerRing('session_202', 'declined', new Date(now).toISOString(), 'Ill today');
      for (let i = 0; i < 5; i++) await store.endSession(`session_${200 + i}`, new Date(now + i * 1000).toISOString(), 'ended_by_mentor');

      const first = await store.listPastSessionsForMentor('mentor_001', 2);
      expect(first.sessions.map((s) => s.id)).toEqual(['session_204', 'session_203']);
      expect(first.cursor).not.toBeNull();
      const second = await store.listPastSessionsForMentor('mentor_001', 2, first.cursor!);
      expect(second.sessions.map((s) => s.id)).toEqual(['session_202', 'session_201']);
      expect(second.sessions[1]).toMatchObject({ status: 'ended', end_reason: 'ended_by_mentor', student_id: 'S201', ring_delivered_at: new Date(now).toISOString() });
      expect(second.sessions[1]).toMatchObject({ ring_answer: null, ring_decline_reason: null });
      // The answer outlives the outbox row, which goes when the session ends.
      expect(second.sessions[0]).toMatchObject({ id: 'session_202', ring_answer: 'declined', ring_decline_reason: 'Ill today' });
      expect(first.sessions[0]!.ring_delivered_at).toBeNull();
      const last = await store.listPastSessionsForMentor('mentor_001', 2, second.cursor!);
      expect(last).toEqual({ sessions: [expect.objectContaining({ id: 'session_200' })], cursor: null });
      expect(await store.listPastSessionsForMentor('mentor_002', 10)).toEqual({ sessions: [], cursor: null });

      expect(await store.getSession('session_200')).toMatchObject({ status: 'ended', ended_at: new Date(now).toISOString() });
      expect(await store.findSessionByRoom('room_203')).toMatchObject({ id: 'session_203', status: 'ended' });
      expect(await store.listLiveSessionsForMentor('mentor_001', now)).toEqual([]);
      // A new session of the same booking starts afresh; the live one is not in the past list.
      expect((await store.createSessionUnlessLive(newSession(205, now, { student_id: 'S200' }), now)).created).toBe(true);
      expect((await store.listPastSessionsForMentor('mentor_001', 10)).sessions).toHaveLength(5);
      await store.close();
    });

    it('finds sessions past their time as expired-but-not-ended, and updates fields', async () => {
      const store = await open();
      const now = Date.now();
      await store.createSessionUnlessLive(newSession(7, now), now);
      expect(await store.listExpiredUnendedSessions(now)).toEqual([]);
      expect((await store.listExpiredUnendedSessions(now + HOUR + 1)).map((s) => s.id)).toEqual(['session_7']);
      expect(await store.listLiveSessionsForStudent('S7', now + HOUR + 1)).toEqual([]);
      const updated = await store.updateSession('session_7', { status: 'active', student_joined_at: new Date(now).toISOString() });
      expect(updated).toMatchObject({ status: 'active' });
      expect(await store.getSession('session_7')).toMatchObject({ status: 'active', student_joined_at: new Date(now).toISOString() });
      await store.putSessionToken({ ...newSession(7, now).tokens[1]!, token: 'renewed' });
      expect((await store.getSessionToken('session_7', 'S7'))?.token).toBe('renewed');
      await store.close();
    });

    it('tracks the notification outbox: sent, delivered once, listed while undelivered', async () => {
      const store = await open();
      const now = Date.now();
      await store.createSessionUnlessLive(newSession(4, now), now);
      await store.createSessionUnlessLive(newSession(5, now, { slot_id: 'wed-09-10' }), now);
      expect((await store.listUndeliveredNotifications('S4')).map((n) => n.session_id)).toEqual(['session_4']);
      expect((await store.listUndeliveredNotifications()).map((n) => n.session_id).sort()).toEqual(['session_4', 'session_5']);
      await store.markNotificationSent('session_4', 'A');
      await store.markNotificationSent('session_4', 'B');
      expect(await store.getNotification('session_4')).toMatchObject({ send_count: 2, last_sent_at: 'B', delivered_at: null });
      await store.markNotificationDelivered('session_4', 'C');
      await store.markNotificationDelivered('session_4', 'D');
      expect(await store.getNotification('session_4')).toMatchObject({ delivered_at: 'C' });
      expect(await store.listUndeliveredNotifications('S4')).toEqual([]);
      await store.close();
    });

    it('answers a ring (which proves delivery), rings again on the same row, and lists a student’s bookings', async () => {
      const { store, now, input } = await openWithLiveSession(7);
      // The same decline sent three times at once (a toast firing twice, a retry): one answer.
      const declines = await Promise.all([1, 2, 3].map(() => store.answerRing(input.session.id, 'declined', iso(now + 1000), 'Running late')));
      expect(declines.filter((d) => d?.changed)).toHaveLength(1);
      const declined = declines.find((d) => d?.changed)!.row;
      expect(declined).toMatchObject({ answer: 'declined', decline_reason: 'Running late', delivered_at: iso(now + 1000) });
      // A new reason is a new answer; joining replaces a decline; a decline never replaces a join.
      expect((await store.answerRing(input.session.id, 'declined', iso(now + 1100), 'Ill today'))?.changed).toBe(true);
      expect((await store.answerRing(input.session.id, 'joined', iso(now + 1200), null))?.changed).toBe(true);
      const afterJoin = await store.answerRing(input.session.id, 'declined', iso(now + 1300), 'Too late');
      expect(afterJoin).toMatchObject({ changed: false, row: { answer: 'joined', answered_at: iso(now + 1200) } });
      expect(await store.getNotification(input.session.id)).toMatchObject({ answer: 'joined' });
      expect(await store.listUndeliveredNotifications()).toEqual([]);
      const again = await store.restartRing(input.session.id, iso(now + 2000));
      expect(again).toMatchObject({ ring_attempt: 2, answer: null, decline_reason: null, delivered_at: null, created_at: iso(now + 2000), send_count: 0 });
      expect((await store.listUndeliveredNotifications()).map((r) => r.session_id)).toEqual([input.session.id]);
      expect(await store.getNotification(input.session.id)).toMatchObject({ ring_attempt: 2, answer: null });
      expect(await store.answerRing('session_unknown', 'joined', iso(now), null)).toBeUndefined();

      await store.upsertBookings([
        { id: 'b1', mentor_id: 'M1', student_id: 'S9', slot_id: 'mon-09-10', session_type: 'A', created_at: iso(now) },
        { id: 'b2', mentor_id: 'M2', student_id: 'S9', slot_id: 'tue-09-10', session_type: 'B', created_at: iso(now) },
        { id: 'b3', mentor_id: 'M1', student_id: 'S8', slot_id: 'wed-09-10', session_type: 'C', created_at: iso(now) },
      ]);
      expect((await store.listBookingsForStudent('S9')).map((b) => b.id).sort()).toEqual(['b1', 'b2']);
      await store.close();
    });

    it('keeps a live session’s chat in order up to a limit, and drops it when the session ends', async () => {
      const { store, now, input } = await openWithLiveSession(8);
      const message = (n: number) => ({ id: `msg_${n}`, session_id: input.session.id, user_id: 'mentor_001', text: `hello ${n}`, sent_at: iso(now + n) });
      expect(await store.appendChatMessage(message(1), 2)).toBe(true);
      expect(await store.appendChatMessage(message(2), 2)).toBe(true);
      expect(await store.appendChatMessage(message(3), 2)).toBe(false);
      expect((await store.listChatMessages(input.session.id)).map((m) => m.text)).toEqual(['hello 1', 'hello 2']);
      expect(await store.listChatMessages('session_other')).toEqual([]);
      await store.endSession(input.session.id, iso(now + 10), 'ended_by_mentor');
      expect(await store.listChatMessages(input.session.id)).toEqual([]);
      await store.close();
    });

    it('keeps users, bookings, access tokens and secrets', async () => {
      const store = await open();
      expect(await store.seedIfEmpty([user('M1', 'mentor'), user('S9', 'student')], [{ id: 'b1', mentor_id: 'M1', student_id: 'S9', slot_id: 'fri-09-10', session_type: 'x', created_at: 'now' }])).toBe(true);
      expect(await store.seedIfEmpty([user('M2', 'mentor')], [])).toBe(false);
      expect(await store.getUser('M2')).toBeUndefined();
      expect(await store.getUser('S9')).toMatchObject({ role: 'student' });
      expect(await store.findBooking('M1', 'S9', 'fri-09-10')).toMatchObject({ id: 'b1' });
      expect((await store.listBookingsForMentor('M1')).map((b) => b.id)).toEqual(['b1']);
      await store.importDirectory([{ ...user('S9', 'student'), name: 'Renamed' }], [{ id: 'b2', mentor_id: 'M1', student_id: 'S9', slot_id: 'sat-09-10', session_type: 'y', created_at: 'now' }]);
      expect((await store.getUser('S9'))?.name).toBe('Renamed');
      expect((await store.listBookingsForMentor('M1')).map((b) => b.id).sort()).toEqual(['b1', 'b2']);

      const record = { id: 'at_1', token_hash: 'h1', user_id: 'S9', created_at: new Date().toISOString(), expires_at: new Date(Date.now() + HOUR).toISOString() };
      await store.saveAccessToken(record);
      expect(await store.findAccessTokenByHash('h1')).toEqual(record);
      expect(await store.deleteAccessToken('at_1')).toBe(true);
      expect(await store.findAccessTokenByHash('h1')).toBeUndefined();
      expect(await store.deleteAccessToken('at_1')).toBe(false);

      const first = await store.getOrCreateSecret('k', () => 'one');
      expect(await store.getOrCreateSecret('k', () => 'two')).toBe(first);
      await store.close();
    });

    it('keeps device sign-ins with their access tokens, and signs one device out with all its tokens', async () => {
      const store = await openWithDevices([
        ['dev_a', 'S1', 'r-a', 'at_a1'],
        ['dev_b', 'S1', 'r-b', 'at_b1'],
        ['dev_c', 'S2', 'r-c', 'at_c1'],
      ]);
      expect((await store.listDevices('S1')).map((d) => d.id).sort()).toEqual(['dev_a', 'dev_b']);
      expect(await store.getDevice('dev_a')).toMatchObject({ user_id: 'S1', refresh_hash: 'r-a', label: 'Laptop dev_a' });
      expect(await store.findAccessTokenByHash('hash-at_a1')).toMatchObject({ device_id: 'dev_a' });

      expect(await store.deleteDevice('dev_a')).toBe(true);
      expect(await store.deleteDevice('dev_a')).toBe(false);
      expect(await store.getDevice('dev_a')).toBeUndefined();
      expect(await store.findAccessTokenByHash('hash-at_a1')).toBeUndefined();
      expect((await store.listDevices('S1')).map((d) => d.id)).toEqual(['dev_b']);
      expect(await store.findAccessTokenByHash('hash-at_b1')).toBeDefined();

      expect(await store.deleteUserDevices('S1')).toEqual(['dev_b']);
      expect(await store.listDevices('S1')).toEqual([]);
      expect(await store.findAccessTokenByHash('hash-at_b1')).toBeUndefined();
      expect((await store.listDevices('S2')).map((d) => d.id)).toEqual(['dev_c']);
      await store.close();
    });

    it('rotates a refresh hash exactly once under concurrent refreshes, and recognises a spent one', async () => {
      const store = await open();
      await store.createDevice(device('dev_r', 'S1', 'r0'), accessToken('at_r0', 'S1', 'dev_r'));
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, (_, i) => store.rotateRefreshToken('dev_r', 'r0', rotation(`r1-${i}`), accessToken(`at_r1_${i}`, 'S1', 'dev_r'))),
      );
      expect(outcomes.filter((o) => o === 'rotated')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'retired')).toHaveLength(9);
      const winner = outcomes.indexOf('rotated');
      const rotated = await store.getDevice('dev_r');
      expect(rotated).toMatchObject({ refresh_hash: `r1-${winner}`, retired_hashes: ['r0'] });
      // Only the winner's access token was stored with it.
      expect(await store.findAccessTokenByHash(`hash-at_r1_${winner}`)).toMatchObject({ device_id: 'dev_r' });
      expect(await store.findAccessTokenByHash(`hash-at_r1_${(winner + 1) % 10}`)).toBeUndefined();

      expect(await store.rotateRefreshToken('dev_r', 'r0', rotation('x'), accessToken('at_x', 'S1', 'dev_r'))).toBe('retired');
      expect(await store.rotateRefreshToken('dev_r', 'never-issued', rotation('y'), accessToken('at_y', 'S1', 'dev_r'))).toBe('unknown');
      expect(await store.rotateRefreshToken('dev_missing', 'r0', rotation('z'), accessToken('at_z', 'S1', 'dev_missing'))).toBe('unknown');
      expect((await store.getDevice('dev_r'))?.refresh_hash).toBe(`r1-${winner}`);

      // The spent hashes kept are bounded.
      let current = `r1-${winner}`;
      for (let i = 0; i < RETIRED_REFRESH_HASHES_KEPT + 5; i++) {
        expect(await store.rotateRefreshToken('dev_r', current, rotation(`g${i}`), accessToken(`at_g${i}`, 'S1', 'dev_r'))).toBe('rotated');
        current = `g${i}`;
      }
      const long = await store.getDevice('dev_r');
      expect(long?.retired_hashes).toHaveLength(RETIRED_REFRESH_HASHES_KEPT);
      expect(long?.retired_hashes[0]).toBe(`g${RETIRED_REFRESH_HASHES_KEPT + 3}`);
      // Signing the device out takes every access token the rotations issued.
      await store.deleteDevice('dev_r');
      expect(await store.findAccessTokenByHash('hash-at_g3')).toBeUndefined();
      expect(await store.findAccessTokenByHash('hash-at_r0')).toBeUndefined();
      await store.close();
    });

    it('never revives an ended session: an update after the end, or racing it, changes nothing', async () => {
      const store = await open();
      const now = Date.now();
      await store.createSessionUnlessLive(newSession(30, now), now);
      await store.endSession('session_30', iso(now), 'ended_by_mentor');
      expect(await store.updateSession('session_30', { status: 'active', student_joined_at: iso(now) })).toBeUndefined();
      expect(await store.getSession('session_30')).toMatchObject({ status: 'ended', end_reason: 'ended_by_mentor', student_joined_at: null });
      expect(await store.listLiveSessionsForStudent('S30', now)).toEqual([]);

      // The end and an update issued together, in both orders, many times: always ended at the end.
      for (let i = 0; i < 20; i++) {
        const id = `session_${40 + i}`;
        await store.createSessionUnlessLive(newSession(40 + i, now), now);
        const update = () => store.updateSession(id, { status: 'active', mentor_joined_at: iso(now) });
        const end = () => store.endSession(id, iso(now), 'ended_by_mentor');
        const [first, second] = i % 2 === 0 ? await Promise.all([end(), update()]) : await Promise.all([update(), end()]);
        expect(await store.getSession(id)).toMatchObject({ status: 'ended' });
        const ended = (i % 2 === 0 ? first : second) as Awaited<ReturnType<typeof end>>;
        expect(ended).toMatchObject({ status: 'ended' });
        // An update that won the race is kept in the ended row, not overwritten by a stale copy.
        const updated = (i % 2 === 0 ? second : first) as Awaited<ReturnType<typeof update>>;
        if (updated) expect(ended).toMatchObject({ mentor_joined_at: iso(now) });
      }
      expect(await store.listLiveSessionsForMentor('mentor_001', now)).toEqual([]);
      await store.close();
    });

    it('hands out and takes in copies: changing a record held by the caller never changes the store', async () => {
      const { store, now, input, session: created } = await openWithLiveSession(60);
      input.session.status = 'active';
      input.tokens[0]!.token = 'tampered';
      input.notification.delivered_at = 'tampered';
      created.student_id = 'tampered';
      const held = (await store.getSession('session_60'))!;
      held.status = 'active';
      (await store.findSessionByRoom('room_60'))!.mentor_id = 'tampered';
      (await store.listLiveSessionsForMentor('mentor_001', now))[0]!.slot_id = 'tampered';
      (await store.getSessionToken('session_60', 'S60'))!.token = 'tampered';
      (await store.getNotification('session_60'))!.send_count = 99;
      (await store.listUndeliveredNotifications('S60'))[0]!.delivered_at = 'tampered';

      const fresh = (await store.getSession('session_60'))!;
      expect(fresh).toEqual({ ...newSession(60, now).session });
      expect(await store.getSessionToken('session_60', 'mentor_001')).toMatchObject({ token: 'token-session_60-mentor_001' });
      expect(await store.getSessionToken('session_60', 'S60')).toMatchObject({ token: 'token-session_60-S60' });
      expect(await store.getNotification('session_60')).toMatchObject({ send_count: 0, delivered_at: null });

      // What the caller read before an update stays what it read (the mentor's events compare old and new).
      const before = (await store.getSession('session_60'))!;
      const updated = (await store.updateSession('session_60', { status: 'active', student_joined_at: iso(now) }))!;
      expect(before).toMatchObject({ status: 'created', student_joined_at: null });
      updated.status = 'created';
      const delivered = (await store.markNotificationDelivered('session_60', iso(now)))!;
      delivered.delivered_at = null;
      expect(await store.getSession('session_60')).toMatchObject({ status: 'active', student_joined_at: iso(now) });
      expect(await store.getNotification('session_60')).toMatchObject({ delivered_at: iso(now) });
      const ended = (await store.endSession('session_60', iso(now), 'ended_by_mentor'))!;
      ended.end_reason = 'expired';
      expect(await store.getSession('session_60')).toMatchObject({ status: 'ended', end_reason: 'ended_by_mentor' });

      const person = user('S61', 'student');
      await store.upsertUsers([person]);
      person.name = 'tampered';
      (await store.getUser('S61'))!.slot_ids.push('mon-09-10');
      expect(await store.getUser('S61')).toEqual(user('S61', 'student'));
      const booking = { id: 'b61', mentor_id: 'mentor_001', student_id: 'S61', slot_id: 'fri-09-10', session_type: 'x', created_at: iso(now) };
      await store.upsertBookings([booking]);
      booking.session_type = 'tampered';
      (await store.findBooking('mentor_001', 'S61', 'fri-09-10'))!.session_type = 'tampered';
      (await store.listBookingsForMentor('mentor_001')).forEach((b) => (b.session_type = 'tampered'));
      expect((await store.findBooking('mentor_001', 'S61', 'fri-09-10'))?.session_type).toBe('x');
      const token = accessToken('at_61', 'S61', 'dev_61');
      const dev = device('dev_61', 'S61', 'h61');
      await store.createDevice(dev, token);
      dev.retired_hashes.push('tampered');
      token.user_id = 'tampered';
      (await store.getDevice('dev_61'))!.retired_hashes.push('tampered');
      (await store.findAccessTokenByHash('hash-at_61'))!.user_id = 'tampered';
      expect((await store.getDevice('dev_61'))?.retired_hashes).toEqual([]);
      expect((await store.findAccessTokenByHash('hash-at_61'))?.user_id).toBe('S61');
      await store.close();
    });

    it('purges what has expired and nothing live; an expired session keeps its ring outcome until it is ended', async () => {
      const store = await open();
      const now = Date.now();
      // Rows that expire a moment from now (Redis counts its TTLs on the wall clock).
      const soon = now + 150;
      await store.saveAccessToken({ ...accessToken('at_old', 'S70', 'dev_live'), expires_at: iso(soon) });
      await store.saveAccessToken(accessToken('at_new', 'S70', 'dev_live'));
      await store.createDevice({ ...device('dev_old', 'S70', 'h_old'), refresh_expires_at: iso(soon) }, { ...accessToken('at_dev_old', 'S70', 'dev_old'), expires_at: iso(soon) });
      await store.createDevice(device('dev_live', 'S70', 'h_live'), accessToken('at_dev_live', 'S70', 'dev_live'));
      const expiring = newSession(70, now, { expires_at: iso(soon) });
      expiring.tokens.forEach((t) => (t.expires_at = iso(soon)));
      await store.createSessionUnlessLive(expiring, now);
      await store.markNotificationDelivered('session_70', iso(now));
      await store.createSessionUnlessLive(newSession(71, now, { slot_id: 'tue-09-10' }), now);
      await new Promise((resolve) => setTimeout(resolve, 300));

      const later = Date.now();
      await store.purgeExpired(later);
      expect(await store.findAccessTokenByHash('hash-at_old')).toBeUndefined();
      expect(await store.findAccessTokenByHash('hash-at_new')).toMatchObject({ id: 'at_new' });
      expect(await store.getDevice('dev_old')).toBeUndefined();
      expect(await store.findAccessTokenByHash('hash-at_dev_old')).toBeUndefined();
      expect(await store.getDevice('dev_live')).toMatchObject({ id: 'dev_live' });
      expect(await store.findAccessTokenByHash('hash-at_dev_live')).toMatchObject({ id: 'at_dev_live' });
      // The expired session: its room tokens are of no use any more; its outbox row waits for the end.
      expect(await store.getSessionToken('session_70', 'S70')).toBeUndefined();
      expect(await store.getSessionToken('session_70', 'mentor_001')).toBeUndefined();
      expect(await store.getNotification('session_70')).toMatchObject({ delivered_at: iso(now) });
      // The live one keeps everything.
      expect(await store.getSessionToken('session_71', 'S71')).toMatchObject({ token: 'token-session_71-S71' });
      expect(await store.getNotification('session_71')).toMatchObject({ session_id: 'session_71' });
      expect(await store.purgeExpired(later)).toEqual({ accessTokens: 0, devices: 0, sessionTokens: 0, notifications: 0 });

      await store.endSession('session_70', iso(soon), 'expired');
      expect((await store.listPastSessionsForMentor('mentor_001', 10)).sessions.find((s) => s.id === 'session_70')).toMatchObject({ ring_delivered_at: iso(now) });
      expect(await store.getNotification('session_70')).toBeUndefined();
      await store.close();
    });

    it('signs a user out everywhere when the password hash changes, not when only the name does', async () => {
      const store = await openWithDevices([
        ['dev_p', 'S5', 'rp', 'at_p'],
        ['dev_q', 'S6', 'rq', 'at_q'],
      ]);
      await store.upsertUsers([{ ...user('S5', 'student'), name: 'Renamed' }]);
      expect(await store.getDevice('dev_p')).toBeDefined();
      await store.importDirectory([{ ...user('S5', 'student'), password_hash: 'scrypt$new' }], []);
      expect(await store.getDevice('dev_p')).toBeUndefined();
      expect(await store.findAccessTokenByHash('hash-at_p')).toBeUndefined();
      expect(await store.getDevice('dev_q')).toBeDefined();
      await store.close();
    });

    it('replaces a password only while it is the one expected: of two spends at once exactly one wins, and it signs out everywhere', async () => {
      const store = await open();
      const enrolled = { ...user('S7', 'student'), password_hash: 'scrypt$code', enrolment_pending: true as const };
      await store.upsertUsers([enrolled]);
      await store.createDevice(device('dev_s7', 'S7', 'r7'), accessToken('at_s7', 'S7', 'dev_s7'));
      const { enrolment_pending: _spent, ...chosen } = enrolled;
      const outcomes = await Promise.all(['scrypt$first', 'scrypt$second'].map((hash) => store.replaceUserIfPassword({ ...chosen, password_hash: hash }, 'scrypt$code')));
      expect(outcomes.filter(Boolean)).toHaveLength(1);
      const kept = await store.getUser('S7');
      expect(kept?.password_hash).toBe(outcomes[0] ? 'scrypt$first' : 'scrypt$second');
      expect(kept?.enrolment_pending).toBeUndefined();
      expect(await store.getDevice('dev_s7')).toBeUndefined();
      expect(await store.replaceUserIfPassword({ ...chosen, password_hash: 'scrypt$late' }, 'scrypt$code')).toBe(false);
      expect((await store.getUser('S7'))?.password_hash).toBe(kept?.password_hash);
      await store.close();
    });
  });
}
