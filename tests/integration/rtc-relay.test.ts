/**
 * The built-in engine's signalling relay: only the two participants, each with their own current
 * room token for a live session, may signal — and only to each other (docs/interface.md §6.1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RtcJoinResult } from '@contract/socket-events';
import { call, connectSocket, createDemoSession, login, nextEvent, sleep, type ClientSocket } from '../helpers/api-client';
import { startTestServer, type TestServer } from '../helpers/test-server';

const rtcJoin = (socket: ClientSocket, request: unknown) =>
  new Promise<RtcJoinResult>((resolve) => socket.emit('rtc_join', request as never, resolve));

describe('rtc relay', () => {
  let server: TestServer;
  let mentorAccess: string;
  let studentAccess: string;
  let mentor: ClientSocket;
  let student: ClientSocket;
  let intruder: ClientSocket;
  let session: { sessionId: string; roomId: string; token: string };
  let studentRoomToken: string;

  beforeAll(async () => {
    server = await startTestServer();
    mentorAccess = await login(server.url, 'mentor_001');
    studentAccess = await login(server.url, 'L001');
    mentor = await connectSocket(server.url, mentorAccess);
    student = await connectSocket(server.url, studentAccess);
    intruder = await connectSocket(server.url, await login(server.url, 'L002'));
    const ring = nextEvent(student, 'session_notification');
    session = await createDemoSession(server.url, mentorAccess);
    const [payload, ack] = await ring;
    ack({ received: true });
    studentRoomToken = payload.token;
  });
  afterAll(async () => {
    for (const socket of [mentor, student, intruder]) socket.close();
    await server.close();
  });

  it('refuses bad payloads, forged tokens, a token of another user, and a non-participant', async () => {
    expect(await rtcJoin(mentor, { roomId: session.roomId })).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
    expect(await rtcJoin(mentor, { roomId: session.roomId, token: 'p2p1.e30.forged' })).toMatchObject({ ok: false, code: 'TOKEN_INVALID' });
    // The student's genuine token, presented by the mentor: signed, but not the mentor's.
    expect(await rtcJoin(mentor, { roomId: session.roomId, token: studentRoomToken })).toMatchObject({ ok: false, code: 'TOKEN_INVALID' });
    expect(await rtcJoin(intruder, { roomId: session.roomId, token: studentRoomToken })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await rtcJoin(mentor, { roomId: 'room_unknown', token: session.token })).toMatchObject({ ok: false, code: 'SESSION_NOT_LIVE' });
  });

  it('admits both participants and relays signals between them only', async () => {
    const first = await rtcJoin(mentor, { roomId: session.roomId, token: session.token });
    expect(first).toEqual({ ok: true, roomId: session.roomId, peers: [] });
    const mentorSeesStudent = nextEvent(mentor, 'rtc_peer_joined');
    const second = await rtcJoin(student, { roomId: session.roomId, token: studentRoomToken });
    expect(second).toMatchObject({ ok: true, peers: [{ userId: 'mentor_001', role: 'mentor' }] });
    expect((await mentorSeesStudent)[0].peer).toMatchObject({ userId: 'L001', role: 'student' });

    const intruderHeard: unknown[] = [];
    intruder.on('rtc_signal', (message) => intruderHeard.push(message));
    const atStudent = nextEvent(student, 'rtc_signal');
    mentor.emit('rtc_signal', { roomId: session.roomId, data: { kind: 'description', description: { type: 'offer', sdp: 'v=0 fake offer' } } });
    const [message] = await atStudent;
    expect(message).toEqual({
      roomId: session.roomId,
      from: { userId: 'mentor_001', role: 'mentor', name: 'Nguyễn Văn Minh' },
      data: { kind: 'description', description: { type: 'offer', sdp: 'v=0 fake offer' } },
    });

    // An intruder cannot signal into a room it was not admitted to, and hears nothing.
    const studentHeard: unknown[] = [];
    student.on('rtc_signal', (m) => studentHeard.push(m));
    intruder.emit('rtc_signal', { roomId: session.roomId, data: { kind: 'candidate', candidate: null } });
    // Malformed signals are dropped.
    mentor.emit('rtc_signal', { roomId: session.roomId, data: { kind: 'exploit', payload: 'x' } } as never);
    await sleep(300);
    expect(studentHeard).toEqual([]);
    expect(intruderHeard).toEqual([]);
    student.off('rtc_signal');
  });

  it('drops a flood from one socket without harming the others', async () => {
    const received: unknown[] = [];
    student.on('rtc_signal', (m) => received.push(m));
    for (let i = 0; i < 1000; i++) mentor.emit('rtc_signal', { roomId: session.roomId, data: { kind: 'candidate', candidate: null } });
    await sleep(800);
    expect(received.length).toBeGreaterThan(50);
    expect(received.length).toBeLessThan(400);
    student.off('rtc_signal');
    // The student, unaffected, still signals to the mentor.
    const atMentor = nextEvent(mentor, 'rtc_signal');
    student.emit('rtc_signal', { roomId: session.roomId, data: { kind: 'media-state', audioMuted: true, cameraOff: false, screenSharing: false } });
    expect((await atMentor)[0].data).toEqual({ kind: 'media-state', audioMuted: true, cameraOff: false, screenSharing: false });
  });

  it('closes the room when the session ends: no more relaying', async () => {
    await sleep(1500); // let the flood's token bucket refill
    const ended = nextEvent(student, 'session_ended');
    expect((await call(server.url, 'POST', `/api/sessions/${session.sessionId}/end`, { token: mentorAccess })).status).toBe(200);
    await ended;
    const heard: unknown[] = [];
    student.on('rtc_signal', (m) => heard.push(m));
    mentor.emit('rtc_signal', { roomId: session.roomId, data: { kind: 'candidate', candidate: null } });
    await sleep(300);
    expect(heard).toEqual([]);
    expect(await rtcJoin(mentor, { roomId: session.roomId, token: session.token })).toMatchObject({ ok: false, code: 'SESSION_NOT_LIVE' });
  });
});

describe('socket message size', () => {
  it('drops a socket that sends an oversized message; the server and others carry on', async () => {
    const server = await startTestServer();
    try {
      const access = await login(server.url, 'L001');
      const big = await connectSocket(server.url, access);
      const other = await connectSocket(server.url, access);
      const closed = new Promise<string>((resolve) => big.once('disconnect', (reason) => resolve(reason)));
      big.emit('rtc_signal', { roomId: 'room_x', data: { kind: 'description', description: { type: 'offer', sdp: 'x'.repeat(200_000) } } });
      expect(await closed).toBe('transport close');
      expect(other.connected).toBe(true);
      expect((await call(server.url, 'GET', '/api/health')).status).toBe(200);
      other.close();
    } finally {
      await server.close();
    }
  });
});
