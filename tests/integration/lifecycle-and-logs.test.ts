/**
 * Session lifecycle over time (expiry cleanup, token renewal near expiry) and what the server
 * writes about it: one structured line per event, never a token, a password or the secret.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { call, collect, connectSocket, createDemoSession, DEMO_BOOKING, eventually, login, nextEvent, type ClientSocket } from '../helpers/api-client';
import { ManualClock, startTestServer, type TestServer } from '../helpers/test-server';

const SECRET = 'Zq8rT2vX9mK4pL7nB3cF6hJ1dS5gW0yE';
const MINUTE = 60_000;

let server: TestServer | undefined;
const sockets: ClientSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await server?.close();
  server = undefined;
});

const events = (logs: string[]) =>
  logs
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => typeof entry.event === 'string')
    .map((entry) => entry.event);

describe('session events in the log', () => {
  it('logs created, notified, delivered, joined, ended, expired — and no secret of any kind', async () => {
    const clock = new ManualClock();
    server = await startTestServer({ clock, env: { ZEGO_APP_ID: '12345', ZEGO_SERVER_SECRET: SECRET } });
    const mentor = await login(server.url, 'mentor_001');
    const studentAccess = await login(server.url, 'L001');
    const student = await connectSocket(server.url, studentAccess);
    sockets.push(student);
    const received = collect(student, 'session_notification', true);

    const first = await createDemoSession(server.url, mentor);
    await eventually(() => received.length === 1);
    await call(server.url, 'POST', `/api/sessions/${first.sessionId}/join`, { token: studentAccess });
    await call(server.url, 'POST', `/api/sessions/${first.sessionId}/end`, { token: mentor });

    const second = await createDemoSession(server.url, mentor, { ...DEMO_BOOKING, studentId: 'L002', slotId: 'tue-14-15' });
    clock.advance(61 * MINUTE);
    await server.app.runMaintenance();
    expect(await server.app.store.getSession(second.sessionId)).toMatchObject({ status: 'ended', end_reason: 'expired' });

    await eventually(() => events(server!.logs).includes('session.expired'));
    const seen = events(server.logs);
    for (const event of ['created', 'notified', 'delivered', 'joined', 'ended', 'expired']) expect(seen).toContain(`session.${event}`);
    expect(seen.filter((e) => e === 'session.created')).toHaveLength(2);
    expect(seen.filter((e) => e === 'session.joined')).toHaveLength(1);

    const everything = server.logs.join('\n');
    for (const secret of [SECRET, first.token, second.token, received[0]!.token, mentor, studentAccess, '"demo"']) {
      expect(everything).not.toContain(secret);
    }
  });
});

describe('password checks in the log', () => {
  it('records each check — who, from where, what for, accepted or refused — and never the password', async () => {
    server = await startTestServer();
    const wrong = await call(server.url, 'POST', '/api/auth/login', { body: { userId: 'L001', password: 'not-the-password' } });
    expect(wrong.status).toBe(401);
    await login(server.url, 'L001');
    // The right password given as an enrolment code, for an account with none pending: refused, and logged so.
    const notEnrolling = await call(server.url, 'POST', '/api/auth/set-password', { body: { userId: 'L001', enrolmentCode: 'demo', newPassword: 'a-new-password' } });
    expect(notEnrolling.status).toBe(401);
    const checks = server.logs
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => typeof entry.event === 'string' && entry.event.startsWith('auth.'))
      .map(({ event, userId, address, purpose }) => ({ event, userId, address, purpose }));
    expect(checks).toEqual([
      { event: 'auth.password_refused', userId: 'L001', address: '127.0.0.1', purpose: 'sign-in' },
      { event: 'auth.password_accepted', userId: 'L001', address: '127.0.0.1', purpose: 'sign-in' },
      { event: 'auth.password_refused', userId: 'L001', address: '127.0.0.1', purpose: 'enrolment' },
    ]);
    expect(server.logs.join('\n')).not.toContain('not-the-password');
  });
});

describe('failures nobody waits for are logged', () => {
  it('a ring that fails after the reply (created, resent, retry) is one error line with the session and the cause', async () => {
    const clock = new ManualClock();
    server = await startTestServer({ clock });
    // The socket layer is the edge made to fail here (as a hung cluster lookup would): a FAKE transport.
    server.app.services.notifications.attach({
      sendToStudent: async () => Promise.reject(new Error('cluster lookup timed out')),
      isStudentOnline: async () => true,
      sessionEnded: () => undefined,
      deliveryStateChanged: () => undefined,
      ringDelivered: () => undefined,
    });
    const mentor = await login(server.url, 'mentor_001');
    const created = await createDemoSession(server.url, mentor);
    const student = await server.app.store.getSessionToken(created.sessionId, 'L001');
    const resend = await call(server.url, 'POST', '/api/mentor/notify-session-start', {
      token: mentor,
      body: { studentId: 'L001', roomId: created.roomId, token: student!.token, mentorName: 'x', sessionType: 'Speaking Practice', startTime: '09:00', endTime: '10:00' },
    });
    expect(resend.status).toBe(200);
    clock.advance(MINUTE);
    await server.app.runMaintenance();

    const failures = () =>
      server!.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.event === 'session.notify_failed');
    await eventually(() => failures().length === 3);
    expect(failures().map((entry) => entry.reason)).toEqual(['created', 'resent', 'retry']);
    for (const entry of failures()) {
      expect(entry).toMatchObject({ level: 50, sessionId: created.sessionId, roomId: created.roomId, studentId: 'L001', err: { message: 'cluster lookup timed out' } });
    }
  });
});

describe('expiry and renewal', () => {
  it('ends an expired session on the cleanup timer and tells both sides', async () => {
    const clock = new ManualClock();
    server = await startTestServer({ clock });
    const mentorAccess = await login(server.url, 'mentor_001');
    const mentorSocket = await connectSocket(server.url, mentorAccess);
    const studentSocket = await connectSocket(server.url, await login(server.url, 'L001'));
    sockets.push(mentorSocket, studentSocket);
    const created = await createDemoSession(server.url, mentorAccess);

    clock.advance(59 * MINUTE);
    await server.app.runMaintenance();
    expect((await server.app.store.getSession(created.sessionId))?.status).not.toBe('ended');

    const toStudent = nextEvent(studentSocket, 'session_ended');
    const toMentor = nextEvent(mentorSocket, 'session_ended');
    clock.advance(2 * MINUTE);
    await server.app.runMaintenance();
    expect((await toStudent)[0]).toEqual({ sessionId: created.sessionId });
    expect((await toMentor)[0]).toEqual({ sessionId: created.sessionId });
    // Its tokens and outbox row are cleaned up (docs/interface.md §6.5); the session itself stays as history.
    expect(await server.app.store.getSessionToken(created.sessionId, 'L001')).toBeUndefined();
    expect(await server.app.store.getNotification(created.sessionId)).toBeUndefined();
    expect(await server.app.store.getSession(created.sessionId)).toMatchObject({ status: 'ended' });
  });

  it('re-mints a room token on join when it is near expiry, never past the session end', async () => {
    const clock = new ManualClock();
    // Tokens capped at 20 minutes, so a 60-minute session needs renewals.
    server = await startTestServer({ clock, options: { maxRoomTokenTtlMs: 20 * MINUTE } });
    const mentor = await login(server.url, 'mentor_001');
    const created = await createDemoSession(server.url, mentor);
    const join = async () => (await call(server!.url, 'POST', `/api/sessions/${created.sessionId}/join`, { token: mentor })).data;

    const early = await join();
    expect(early.token).toBe(created.token);
    clock.advance(10 * MINUTE);
    expect((await join()).token).toBe(created.token); // 10 minutes left: kept

    clock.advance(6 * MINUTE);
    const renewed = await join(); // 4 minutes left: renewed
    expect(renewed.token).not.toBe(created.token);
    expect(Date.parse(renewed.tokenExpiresAt)).toBeGreaterThan(Date.parse(early.tokenExpiresAt));
    expect(Date.parse(renewed.tokenExpiresAt)).toBe(clock.now() + 20 * MINUTE);

    clock.advance(40 * MINUTE); // 4 minutes of session left
    const last = await join();
    expect(Date.parse(last.tokenExpiresAt)).toBeLessThanOrEqual(Date.parse(created.expiresAt));
    expect((await join()).token).toBe(last.token); // lasts as long as the session: not re-minted again
  });
});
