/**
 * The seed's flow end to end at the API level (docs/interface.md §2–§4): mentor starts, student is rung over
 * Socket.IO, both join the same room with their own tokens, mentor ends, student is told.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, collect, connectSocket, createDemoSession, DEMO_BOOKING, eventually, login, nextEvent, type ClientSocket } from '../helpers/api-client';
import { startTestServer, type TestServer } from '../helpers/test-server';

describe('seed flow over the real server', () => {
  let server: TestServer;
  const sockets: ClientSocket[] = [];

  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    await server.close();
  });

  it('rings the connected student, who joins the same room with a different token; ending tells the student', async () => {
    const mentorToken = await login(server.url, 'mentor_001');
    const studentToken = await login(server.url, 'L001');
    const student = await connectSocket(server.url, studentToken);
    sockets.push(student);
    const ring = nextEvent(student, 'session_notification');

    const created = await createDemoSession(server.url, mentorToken);
    expect(created.sessionId).toMatch(/^session_/);
    expect(created.roomId).toMatch(/^room_/);
    expect(created.appId).toBe(0);
    expect(Date.parse(created.expiresAt) - Date.now()).toBeGreaterThan(59 * 60 * 1000);

    const [payload, ack] = await ring;
    expect(payload).toMatchObject({
      sessionId: created.sessionId,
      roomId: created.roomId,
      mentorName: 'Nguyễn Văn Minh',
      sessionType: 'Speaking Practice',
      startTime: '09:00',
      endTime: '10:00',
      message: 'Your mentor has started the session!',
      expiresAt: created.expiresAt,
    });
    expect(payload.token).not.toBe(created.token);
    ack({ received: true });

    const week = async () => (await call(server.url, 'GET', '/api/mentor/schedule', { token: mentorToken })).data.slots.find((s: any) => s.slotId === 'mon-09-10');
    await eventually(async () => (await week()).liveSession?.deliveryState === 'delivered', 3000, 'never delivered');

    const studentJoin = await call(server.url, 'POST', `/api/sessions/${created.sessionId}/join`, { token: studentToken });
    expect(studentJoin.status).toBe(200);
    expect(studentJoin.data).toMatchObject({ roomId: created.roomId, role: 'student', token: payload.token, engine: 'p2p', userId: 'L001' });
    const mentorJoin = await call(server.url, 'POST', `/api/sessions/${created.sessionId}/join`, { token: mentorToken });
    expect(mentorJoin.data).toMatchObject({ roomId: created.roomId, role: 'mentor', token: created.token });
    expect((await week()).liveSession).toMatchObject({ deliveryState: 'joined', status: 'active' });

    const inbox = await call(server.url, 'GET', '/api/student/sessions', { token: studentToken });
    expect(inbox.data.sessions.map((s: any) => s.sessionId)).toEqual([created.sessionId]);

    const ended = nextEvent(student, 'session_ended');
    const end = await call(server.url, 'POST', `/api/sessions/${created.sessionId}/end`, { token: mentorToken });
    expect(end.status).toBe(200);
    expect(end.data).toMatchObject({ sessionId: created.sessionId, status: 'ended' });
    expect((await ended)[0]).toEqual({ sessionId: created.sessionId });

    const lateJoin = await call(server.url, 'POST', `/api/sessions/${created.sessionId}/join`, { token: studentToken });
    expect(lateJoin.status).toBe(409);
    expect(lateJoin.body).toMatchObject({ success: false, error: { code: 'SESSION_NOT_LIVE' } });
    expect((await call(server.url, 'GET', '/api/student/sessions', { token: studentToken })).data.sessions).toEqual([]);
    // Ending again is answered, not refused: a retried end must not look like a failure.
    const endAgain = await call(server.url, 'POST', `/api/sessions/${created.sessionId}/end`, { token: mentorToken });
    expect(endAgain.status).toBe(200);
    expect(endAgain.data.endedAt).toBe(end.data.endedAt);
  });

  it('is idempotent per live slot: the same session and room however often Start Session is pressed', async () => {
    const mentorToken = await login(server.url, 'mentor_001');
    const results = await Promise.all(Array.from({ length: 8 }, () => createDemoSession(server.url, mentorToken)));
    expect(new Set(results.map((r) => r.sessionId)).size).toBe(1);
    expect(new Set(results.map((r) => r.roomId)).size).toBe(1);
    const again = await createDemoSession(server.url, mentorToken);
    expect(again.sessionId).toBe(results[0]!.sessionId);
    expect(again.token).toBe(results[0]!.token);

    // After the session ends, the slot can start a new one.
    await call(server.url, 'POST', `/api/sessions/${again.sessionId}/end`, { token: mentorToken });
    const next = await createDemoSession(server.url, mentorToken);
    expect(next.sessionId).not.toBe(again.sessionId);
    expect(next.roomId).not.toBe(again.roomId);
  });

  it('keeps every session across a restart on the same data folder', async () => {
    const mentorToken = await login(server.url, 'mentor_001');
    const created = await createDemoSession(server.url, mentorToken);
    const second = await createDemoSession(server.url, mentorToken, { ...DEMO_BOOKING, studentId: 'L002', slotId: 'tue-14-15' });
    await call(server.url, 'POST', `/api/sessions/${second.sessionId}/end`, { token: mentorToken });

    server = await server.restart();
    // Access tokens survive too (stored hashed), so signed-in apps stay signed in.
    const join = await call(server.url, 'POST', `/api/sessions/${created.sessionId}/join`, { token: mentorToken });
    expect(join.status).toBe(200);
    expect(join.data.token).toBe(created.token);
    const ended = await server.app.store.getSession(second.sessionId);
    expect(ended).toMatchObject({ status: 'ended', end_reason: 'ended_by_mentor' });
    expect(server.app.demoSeeded).toBe(false);
  });

  it('a student offline at start gets the notification when the app connects, and not again after acknowledging', async () => {
    const mentorToken = await login(server.url, 'mentor_001');
    const created = await createDemoSession(server.url, mentorToken);
    const studentToken = await login(server.url, 'L001');

    // First connect: the app receives it but does not acknowledge (crashed before it could).
    let unacked: unknown[] = [];
    const first = await connectSocket(server.url, studentToken, (s) => (unacked = collect(s, 'session_notification', false)));
    sockets.push(first);
    await eventually(() => unacked.length === 1, 3000, 'no replay on first connect');
    expect((unacked[0] as { sessionId: string }).sessionId).toBe(created.sessionId);
    first.close();

    // Second connect: replayed again, acknowledged this time.
    let acked: unknown[] = [];
    const second = await connectSocket(server.url, studentToken, (s) => (acked = collect(s, 'session_notification', true)));
    sockets.push(second);
    await eventually(() => acked.length === 1, 3000, 'no replay on second connect');
    await eventually(async () => (await server.app.store.getNotification(created.sessionId))?.delivered_at != null, 3000, 'ack not recorded');
    second.close();

    // Third connect: nothing to replay.
    let none: unknown[] = [];
    const third = await connectSocket(server.url, studentToken, (s) => (none = collect(s, 'session_notification', true)));
    sockets.push(third);
    await new Promise((r) => setTimeout(r, 400));
    expect(none).toEqual([]);
  });

  it('does not replay a session that ended while the student was offline', async () => {
    const mentorToken = await login(server.url, 'mentor_001');
    const created = await createDemoSession(server.url, mentorToken);
    await call(server.url, 'POST', `/api/sessions/${created.sessionId}/end`, { token: mentorToken });
    let received: unknown[] = [];
    const student = await connectSocket(server.url, await login(server.url, 'L001'), (s) => (received = collect(s, 'session_notification')));
    sockets.push(student);
    await new Promise((r) => setTimeout(r, 400));
    expect(received).toEqual([]);
  });

  it('rings every connected app of the student (two devices), counting one acknowledgement as delivered', async () => {
    const mentorToken = await login(server.url, 'mentor_001');
    const studentToken = await login(server.url, 'L001');
    const laptop = await connectSocket(server.url, studentToken);
    const phone = await connectSocket(server.url, studentToken);
    sockets.push(laptop, phone);
    const onLaptop = collect(laptop, 'session_notification', true);
    const onPhone = collect(phone, 'session_notification', false);
    const created = await createDemoSession(server.url, mentorToken);
    await eventually(() => onLaptop.length === 1 && onPhone.length === 1, 3000, 'not both rung');
    await eventually(async () => (await server.app.store.getNotification(created.sessionId))?.delivered_at != null, 3000, 'not delivered');
  });
});
