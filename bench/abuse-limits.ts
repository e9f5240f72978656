/**
 * Measures the abuse limits on loopback (`npx tsx bench/abuse-limits.ts`; not part of npm test):
 * sign-in latency alone and during a 48-way random-user-id spray from one address (a separate
 * process), when 200 slow-body connections are closed (headers and one byte of a promised body,
 * half of them after a keep-alive request), and the server's memory with 2,000 idle authenticated
 * Socket.IO connections (opened by a separate process). Bounded in count and time (about 45 s);
 * prints one line per figure. With `npx tsx --expose-gc …` the memory figures are after a GC.
 */
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createApplication } from '../server/app';
import { parseConfig } from '../server/config';
import { createLogger } from '../server/observability/logger';
import { percentile, sprayLogins } from '../tests/helpers/login-spray';
import { call, login } from '../tests/helpers/api-client';
import { stalledBody } from '../tests/helpers/slow-body';
import { makeTempDir } from '../tests/helpers/test-server';

const SOCKETS = 2_000;
const SLOW_BODIES = 200;

async function timedLogins(url: string, count: number, address: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const response = await call(url, 'POST', '/api/auth/login', { body: { userId: 'L001', password: 'demo' }, headers: { 'x-forwarded-for': address } });
    times.push(performance.now() - t0);
    if (response.status !== 200) throw new Error(`real sign-in refused: ${response.status}`);
  }
  return times;
}

/** A child process holding `count` idle socket.io-client connections until told to stop. */
function holdSockets(url: string, token: string, count: number): Promise<{ stop(): void }> {
  const script = `
const { io } = require('socket.io-client');
const [url, token, count] = process.argv.slice(1);
let up = 0;
const sockets = [];
for (let i = 0; i < Number(count); i++) {
  const s = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  s.once('connect', () => { if (++up === Number(count)) process.stdout.write('up\\n'); });
  s.once('connect_error', (e) => { process.stderr.write(String(e.message) + '\\n'); process.exit(1); });
  sockets.push(s);
}
process.stdin.on('data', () => { for (const s of sockets) s.close(); process.exit(0); });
`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script, url, token, String(count)], { stdio: ['pipe', 'pipe', 'inherit'], cwd: process.cwd() });
    child.once('exit', (code) => code !== 0 && reject(new Error(`socket holder exited ${code}`)));
    child.stdout.once('data', () => resolve({ stop: () => child.stdin.write('stop\n') }));
  });
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

async function main() {
  const dataDir = await makeTempDir('classroom-bench-abuse-');
  const config = parseConfig({ CLASSROOM_DEMO: '1', PORT: '0', HOST: '127.0.0.1', CLASSROOM_DATA_DIR: dataDir, CLASSROOM_TRUST_PROXY: 'loopback', CLASSROOM_LOG_LEVEL: 'silent' }, { dataDir, demo: true });
  const app = await createApplication(config, { logger: createLogger('silent') });
  const url = await app.listen();
  try {
    await timedLogins(url, 5, '198.51.100.1'); // warm-up
    const alone = await timedLogins(url, 40, '198.51.100.2');
    console.log(`sign-in alone: p50 ${percentile(alone, 50).toFixed(0)} ms, p99 ${percentile(alone, 99).toFixed(0)} ms (n=${alone.length})`);

    const spray = sprayLogins(url, { concurrency: 48, durationMs: 8_000, address: '203.0.113.7' });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const during = await timedLogins(url, 30, '198.51.100.3');
    const { statuses } = await spray;
    console.log(`sign-in during a 48-way spray: p50 ${percentile(during, 50).toFixed(0)} ms, p99 ${percentile(during, 99).toFixed(0)} ms (n=${during.length}); spray: ${statuses.length} requests, ${statuses.filter((s) => s === 429).length} × 429, ${statuses.filter((s) => s === 401).length} × 401`);

    const opened = Date.now();
    const stalled = await Promise.all(Array.from({ length: SLOW_BODIES }, (_, i) => stalledBody(url, i % 2 === 0)));
    const closed = await Promise.race([Promise.all(stalled.map((s) => s.closedAt)), new Promise<null>((resolve) => setTimeout(() => resolve(null), 90_000))]);
    if (!closed) console.log(`${SLOW_BODIES} slow bodies: some still open after 90 s`);
    else {
      const after = closed.map((at) => (at - opened) / 1000);
      console.log(`${SLOW_BODIES} slow bodies: all closed; first after ${Math.min(...after).toFixed(1)} s, median ${percentile(after, 50).toFixed(1)} s, last ${Math.max(...after).toFixed(1)} s`);
    }

    global.gc?.();
    const before = process.memoryUsage();
    const holder = await holdSockets(url, await login(url, 'L002'), SOCKETS);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    global.gc?.();
    const after = process.memoryUsage();
    console.log(`${SOCKETS} idle sockets: RSS ${mb(before.rss)} → ${mb(after.rss)} MB (+${((after.rss - before.rss) / SOCKETS / 1024).toFixed(1)} KB each), heap ${mb(before.heapUsed)} → ${mb(after.heapUsed)} MB`);
    holder.stop();
  } finally {
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
