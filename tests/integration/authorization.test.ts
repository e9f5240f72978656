/**
 * Every docs/interface.md §2 rule about who may do what, and every refusal in the envelope with the right
 * status — and a refusal changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/services/passwords';
import { call, connectSocket, createDemoSession, DEMO_BOOKING, login, nextEvent } from '../helpers/api-client';
import { ManualClock, startTestServer, type TestServer } from '../helpers/test-server';

const HOUR = 60 * 60 * 1000;

describe('authorization matrix and bad input', () => {
  let server: TestServer;
  const clock = new ManualClock();
  let mentor: string;
  let student: string;
  let otherStudent: string;
  let otherMentor: string;
  let session: { sessionId: string; roomId: string; token: string };
  let studentRoomToken: string;

  beforeAll(async () => {
    server = await startTestServer({ clock });
    const now = new Date(clock.now()).toISOString();
    await server.app.store.upsertUsers([
      { id: 'mentor_002', name: 'Hoàng Thị Mai', role: 'mentor', password_hash: await hashPassword('other'), time_zone: 'Europe/Paris', slot_ids: ['wed-09-10'], created_at: now },
    ]);
    await server.app.store.upsertBookings([
      { id: 'booking_m2', mentor_id: 'mentor_002', student_id: 'L004', slot_id: 'wed-09-10', session_type: 'Grammar', created_at: now },
    ]);
    mentor = await login(server.url, 'mentor_001');
    student = await login(server.url, 'L001');
    otherStudent = await login(server.url, 'L002');
    otherMentor = await login(server.url, 'mentor_002', 'other');
    const socket = await connectSocket(server.url, student);
    const ring = nextEvent(socket, 'session_notification');
    session = await createDemoSession(server.url, mentor);
    studentRoomToken = (await ring)[0].token;
    socket.close();
  });
  afterAll(() => server.close());

  const expectRefusal = (response: { status: number; body: any }, status: number, code: string) => {
    expect(response.status, JSON.stringify(response.body)).toBe(status);
    expect(response.body.success).toBe(false);
    expect(response.body.error.code).toBe(code);
    expect(typeof response.body.error.message).toBe('string');
    expect(response.body.error.message.length).toBeGreaterThan(5);
  };

  describe('create-session', () => {
    const create = (token: string | undefined, body: unknown = DEMO_BOOKING) => call(server.url, 'POST', '/api/mentor/create-session', { token, body });

    it('refuses without a token (401), with an unknown token (401)', async () => {
      expectRefusal(await create(undefined), 401, 'UNAUTHENTICATED');
      expectRefusal(await create('cls_not-a-real-token'), 401, 'UNAUTHENTICATED');
    });
    it('refuses a student (403)', async () => {
      expectRefusal(await create(student), 403, 'FORBIDDEN');
    });
    it("refuses another mentor acting as mentor_001 (403) or on mentor_001's booking (404)", async () => {
      expectRefusal(await create(otherMentor), 403, 'FORBIDDEN');
      expectRefusal(await create(otherMentor, { ...DEMO_BOOKING, mentorId: 'mentor_002' }), 404, 'BOOKING_NOT_FOUND');
    });
    it('refuses a slot not booked with that student (404) and an unknown student (404)', async () => {
      expectRefusal(await create(mentor, { ...DEMO_BOOKING, slotId: 'mon-10-11' }), 404, 'BOOKING_NOT_FOUND');
      expectRefusal(await create(mentor, { ...DEMO_BOOKING, studentId: 'L002' }), 404, 'BOOKING_NOT_FOUND');
      expectRefusal(await create(mentor, { ...DEMO_BOOKING, studentId: 'X999' }), 404, 'NOT_FOUND');
    });
    it('answers bad bodies with 400 and the envelope, naming the field', async () => {
      const bad = [
        {},
        { ...DEMO_BOOKING, mentorId: 42 },
        { ...DEMO_BOOKING, slotId: 'monday-9' },
        { ...DEMO_BOOKING, slotId: 'mon-10-09' },
        { ...DEMO_BOOKING, sessionType: '' },
        { ...DEMO_BOOKING, sessionType: 'x'.repeat(1000) },
        { ...DEMO_BOOKING, studentId: '../../etc/passwd' },
        [],
        'a string',
        null,
      ];
      for (const body of bad) {
        const response = await create(mentor, body);
        expectRefusal(response, 400, 'VALIDATION_FAILED');
      }
      const named = await create(mentor, { ...DEMO_BOOKING, slotId: 'monday-9' });
      expect(named.body.error?.message).toContain('slotId');
    });
    it('answers broken JSON, wrong media type and oversized bodies with the envelope', async () => {
      expectRefusal(await call(server.url, 'POST', '/api/mentor/create-session', { token: mentor, rawBody: '{"mentorId":' }), 400, 'INVALID_JSON');
      expectRefusal(
        await call(server.url, 'POST', '/api/mentor/create-session', { token: mentor, rawBody: 'mentorId=1', headers: { 'content-type': 'text/plain' } }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
      expectRefusal(
        await call(server.url, 'POST', '/api/mentor/create-session', { token: mentor, rawBody: JSON.stringify({ pad: 'x'.repeat(100_000) }) }),
        413,
        'PAYLOAD_TOO_LARGE',
      );
      expectRefusal(
        await call(server.url, 'POST', '/api/mentor/create-session', { token: mentor, rawBody: '{"__proto__":{"admin":true},"mentorId":"mentor_001"}' }),
        400,
        'INVALID_JSON',
      );
    });
    it('refused calls changed nothing: still exactly one live session for the mentor', async () => {
      expect(await server.app.store.listLiveSessionsForMentor('mentor_001', clock.now())).toHaveLength(1);
      expect(await server.app.store.listLiveSessionsForMentor('mentor_002', clock.now())).toHaveLength(0);
    });
  });

  describe('notify-session-start', () => {
    const notify = (token: string | undefined, overrides: Record<string, unknown> = {}) =>
      call(server.url, 'POST', '/api/mentor/notify-session-start', {
        token,
        body: {
          studentId: 'L001',
          roomId: session.roomId,
          token: studentRoomToken,
          mentorName: 'Nguyễn Văn Minh',
          sessionType: 'Speaking Practice',
          startTime: '09:00',
          endTime: '10:00',
          ...overrides,
        },
      });

    it("accepts the student's own room token and rings the student again", async () => {
      const socket = await connectSocket(server.url, student);
      const ring = nextEvent(socket, 'session_notification');
      const response = await notify(mentor);
      expect(response.status).toBe(200);
      expect(response.data).toMatchObject({ sessionId: session.sessionId, roomId: session.roomId, studentId: 'L001' });
      expect((await ring)[0].sessionId).toBe(session.sessionId);
      socket.close();
    });
    it('refuses a forged token, the mentor’s own token, and a token of another room (403)', async () => {
      expectRefusal(await notify(mentor, { token: 'p2p1.forged.token' }), 403, 'TOKEN_MISMATCH');
      expectRefusal(await notify(mentor, { token: session.token }), 403, 'TOKEN_MISMATCH');
      expectRefusal(await notify(mentor, { token: `${studentRoomToken}x` }), 403, 'TOKEN_MISMATCH');
    });
    it('refuses a student, another mentor, another student id, and no sign-in', async () => {
      expectRefusal(await notify(student), 403, 'FORBIDDEN');
      expectRefusal(await notify(otherMentor), 403, 'FORBIDDEN');
      expectRefusal(await notify(mentor, { studentId: 'L002' }), 403, 'FORBIDDEN');
      expectRefusal(await notify(undefined), 401, 'UNAUTHENTICATED');
    });
    it('refuses an unknown room (404) and malformed fields (400)', async () => {
      expectRefusal(await notify(mentor, { roomId: 'room_doesnotexist' }), 404, 'SESSION_NOT_FOUND');
      expectRefusal(await notify(mentor, { startTime: '9am' }), 400, 'VALIDATION_FAILED');
      expectRefusal(await notify(mentor, { roomId: 'not a room' }), 400, 'VALIDATION_FAILED');
    });
  });

  describe('join, end, schedule, inbox', () => {
    it('join: only the two participants', async () => {
      const path = `/api/sessions/${session.sessionId}/join`;
      expect((await call(server.url, 'POST', path, { token: student })).status).toBe(200);
      expect((await call(server.url, 'POST', path, { token: mentor })).status).toBe(200);
      expectRefusal(await call(server.url, 'POST', path, { token: otherStudent }), 403, 'FORBIDDEN');
      expectRefusal(await call(server.url, 'POST', path, { token: otherMentor }), 403, 'FORBIDDEN');
      expectRefusal(await call(server.url, 'POST', path), 401, 'UNAUTHENTICATED');
      expectRefusal(await call(server.url, 'POST', '/api/sessions/session_unknown/join', { token: mentor }), 404, 'SESSION_NOT_FOUND');
      expectRefusal(await call(server.url, 'POST', '/api/sessions/..%2F..%2Fetc/join', { token: mentor }), 400, 'VALIDATION_FAILED');
    });
    it('end: not by the student, not by another mentor', async () => {
      const path = `/api/sessions/${session.sessionId}/end`;
      expectRefusal(await call(server.url, 'POST', path, { token: student }), 403, 'FORBIDDEN');
      expectRefusal(await call(server.url, 'POST', path, { token: otherMentor }), 403, 'FORBIDDEN');
      expect((await server.app.store.getSession(session.sessionId))?.status).not.toBe('ended');
    });
    it('schedule is the mentor’s own; the inbox is the student’s own', async () => {
      expectRefusal(await call(server.url, 'GET', '/api/mentor/schedule', { token: student }), 403, 'FORBIDDEN');
      expectRefusal(await call(server.url, 'GET', '/api/student/sessions', { token: mentor }), 403, 'FORBIDDEN');
      const otherWeek = await call(server.url, 'GET', '/api/mentor/schedule', { token: otherMentor });
      expect(otherWeek.data.mentorId).toBe('mentor_002');
      expect(otherWeek.data.slots.map((s: any) => s.slotId)).toEqual(['wed-09-10']);
      expect((await call(server.url, 'GET', '/api/student/sessions', { token: otherStudent })).data.sessions).toEqual([]);
      expectRefusal(await call(server.url, 'GET', '/api/mentor/schedule?week=2026-02-31', { token: mentor }), 400, 'VALIDATION_FAILED');
      expectRefusal(await call(server.url, 'GET', '/api/mentor/schedule?week=yesterday', { token: mentor }), 400, 'VALIDATION_FAILED');
    });
    it('unknown routes answer with the 404 envelope', async () => {
      expectRefusal(await call(server.url, 'GET', '/api/nothing-here'), 404, 'NOT_FOUND');
    });
  });

  describe('sign-in', () => {
    it('refuses a wrong password and an unknown user alike (401)', async () => {
      const wrong = await call(server.url, 'POST', '/api/auth/login', { body: { userId: 'L001', password: 'nope' } });
      const unknown = await call(server.url, 'POST', '/api/auth/login', { body: { userId: 'ghost', password: 'demo' } });
      expectRefusal(wrong, 401, 'INVALID_CREDENTIALS');
      expectRefusal(unknown, 401, 'INVALID_CREDENTIALS');
      expect(wrong.body.error?.message).toBe(unknown.body.error?.message);
    });
    it('logout revokes the token for REST and drops its sockets', async () => {
      const token = await login(server.url, 'L003');
      const socket = await connectSocket(server.url, token);
      const dropped = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
      expect((await call(server.url, 'POST', '/api/auth/logout', { token })).status).toBe(200);
      expect(await dropped).toBe('io server disconnect');
      expectRefusal(await call(server.url, 'GET', '/api/auth/me', { token }), 401, 'UNAUTHENTICATED');
      await expect(connectSocket(server.url, token)).rejects.toThrow();
    });
    it('refuses an expired token over REST and at the socket handshake', async () => {
      const token = await login(server.url, 'L005');
      expect((await call(server.url, 'GET', '/api/auth/me', { token })).status).toBe(200);
      clock.advance(HOUR + 1000);
      try {
        expectRefusal(await call(server.url, 'GET', '/api/auth/me', { token }), 401, 'UNAUTHENTICATED');
        await expect(connectSocket(server.url, token)).rejects.toThrow(/expired/);
      } finally {
        clock.advance(-(HOUR + 1000));
      }
    });
    it('refuses sockets without or with a bad token at the handshake', async () => {
      await expect(connectSocket(server.url, undefined)).rejects.toThrow();
      await expect(connectSocket(server.url, 'cls_forged')).rejects.toThrow();
    });
  });
});

describe('login rate limit', () => {
  it('answers 429 in the envelope after too many attempts for one account from one address', async () => {
    const server = await startTestServer({ options: { loginThrottle: { accountFreeFailures: 5 } } });
    try {
      const attempt = () => call(server.url, 'POST', '/api/auth/login', { body: { userId: 'L001', password: 'wrong' } });
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await attempt()).status);
      expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      const limited = await attempt();
      expect(limited.status).toBe(429);
      expect(limited.body).toMatchObject({ success: false, error: { code: 'RATE_LIMITED' } });
      // Another account from the same address is not locked out by it.
      expect((await call(server.url, 'POST', '/api/auth/login', { body: { userId: 'L002', password: 'demo' } })).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
