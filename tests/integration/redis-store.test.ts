/** The Redis store against Debian's redis-server on a free loopback port: the same contract as lowdb. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisClassroomStore, RedisUnavailableError } from '../../server/store/redis/redis-store';
import { flushRedis, startRedisServer, type RedisServer } from '../helpers/redis-server';
import { describeClassroomStore } from './store-contract';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(() => redis.stop());

describeClassroomStore('Redis', async () => {
  await flushRedis(redis.url);
  return RedisClassroomStore.open(redis.url);
});

describe('Redis store start-up', () => {
  it('names REDIS_URL in one line when Redis is unreachable', async () => {
    const error = await RedisClassroomStore.open('redis://127.0.0.1:1', 1000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect((error as Error).message).toMatch(/^REDIS_URL: Redis at redis:\/\/127\.0\.0\.1:1\/? is unreachable/);
    expect((error as Error).message).not.toContain('\n');
  });
});
