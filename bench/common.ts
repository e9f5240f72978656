/**
 * What every bench part shares: percentiles, the REST call, starting the real server (and the
 * other bench processes) with the open-file limit raised, and reading a process's RSS and CPU
 * from /proc. Loopback only.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sendRoute } from '../server/contract/rest-client';
import type { RouteName } from '../server/contract/route-table';
import type { RouteData, RouteInput } from '../server/contract/routes';

export const ROOT = path.resolve(__dirname, '..');
export const quick = process.env.BENCH_QUICK === '1';
/** Wall clock shared by every process on the machine (ms, sub-millisecond resolution). */
export const now = () => performance.timeOrigin + performance.now();
export const log = (line: string) => process.stderr.write(`${line}\n`);
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
export const round1 = (x: number) => Math.round(x * 10) / 10;

export interface Stats {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Which server layout a figure was measured on, and with how many apps connected. */
export interface MeasuredOn {
  layout: 'one node' | 'two nodes';
  apps: number;
}

export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length === 0) return { n: 0, p50: NaN, p95: NaN, p99: NaN, max: NaN };
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { n: sorted.length, p50: round1(at(0.5)), p95: round1(at(0.95)), p99: round1(at(0.99)), max: round1(sorted[sorted.length - 1]!) };
}

/** A route of the contract's table (the same client the app and the tests use); throws on a refusal. */
export async function api<N extends RouteName>(url: string, name: N, input: RouteInput<N>, token?: string): Promise<RouteData<N>> {
  const { status, envelope } = await sendRoute(url, name, input, { token });
  if (!envelope?.success) throw new Error(`${name}: ${status} ${envelope?.error.message ?? 'no envelope'}`);
  return envelope.data;
}

/** Runs a command with the open-file limit raised to the hard limit (20,000 sockets need 20,000+ descriptors). */
const RAISE_FILE_LIMIT = 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0" "$@"';

/** A TypeScript file of this repo in its own node process (through tsx), file limit raised, IPC open. */
export function spawnTs(file: string, env: Record<string, string> = {}, stdout: 'inherit' | 'pipe' = 'inherit'): ChildProcess {
  return track(
    spawn('/bin/sh', ['-c', RAISE_FILE_LIMIT, process.execPath, '--import', 'tsx', file], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', stdout, 'inherit', 'ipc'],
    }),
  );
}

/**
 * How many sockets one process may hold here: the hard open-file limit (which only a privileged
 * process may raise) less room for the process's own files. Where it is below the 20,000 the
 * issue asks for, the bench runs at this many per process and says so.
 */
export const FILES_FOR_THE_PROCESS_ITSELF = 250; // HTTP clients (50 mentors at once), probes, store files, Redis, stdio
export const SOCKETS_PER_PROCESS = Math.min(20_000, Number(execFileSync('/bin/sh', ['-c', 'ulimit -Hn']).toString().trim()) - FILES_FOR_THE_PROCESS_ITSELF || 20_000);

/** Every process the bench starts is killed when it exits, however it exits (bounded: nothing outlives a run). */
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export interface RunningServer {
  child: ChildProcess;
  url: string;
}

export { freePort } from '../tests/helpers/redis-server';

/** A bench process (TypeScript file) that prints "listening on http://…"; resolves with its URL. */
export function startListening(file: string, env: Record<string, string> = {}): Promise<RunningServer> {
  const child = spawnTs(file, env, 'pipe');
  return new Promise((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const match = /listening on (http:\/\/\S+)/.exec(chunk);
      if (match) resolve({ child, url: match[1]! });
    });
    child.once('exit', (code) => reject(new Error(`${path.basename(file)} exited (${code})`)));
  });
}

/** Opens /metrics on every bench server (it is closed by default; README, Security). */
const BENCH_METRICS_TOKEN = 'bench-metrics-token-0123456789';

/** The server's Prometheus text; a refusal is an error, so a closed /metrics can never read as zeros. */
export async function scrapeMetrics(url: string): Promise<string> {
  const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` }, signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  return response.text();
}

/** The real server entry (`server/index.ts`, as `npm run serve` runs it) in its own process; resolves with its URL. */
export function startServer(env: Record<string, string>): Promise<RunningServer> {
  const child = track(
    spawn('/bin/sh', ['-c', RAISE_FILE_LIMIT, process.execPath, '--import', 'tsx', 'server/index.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', PORT: '0', CLASSROOM_LOG_LEVEL: 'error', CLASSROOM_DEMO: '0', CLASSROOM_METRICS_TOKEN: BENCH_METRICS_TOKEN, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        out = '';
        resolve({ child, url: match[1]!.replace(/\/$/, '') });
      }
    });
    child.once('exit', (code, signal) => reject(new Error(`server exited (${code ?? signal})`)));
  });
}

export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

export function rssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

/** User + system CPU seconds a process has used so far. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  // After the command: state is field 3, so utime (14) and stime (15) are at 11 and 12 here.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}
const CLOCK_TICKS = 100;

export const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
  });

export const stop = (child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM') =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });

/** Waits for a message of this type from a child process (or rejects when it exits first). */
export function nextMessage<T>(child: ChildProcess, type: string, timeoutMs = 600_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no '${type}' from the child within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: { type: string }) => {
      if (message.type === type) done(undefined, message as T);
    };
    const onExit = (code: number | null) => done(new Error(`child exited (${code}) before '${type}'`));
    function done(error?: Error, value?: T) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(value!);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Runs `work` over `items`, at most `concurrency` at a time. */
export async function pool<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index]!, index);
      }
    }),
  );
}
