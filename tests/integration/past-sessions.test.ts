/**
 * The mentor's past sessions over the real server (JSON store in a temp folder): ended sessions
 * come back from the archive a page at a time, newest first, with student, type, duration and
 * ring outcome (a decline with its reason) — also after a restart — and only to their mentor.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connectSocket, createDemoSession, DEMO_BOOKING, login, nextEvent } from '../helpers/api-client';
import { ManualClock, startTestServer, type TestServer } from '../helpers/test-server';

const MINUTE = 60_000;

describe('GET /api/mentor/past-sessions', () => {
  let server: TestServer;
  const clock = new ManualClock();
  let mentor: string;
  let dataDir: string;

  const end = (sessionId: string) => call(server.url, 'POST', `/api/sessions/${sessionId}/end`, { token: mentor });

  beforeAll(async () => {
    server = await startTestServer({ clock });
    dataDir = server.dataDir;
    mentor = await login(server.url, 'mentor_001');
    // 1. L001 is rung, acknowledges and joins; the mentor ends after 25 minutes.
    const student = await login(server.url, 'L001');
    const socket = await connectSocket(server.url, student);
    const ring = nextEvent(socket, 'session_notification');
    const joined = await createDemoSession(server.url, mentor);
    (await ring)[1]({ received: true });
    expect((await call(server.url, 'POST', `/api/sessions/${joined.sessionId}/join`, { token: student })).status).toBe(200);
    clock.advance(25 * MINUTE);
    expect((await end(joined.sessionId)).status).toBe(200);
    socket.close();
    // 2. L002 is offline: the ring is never acknowledged; ended after 3 minutes.
    const unanswered = await createDemoSession(server.url, mentor, { mentorId: 'mentor_001', studentId: 'L002', slotId: 'tue-14-15', sessionType: 'Pronunciation Coaching' });
    clock.advance(3 * MINUTE);
    expect((await end(unanswered.sessionId)).status).toBe(200);
    // 3. L003's app rings; L003 declines with a reason; the mentor ends it a minute later.
    const declining = await login(server.url, 'L003');
    const declinerSocket = await connectSocket(server.url, declining);
    const declinedRing = nextEvent(declinerSocket, 'session_notification');
    const declined = await createDemoSession(server.url, mentor, { mentorId: 'mentor_001', studentId: 'L003', slotId: 'thu-16-17', sessionType: 'IELTS Writing Feedback' });
    (await declinedRing)[1]({ received: true });
    expect((await call(server.url, 'POST', `/api/sessions/${declined.sessionId}/decline`, { token: declining, body: { reason: 'Running 5 minutes late' } })).status).toBe(200);
    clock.advance(MINUTE);
    expect((await end(declined.sessionId)).status).toBe(200);
    declinerSocket.close();
    // 4. Still live: not a past session.
    await createDemoSession(server.url, mentor, DEMO_BOOKING);
  });
  afterAll(async () => {
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('pages the ended sessions newest first with student, type, duration and ring outcome', async () => {
    const newest = await call(server.url, 'GET', '/api/mentor/past-sessions?limit=1', { token: mentor });
    expect(newest.data.sessions).toEqual([
      expect.objectContaining({ studentId: 'L003', sessionType: 'IELTS Writing Feedback', durationSeconds: 60, ringOutcome: 'declined', declineReason: 'Running 5 minutes late' }),
    ]);
    const first = await call(server.url, 'GET', `/api/mentor/past-sessions?limit=1&cursor=${newest.data.nextCursor}`, { token: mentor });
    expect(first.status).toBe(200);
    expect(first.data.sessions).toEqual([
      expect.objectContaining({ studentId: 'L002', studentName: 'Lê Hoàng Nam', sessionType: 'Pronunciation Coaching', durationSeconds: 180, endReason: 'ended_by_mentor', ringOutcome: 'not_delivered', declineReason: null }),
    ]);
    expect(first.data.nextCursor).toEqual(expect.any(String));
    const second = await call(server.url, 'GET', `/api/mentor/past-sessions?limit=1&cursor=${first.data.nextCursor}`, { token: mentor });
    expect(second.data).toEqual({
      sessions: [expect.objectContaining({ studentId: 'L001', studentName: 'Trần Thị Lan', sessionType: 'Speaking Practice', slotId: 'mon-09-10', durationSeconds: 1500, ringOutcome: 'joined' })],
      nextCursor: null,
    });
    const whole = await call(server.url, 'GET', '/api/mentor/past-sessions', { token: mentor });
    expect(whole.data.sessions.map((s: { studentId: string }) => s.studentId)).toEqual(['L003', 'L002', 'L001']);
  });

  it('answers from the archive after a restart', async () => {
    server = await server.restart();
    mentor = await login(server.url, 'mentor_001');
    const page = await call(server.url, 'GET', '/api/mentor/past-sessions', { token: mentor });
    expect(page.data.sessions.map((s: { ringOutcome: string }) => s.ringOutcome)).toEqual(['declined', 'not_delivered', 'joined']);
  });

  it('is the mentor’s own: students are refused, other mentors see none of it, bad paging is a 400 envelope', async () => {
    const student = await login(server.url, 'L001');
    expect((await call(server.url, 'GET', '/api/mentor/past-sessions', { token: student })).status).toBe(403);
    expect((await call(server.url, 'GET', '/api/mentor/past-sessions')).status).toBe(401);
    for (const query of ['limit=0', 'limit=1000', 'limit=abc', 'cursor=-1', 'cursor=abc']) {
      const refused = await call(server.url, 'GET', `/api/mentor/past-sessions?${query}`, { token: mentor });
      expect(refused.status, query).toBe(400);
      expect(refused.body).toMatchObject({ success: false, error: { code: 'VALIDATION_FAILED' } });
    }
  });
});
