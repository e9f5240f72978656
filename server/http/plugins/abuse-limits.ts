/**
 * Limits that keep one client from taking the server for itself: a cap on the connections one
 * address may hold open (stalled connections exhaust file descriptors), and @fastify/rate-limit for
 * the routes that opt in (`config.rateLimit`), counted in Redis when several nodes share it.
 * Sign-in throttling itself is the LoginThrottle service (per address and per account).
 */
import type { Socket } from 'node:net';
import fastifyRateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';

export interface AbuseLimitOptions {
  maxConnectionsPerAddress: number;
  /** Peers the cap does not count (trusted proxies, loopback). */
  exempt: (address: string) => boolean;
  /** Shared counters for the rate limit when several nodes run; null = this process. */
  redis: Redis | null;
  /** Told of every connection refused by the cap (metrics). */
  onRefused?: () => void;
}

export const abuseLimits = fp<AbuseLimitOptions>(async (app, options) => {
  const open = new Map<string, number>();
  app.server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress;
    if (!address || options.exempt(address)) return;
    const count = (open.get(address) ?? 0) + 1;
    if (count > options.maxConnectionsPerAddress) {
      options.onRefused?.();
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
  await app.register(fastifyRateLimit, { global: false, ...(options.redis ? { redis: options.redis, nameSpace: 'classroom:rate-limit:' } : {}) });
});
