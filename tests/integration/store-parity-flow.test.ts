/**
 * What the mentor sees does not depend on the store: the real server on the lowdb file and on
 * Redis, a student who was never rung (offline) joins from the inbox, and the mentor's apps get
 * the same ring progress — "joined", with no "delivered" step invented before it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, collect, connectSocket, createDemoSession, eventually, login, type ClientSocket } from '../helpers/api-client';
import { flushRedis, startRedisServer, type RedisServer } from '../helpers/redis-server';
import { startTestServer, type TestServer } from '../helpers/test-server';

let redis: RedisServer;
let server: TestServer | undefined;
const sockets: ClientSocket[] = [];
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(() => redis.stop());
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await server?.close();
  server = undefined;
});

const stores: Array<[string, () => Promise<Record<string, string>>]> = [
  ['lowdb JSON file', async () => ({})],
  [
    'Redis',
    async () => {
      await flushRedis(redis.url);
      return { CLASSROOM_STORE: 'redis', REDIS_URL: redis.url };
    },
  ],
];

describe.each(stores)('ring progress the mentor sees, on the %s store', (_name, env) => {
  it('a student who joins before any app acknowledged the ring: "joined", never a "delivered" first', async () => {
    server = await startTestServer({ env: await env() });
    const mentor = await login(server.url, 'mentor_001');
    const mentorApp = await connectSocket(server.url, mentor);
    sockets.push(mentorApp);
    const progress = collect(mentorApp, 'session_delivery_state');
    const created = await createDemoSession(server.url, mentor);
    const student = await login(server.url, 'L001');
    expect((await call(server.url, 'POST', `/api/sessions/${created.sessionId}/join`, { token: student })).status).toBe(200);
    await eventually(() => progress.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(progress).toEqual([{ sessionId: created.sessionId, deliveryState: 'joined' }]);
  });
});
