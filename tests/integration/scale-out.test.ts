/**
 * Two server processes sharing Redis (store + Socket.IO adapter): the seed flow crosses the nodes,
 * and killing node A loses no acknowledged session while its students reconnect to node B.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, collect, connectSocket, createDemoSession, eventually, login, nextEvent, type ClientSocket } from '../helpers/api-client';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';
import { makeTempDir } from '../helpers/test-server';

describe('scale-out over Redis: two nodes', () => {
  let redis: RedisServer;
  let nodeA: ServerProcess;
  let nodeB: ServerProcess;
  const sockets: ClientSocket[] = [];
  const folders: string[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    const env = async () => {
      const dir = await makeTempDir('classroom-node-');
      folders.push(dir);
      return { CLASSROOM_STORE: 'redis', REDIS_URL: redis.url, CLASSROOM_DATA_DIR: dir, CLASSROOM_DEMO: '1' };
    };
    [nodeA, nodeB] = await Promise.all([startServerProcess(await env()), startServerProcess(await env())]);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await nodeA?.kill('SIGKILL');
    await nodeB?.kill('SIGKILL');
    await redis?.stop();
    for (const dir of folders) await rm(dir, { recursive: true, force: true });
  });

  it('seeds the demo data once, and a sign-in on one node is valid on the other', async () => {
    const token = await login(nodeA.url, 'L001');
    expect((await call(nodeB.url, 'GET', '/api/auth/me', { token })).data.user.id).toBe('L001');
    const week = await call(nodeB.url, 'GET', '/api/mentor/schedule', { token: await login(nodeB.url, 'mentor_001') });
    expect(week.data.slots.filter((s: any) => s.booking)).toHaveLength(3);
  });

  it('counts login attempts across the nodes (the limit holds for the whole cluster)', async () => {
    const attempt = (url: string) => fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: 'L005', password: 'wrong' }) });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await attempt(i % 2 === 0 ? nodeA.url : nodeB.url)).status);
    expect(statuses).toEqual(Array(10).fill(401));
    expect((await attempt(nodeB.url)).status).toBe(429);
    expect((await attempt(nodeA.url)).status).toBe(429);
  });

  it("presence crosses the nodes: a mentor on node A sees a student's app on node B come online and go offline, live", async () => {
    const mentorToken = await login(nodeA.url, 'mentor_001');
    const mentor = await connectSocket(nodeA.url, mentorToken);
    sockets.push(mentor);
    const online = async () =>
      (await call(nodeA.url, 'GET', '/api/mentor/schedule', { token: mentorToken })).data.slots.find((s: any) => s.slotId === 'thu-16-17').booking.online as boolean;
    await eventually(async () => !(await online()), 3000, 'L003 online before connecting');
    const events = collect(mentor, 'presence');
    const student = await connectSocket(nodeB.url, await login(nodeB.url, 'L003'));
    await eventually(() => events.some((e) => e.userId === 'L003' && e.online), 5000, 'online not seen across nodes');
    expect(await online()).toBe(true);
    student.close();
    await eventually(() => events.some((e) => e.userId === 'L003' && !e.online), 5000, 'offline not seen across nodes');
    expect(await online()).toBe(false);
  });

  it('a mentor on node A rings a student on node B; join, delivery and end cross the nodes', async () => {
    const mentor = await login(nodeA.url, 'mentor_001');
    const studentToken = await login(nodeB.url, 'L001');
    const student = await connectSocket(nodeB.url, studentToken);
    sockets.push(student);
    const ring = nextEvent(student, 'session_notification');
    const started = performance.now();
    const created = await createDemoSession(nodeA.url, mentor);
    const [payload, ack] = await ring;
    const latencyMs = performance.now() - started;
    console.log(`cross-node create-session → notification: ${latencyMs.toFixed(1)} ms`);
    expect(payload.sessionId).toBe(created.sessionId);
    ack({ received: true });

    await eventually(async () => (await call(nodeA.url, 'GET', '/api/mentor/schedule', { token: mentor })).data.slots.find((s: any) => s.slotId === 'mon-09-10').liveSession?.deliveryState === 'delivered', 5000, 'delivery not seen on node A');
    expect((await call(nodeB.url, 'POST', `/api/sessions/${created.sessionId}/join`, { token: studentToken })).data.token).toBe(payload.token);
    // Idempotent across nodes: Start Session on node B returns the same room.
    expect((await createDemoSession(nodeB.url, await login(nodeB.url, 'mentor_001'))).roomId).toBe(created.roomId);

    const ended = nextEvent(student, 'session_ended');
    expect((await call(nodeA.url, 'POST', `/api/sessions/${created.sessionId}/end`, { token: mentor })).status).toBe(200);
    expect((await ended)[0]).toEqual({ sessionId: created.sessionId });
  });

  it('a node that stops answering does not hold back a ring between a mentor and a student on another node', async () => {
    const mentor = await login(nodeB.url, 'mentor_001');
    const student = await connectSocket(nodeB.url, await login(nodeB.url, 'L003'));
    sockets.push(student);
    // Frozen, node A is still subscribed in Redis, so every cluster-wide lookup waits for it in vain.
    nodeA.child.kill('SIGSTOP');
    try {
      const ring = nextEvent(student, 'session_notification', 15_000); // the retry timer would take 30 s or more
      const created = await createDemoSession(nodeB.url, mentor, { mentorId: 'mentor_001', studentId: 'L003', slotId: 'thu-16-17', sessionType: 'IELTS Writing Feedback' });
      const [payload, ack] = await ring;
      expect(payload.sessionId).toBe(created.sessionId);
      ack({ received: true });
    } finally {
      nodeA.child.kill('SIGCONT');
    }
  }, 30_000);

  it('killing node A loses no acknowledged session; its student reconnects to node B and is rung there', async () => {
    const mentor = await login(nodeA.url, 'mentor_001');
    const studentToken = await login(nodeA.url, 'L002');
    const onA = await connectSocket(nodeA.url, studentToken);
    sockets.push(onA);
    const dropped = new Promise((resolve) => onA.once('disconnect', resolve));
    // Acknowledged by node A (200), never delivered: the student's app is busy and does not ack.
    onA.on('session_notification', () => undefined);
    const created = await createDemoSession(nodeA.url, mentor, { mentorId: 'mentor_001', studentId: 'L002', slotId: 'tue-14-15', sessionType: 'Pronunciation Coaching' });

    await nodeA.kill('SIGKILL');
    await dropped;

    // The student's app reconnects — to node B now — with the same sign-in, and is rung again.
    let rings: unknown[] = [];
    const onB = await connectSocket(nodeB.url, studentToken, (socket) => (rings = collect(socket, 'session_notification')));
    sockets.push(onB);
    await eventually(() => rings.length === 1, 5000, 'not rung on node B');
    expect((rings[0] as { sessionId: string }).sessionId).toBe(created.sessionId);
    const week = await call(nodeB.url, 'GET', '/api/mentor/schedule', { token: await login(nodeB.url, 'mentor_001') });
    expect(week.data.slots.find((s: any) => s.slotId === 'tue-14-15').liveSession.sessionId).toBe(created.sessionId);
  });
});
