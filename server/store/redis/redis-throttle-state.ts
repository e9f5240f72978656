/** Login throttle counts in Redis, so the limits hold for every server node together. */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { ThrottleState } from '../../services/login-throttle';

const P = 'classroom:throttle:';

export class RedisThrottleState implements ThrottleState {
  /** Also carries @fastify/rate-limit's counters. */
  readonly client: Redis;

  private constructor(private readonly redis: Redis) {
    this.client = redis;
  }

  static create(url: string): RedisThrottleState {
    const redis = new Redis(url, { connectTimeout: 2000, maxRetriesPerRequest: 2 });
    redis.on('error', () => undefined); // a failed command fails that sign-in attempt instead
    return new RedisThrottleState(redis);
  }

  async addressAttempt(address: string, windowKey: string, windowMs: number): Promise<number> {
    const key = `${P}addr:${address}:${windowKey}`;
    const [[, count]] = (await this.redis.multi().incr(key).pexpire(key, windowMs).exec()) as [[null, number], unknown];
    return count;
  }

  async addressSucceeded(address: string, windowKey: string): Promise<void> {
    await this.redis.decr(`${P}addr:${address}:${windowKey}`);
  }

  async accountState(userId: string, address: string, sinceMs: number) {
    const failuresKey = `${P}acct:${userId}`;
    const result = (await this.redis
      .multi()
      .zremrangebyscore(failuresKey, '-inf', `(${sinceMs}`)
      .zcard(failuresKey)
      .hget(`${P}acct-addr:${userId}`, address)
      .exec()) as [[null, number], [null, number], [null, string | null]];
    const last = result[2][1] === null ? null : Number(result[2][1]);
    return { failures: result[1][1], addressLastFailureMs: last !== null && last >= sinceMs ? last : null };
  }

  async accountFailed(userId: string, address: string, atMs: number, windowMs: number): Promise<void> {
    const failuresKey = `${P}acct:${userId}`;
    const addressesKey = `${P}acct-addr:${userId}`;
    await this.redis
      .multi()
      .zadd(failuresKey, atMs, `${atMs}:${randomBytes(4).toString('hex')}`)
      .pexpire(failuresKey, windowMs)
      .hset(addressesKey, address, String(atMs))
      .pexpire(addressesKey, windowMs)
      .exec();
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
