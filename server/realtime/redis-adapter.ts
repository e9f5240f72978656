/**
 * Socket.IO across server nodes: the Redis adapter relays room emits, acks, fetchSockets and
 * disconnects between nodes, so a mentor on node A rings a student connected to node B. Both
 * connections must be ready before the adapter is created.
 */
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { RedisUnavailableError } from '../store/redis/redis-store';

export interface RedisAdapterHandle {
  adapter: ReturnType<typeof createAdapter>;
  close(): Promise<void>;
}

function ready(client: Redis, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new RedisUnavailableError('REDIS_URL: Redis did not become ready for the Socket.IO adapter.')), timeoutMs);
    client.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export async function createRedisAdapter(url: string, timeoutMs = 5000): Promise<RedisAdapterHandle> {
  const pub = new Redis(url, { maxRetriesPerRequest: null });
  const sub = pub.duplicate();
  for (const client of [pub, sub]) client.on('error', () => undefined); // ioredis reconnects by itself
  await Promise.all([ready(pub, timeoutMs), ready(sub, timeoutMs)]);
  return {
    adapter: createAdapter(pub, sub),
    async close() {
      await Promise.all([pub.quit().catch(() => pub.disconnect()), sub.quit().catch(() => sub.disconnect())]);
    },
  };
}
