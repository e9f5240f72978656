/**
 * The call experience on the real server: the ring answered (decline with a reason reaches the
 * mentor live, also over plain HTTP as the desktop app's notification button sends it), missed
 * when it rings out, rung again; presence; the student's next days; the call layer (one presence
 * per person, chat only between the windows in the call, kept for a rejoin).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CallJoinResult, CallPeekResult, ChatSendResult, RtcJoinResult } from '@contract/socket-events';
import { call, collect, connectSocket, createDemoSession, eventually, login, nextEvent, sleep, type ClientSocket } from '../helpers/api-client';
import { startTestServer, type TestServer } from '../helpers/test-server';

const emitAck = <R>(socket: ClientSocket, event: 'call_join' | 'call_peek' | 'chat_send' | 'rtc_join', request: unknown) =>
  new Promise<R>((resolve) => (socket.emit as (...args: unknown[]) => void)(event, request, resolve));

describe('the call experience over the real server', () => {
  let server: TestServer;
  const sockets: ClientSocket[] = [];
  const connect = async (url: string, token: string) => {
    const socket = await connectSocket(url, token);
    sockets.push(socket);
    return socket;
  };
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    await server?.close();
  });

  /** A fresh server with mentor_001 and L001 (the demo slot's student) signed in. */
  const startWithBothSignedIn = async (options?: Parameters<typeof startTestServer>[0]) => {
    server = await startTestServer(options);
    return { mentorToken: await login(server.url, 'mentor_001'), studentToken: await login(server.url, 'L001') };
  };

  const slotOf = async (mentorToken: string, slotId = 'mon-09-10') =>
    (await call(server.url, 'GET', '/api/mentor/schedule', { token: mentorToken })).data.slots.find((s: { slotId: string }) => s.slotId === slotId);

  it('offline until the app has the ring; a decline with a quick reply reaches the mentor live and stops the ring', async () => {
    const { mentorToken, studentToken } = await startWithBothSignedIn();
    const mentor = await connect(server.url, mentorToken);
    const created = await createDemoSession(server.url, mentorToken);
    expect((await slotOf(mentorToken)).liveSession.ring).toMatchObject({ state: 'offline', attempt: 1 });

    // The student's app connects: the ring is replayed, acknowledged, and rings.
    const ringing = nextEvent(mentor, 'ring_state');
    const student = await connectSocket(server.url, studentToken, (socket) => collect(socket, 'session_notification'));
    sockets.push(student);
    expect((await ringing)[0]).toMatchObject({ sessionId: created.sessionId, ring: { state: 'ringing' } });
    const inbox = await call(server.url, 'GET', '/api/student/sessions', { token: studentToken });
    expect(inbox.data.sessions[0]).toMatchObject({ ring: { state: 'ringing', attempt: 1 } });
    expect(Date.parse(inbox.data.sessions[0].endsAt) - Date.parse(inbox.data.sessions[0].startsAt)).toBe(3_600_000);

    const toMentor = nextEvent(mentor, 'ring_state');
    const toStudent = nextEvent(student, 'ring_state');
    const declined = await call(server.url, 'POST', `/api/sessions/${created.sessionId}/decline`, { token: studentToken, body: { reason: '  Running 5 minutes late ' } });
    expect(declined.status).toBe(200);
    expect(declined.data.ring).toMatchObject({ state: 'declined', declineReason: 'Running 5 minutes late' });
    expect((await toMentor)[0].ring).toMatchObject({ state: 'declined', declineReason: 'Running 5 minutes late' });
    expect((await toStudent)[0].ring.state).toBe('declined');
    expect((await slotOf(mentorToken)).liveSession.ring.state).toBe('declined');
  });

  it('declines over plain HTTP without a body (the desktop notification button); only the student may, only while live', async () => {
    const { mentorToken, studentToken } = await startWithBothSignedIn();
    const created = await createDemoSession(server.url, mentorToken);

    const bare = await fetch(`${server.url}/api/sessions/${created.sessionId}/decline`, { method: 'POST', headers: { authorization: `Bearer ${studentToken}` } });
    expect(bare.status).toBe(200);
    expect(((await bare.json()) as { data: { ring: { state: string; declineReason: unknown } } }).data.ring).toMatchObject({ state: 'declined', declineReason: null });

    const byMentor = await call(server.url, 'POST', `/api/sessions/${created.sessionId}/decline`, { token: mentorToken });
    expect(byMentor.status).toBe(403);
    const byOther = await call(server.url, 'POST', `/api/sessions/${created.sessionId}/decline`, { token: await login(server.url, 'L002') });
    expect(byOther.status).toBe(403);
    const tooLong = await call(server.url, 'POST', `/api/sessions/${created.sessionId}/decline`, { token: studentToken, body: { reason: 'x'.repeat(201) } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error?.code).toBe('VALIDATION_FAILED');

    await call(server.url, 'POST', `/api/sessions/${created.sessionId}/end`, { token: mentorToken });
    const afterEnd = await call(server.url, 'POST', `/api/sessions/${created.sessionId}/decline`, { token: studentToken });
    expect(afterEnd.status).toBe(409);
    expect(afterEnd.body.error?.code).toBe('SESSION_NOT_LIVE');

    const openapi = await call(server.url, 'GET', '/api/openapi.json');
    expect(openapi.body).toHaveProperty(['paths', '/api/sessions/{sessionId}/decline', 'post']);
    expect(openapi.body).toHaveProperty(['paths', '/api/sessions/{sessionId}/ring', 'post']);
  });

  it('a ring nobody answers becomes missed for both, live; Ring again rings anew and joining answers it', async () => {
    const { mentorToken, studentToken } = await startWithBothSignedIn({ env: { CLASSROOM_RING_SECONDS: '5' } });
    const mentor = await connect(server.url, mentorToken);
    const student = await connectSocket(server.url, studentToken, (socket) => collect(socket, 'session_notification'));
    sockets.push(student);
    const states = collect(mentor, 'ring_state');
    const studentStates = collect(student, 'ring_state');
    const created = await createDemoSession(server.url, mentorToken);
    await eventually(() => states.some((s) => s.ring.state === 'ringing'), 3000, 'never ringing');
    await eventually(() => states.some((s) => s.ring.state === 'missed'), 8000, 'never missed');
    expect(studentStates.at(-1)?.ring.state).toBe('missed');
    expect((await slotOf(mentorToken)).liveSession.ring.state).toBe('missed');

    const rings = collect(student, 'session_notification');
    const again = await call(server.url, 'POST', `/api/sessions/${created.sessionId}/ring`, { token: mentorToken });
    expect(again.status).toBe(200);
    expect(again.data.ring).toMatchObject({ attempt: 2 });
    await eventually(() => rings.some((r) => r.ring.attempt === 2), 3000, 'not rung again');
    await eventually(() => states.at(-1)?.ring.state === 'ringing' && states.at(-1)?.ring.attempt === 2, 3000, 'not ringing again');
    // Pressing it again while it rings changes nothing.
    expect((await call(server.url, 'POST', `/api/sessions/${created.sessionId}/ring`, { token: mentorToken })).data.ring.attempt).toBe(2);
    expect((await call(server.url, 'POST', `/api/sessions/${created.sessionId}/ring`, { token: studentToken })).status).toBe(403);

    await call(server.url, 'POST', `/api/sessions/${created.sessionId}/join`, { token: studentToken });
    await eventually(() => states.at(-1)?.ring.state === 'joined', 3000, 'join did not answer the ring');
    // Joined is the last word: a decline after it is refused and the mentor still sees joined.
    const late = await call(server.url, 'POST', `/api/sessions/${created.sessionId}/decline`, { token: studentToken, body: { reason: 'Too late' } });
    expect([late.status, late.body.error?.code]).toEqual([409, 'CONFLICT']);
    expect((await slotOf(mentorToken)).liveSession.ring.state).toBe('joined');
  });

  it('a decline sent again, or many times at once (a second click, a retry), changes nothing and is announced once', async () => {
    const { mentorToken, studentToken } = await startWithBothSignedIn();
    const mentor = await connect(server.url, mentorToken);
    const states = collect(mentor, 'ring_state');
    const created = await createDemoSession(server.url, mentorToken);
    const decline = () => call(server.url, 'POST', `/api/sessions/${created.sessionId}/decline`, { token: studentToken, body: { reason: 'Ill today' } });
    // Sent 20 times at once (a toast firing twice, retries): one answer, announced once.
    const all = await Promise.all(Array.from({ length: 20 }, decline));
    expect(all.map((response) => response.status)).toEqual(Array(20).fill(200));
    expect(new Set(all.map((response) => response.data.ring.answeredAt)).size).toBe(1);
    expect((await decline()).data.ring.answeredAt).toBe(all[0]!.data.ring.answeredAt);
    await eventually(() => states.some((s) => s.ring.state === 'declined'), 3000, 'decline not announced');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(states.filter((s) => s.ring.state === 'declined')).toHaveLength(1);
    await call(server.url, 'POST', `/api/sessions/${created.sessionId}/end`, { token: mentorToken });
  });

  it("shows the mentor, live, whether each booked student's app is online", async () => {
    server = await startTestServer();
    const mentorToken = await login(server.url, 'mentor_001');
    const mentor = await connect(server.url, mentorToken);
    await sleep(100); // the mentor's presence subscriptions
    expect((await slotOf(mentorToken)).booking.online).toBe(false);

    const online = nextEvent(mentor, 'presence');
    const first = await connect(server.url, await login(server.url, 'L001'));
    expect((await online)[0]).toEqual({ userId: 'L001', online: true });
    expect((await slotOf(mentorToken)).booking.online).toBe(true);

    // Two apps: closing one keeps the student online; closing the last says offline.
    const second = await connect(server.url, await login(server.url, 'L001'));
    const events = collect(mentor, 'presence');
    first.close();
    await sleep(300);
    expect(events.filter((e) => !e.online)).toEqual([]);
    second.close();
    await eventually(() => events.some((e) => e.userId === 'L001' && !e.online), 3000, 'never offline');
    expect((await slotOf(mentorToken)).booking.online).toBe(false);

    // Another mentor's student is never announced to this mentor.
    const other = collect(mentor, 'presence');
    await connect(server.url, await login(server.url, 'L004'));
    await sleep(200);
    expect(other).toEqual([]);
  });

  it("lists the student's bookings of the next 7 days; only to students", async () => {
    server = await startTestServer();
    const upcoming = await call(server.url, 'GET', '/api/student/upcoming', { token: await login(server.url, 'L001') });
    expect(upcoming.status).toBe(200);
    expect(upcoming.data.bookings).toHaveLength(1);
    const [booking] = upcoming.data.bookings;
    expect(booking).toMatchObject({ slotId: 'mon-09-10', mentorName: 'Nguyễn Văn Minh', sessionType: 'Speaking Practice' });
    expect(Date.parse(booking.endsAt)).toBeGreaterThan(Date.now());
    expect(Date.parse(booking.startsAt)).toBeLessThan(Date.now() + 7 * 24 * 3_600_000);
    expect((await call(server.url, 'GET', '/api/student/upcoming', { token: await login(server.url, 'mentor_001') })).status).toBe(403);
  });

  it("offers Start Session's live state in the current week only", async () => {
    server = await startTestServer();
    const mentorToken = await login(server.url, 'mentor_001');
    await createDemoSession(server.url, mentorToken);
    const now = await call(server.url, 'GET', '/api/mentor/schedule', { token: mentorToken });
    expect(now.data.weekStart).toBe(now.data.thisWeekStart);
    expect(now.data.slots.find((s: { slotId: string }) => s.slotId === 'mon-09-10').liveSession).not.toBeNull();
    const [y, m, d] = (now.data.weekStart as string).split('-').map(Number) as [number, number, number];
    const twoWeeksAgo = new Date(Date.UTC(y, m - 1, d - 14)).toISOString().slice(0, 10);
    const past = await call(server.url, 'GET', `/api/mentor/schedule?week=${twoWeeksAgo}`, { token: mentorToken });
    expect(past.data.weekStart).toBe(twoWeeksAgo);
    expect(past.data.slots.every((s: { liveSession: unknown }) => s.liveSession === null)).toBe(true);
  });

  it('one presence per person: a second window takes over the call and the media room; chat reaches only the windows in the call and is kept for a rejoin', async () => {
    const { mentorToken, studentToken } = await startWithBothSignedIn();
    const created = await createDemoSession(server.url, mentorToken);
    const ticket = (await call(server.url, 'POST', `/api/sessions/${created.sessionId}/join`, { token: studentToken })).data;
    const mentor = await connect(server.url, mentorToken);
    const windowA = await connect(server.url, studentToken);
    const windowB = await connect(server.url, studentToken);
    const intruder = await connect(server.url, await login(server.url, 'L002'));

    expect(await emitAck<CallJoinResult>(intruder, 'call_join', { sessionId: created.sessionId })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await emitAck<CallJoinResult>(windowA, 'call_join', { sessionId: 'nonsense' })).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });

    const participants = collect(windowB, 'call_participants');
    expect(await emitAck<CallJoinResult>(mentor, 'call_join', { sessionId: created.sessionId })).toMatchObject({ ok: true, messages: [] });
    const joinedA = await emitAck<CallJoinResult>(windowA, 'call_join', { sessionId: created.sessionId });
    expect(joinedA.ok && joinedA.participants.map((p) => p.userId).sort()).toEqual(['L001', 'mentor_001']);
    // The pre-join screen of another window sees who is in.
    await eventually(() => participants.at(-1)?.participants.length === 2, 3000, 'no participants event');
    expect(await emitAck<CallPeekResult>(windowB, 'call_peek', { sessionId: created.sessionId })).toMatchObject({ ok: true });

    expect((await emitAck<RtcJoinResult>(mentor, 'rtc_join', { roomId: created.roomId, token: created.token })).ok).toBe(true);
    expect(await emitAck<RtcJoinResult>(windowA, 'rtc_join', { roomId: created.roomId, token: ticket.token })).toMatchObject({ ok: true, peers: [{ userId: 'mentor_001' }] });

    // Chat from the mentor reaches window A (in the call), not window B (not in it).
    const atA = collect(windowA, 'chat_message');
    const atB = collect(windowB, 'chat_message');
    const sent = await emitAck<ChatSendResult>(mentor, 'chat_send', { sessionId: created.sessionId, text: ' Hello Lan ' });
    expect(sent).toMatchObject({ ok: true, message: { text: 'Hello Lan', from: 'mentor_001', fromName: 'Nguyễn Văn Minh' } });
    await eventually(() => atA.length === 1, 3000, 'chat not relayed');
    expect(atB).toEqual([]);
    expect(await emitAck<ChatSendResult>(windowB, 'chat_send', { sessionId: created.sessionId, text: 'sneaky' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await emitAck<ChatSendResult>(windowA, 'chat_send', { sessionId: created.sessionId, text: '   ' })).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });

    // Window B joins: A is taken over and leaves the media room silently; the mentor meets B alone.
    const takenOver = nextEvent(windowA, 'call_taken_over');
    const peerJoined = nextEvent(mentor, 'rtc_peer_joined');
    const peerLeft = collect(mentor, 'rtc_peer_left');
    const joinedB = await emitAck<CallJoinResult>(windowB, 'call_join', { sessionId: created.sessionId });
    expect((await takenOver)[0]).toEqual({ sessionId: created.sessionId });
    // The chat so far comes with the (re)join.
    expect(joinedB.ok && joinedB.messages.map((m) => m.text)).toEqual(['Hello Lan']);
    expect(await emitAck<RtcJoinResult>(windowB, 'rtc_join', { roomId: created.roomId, token: ticket.token })).toMatchObject({ ok: true, peers: [{ userId: 'mentor_001' }] });
    expect((await peerJoined)[0].peer.userId).toBe('L001');
    // A late leave from the stale window must not tear down the mentor's new connection.
    windowA.emit('rtc_leave', { roomId: created.roomId });
    windowA.emit('rtc_signal', { roomId: created.roomId, data: { kind: 'candidate', candidate: null } });
    const signals = collect(mentor, 'rtc_signal');
    await sleep(200);
    expect(peerLeft).toEqual([]);
    expect(signals).toEqual([]);
    expect(await emitAck<ChatSendResult>(windowA, 'chat_send', { sessionId: created.sessionId, text: 'from the old window' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });
});
