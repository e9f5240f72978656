/**
 * `npm run bench` — figures, each beside its naive peer in the same run, printed as a table and
 * written to bench/results.json. Loopback only. Ratios matter more than absolute times here.
 *
 * 1. start → notified latency with 1 / 1,000 / 5,000 students connected (socket.io-client in a
 *    separate process), beside a student app that polls the REST API every second;
 * 2. create-session throughput with 1k / 10k / 100k sessions stored, beside a naive lowdb server
 *    that rewrites its whole file per request; server RSS at each size;
 * 3. join → first remote frame with the built-in engine (Chromium, two contexts), median of 10;
 * 4. web client weight: sign-in page JS and the meeting chunks, beside eagerly bundling ZEGO.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BookingRecord, UserRecord } from '../server/contract/domain';
import { JsonClassroomStore } from '../server/store/json/json-store';
import { hashPassword } from '../server/services/passwords';
import { newSession } from '../tests/helpers/session-fixtures';
import { measureJoinToFirstFrame } from './join-latency';

const ROOT = path.resolve(__dirname, '..');
const PASSWORD = 'bench-password';
const quick = process.env.BENCH_QUICK === '1';
const STUDENT_LEVELS = quick ? [1, 200] : [1, 1000, 5000];
const STORE_LEVELS = quick ? [1000, 10_000] : [1000, 10_000, 100_000];
const STARTS = quick ? 100 : 500;
const POLL_STARTS = quick ? 5 : 15;
const now = () => performance.timeOrigin + performance.now();
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Results {
  machine: { cpus: number; node: string; date: string };
  startToNotified: Array<{ students: number; ours: Stats; pollingPeer?: Stats }>;
  storeGrowth: Array<{ stored: number; ours: number; naive: number; oursRssMb: number; naiveRssMb: number }>;
  joinToFirstFrame: { medianMs: number; samplesMs: number[] } | { skipped: string };
  webClient: { signInKb: number; meetingChunkKb: number; zegoChunkKb: number; eagerPeerSignInKb: number };
}

interface Stats {
  n: number;
  p50: number;
  p95: number;
  p99: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const round = (x: number) => Math.round(x * 10) / 10;
  return { n: sorted.length, p50: round(at(0.5)), p95: round(at(0.95)), p99: round(at(0.99)) };
}

async function api<T = any>(url: string, method: string, route: string, token?: string, body?: unknown): Promise<T> {
  const response = await fetch(`${url}${route}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const envelope = (await response.json()) as { success: boolean; data: T; error?: { message: string } };
  if (!envelope.success) throw new Error(`${method} ${route}: ${response.status} ${envelope.error?.message}`);
  return envelope.data;
}

/** Runs node with the open-file limit raised to the hard limit (5,000 sockets need 5,000+ descriptors). */
const RAISE_FILE_LIMIT = 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0" "$@"';

/** The real server entry in its own process; resolves with its URL. */
function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn('/bin/sh', ['-c', RAISE_FILE_LIMIT, process.execPath, '--import', 'tsx', 'server/index.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', PORT: '0', CLASSROOM_LOG_LEVEL: 'error', CLASSROOM_DEMO: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve({ child, url: match[1]! });
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code})`)));
  });
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

// ---------------------------------------------------------------------------------------------
// 1. start → notified
// ---------------------------------------------------------------------------------------------

async function benchStartToNotified(): Promise<Results['startToNotified']> {
  const students = Math.max(...STUDENT_LEVELS);
  const mentors = 50;
  const bookedPerMentor = Math.ceil(Math.min(500, students) / mentors);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'classroom-bench-'));
  const slots = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].flatMap((d) => [8, 9, 10, 11, 14, 15, 16].map((h) => `${d}-${String(h).padStart(2, '0')}-${String(h + 1).padStart(2, '0')}`));
  const users = ['id,name,role,password'];
  const bookings = ['mentor_id,student_id,slot_id,session_type'];
  for (let m = 0; m < mentors; m++) users.push(`M${m},Mentor ${m},mentor,${PASSWORD}`);
  for (let s = 0; s < students; s++) users.push(`B${s},Student ${s},student,${PASSWORD}`);
  // Student B(i) is booked with mentor M(i mod 50) at a slot of its own: starts spread over students.
  const booked: Array<{ mentor: string; student: string; slot: string }> = [];
  for (let i = 0; i < Math.min(500, students); i++) {
    const booking = { mentor: `M${i % mentors}`, student: `B${i}`, slot: slots[Math.floor(i / mentors) % slots.length]! };
    booked.push(booking);
    bookings.push(`${booking.mentor},${booking.student},${booking.slot},Bench`);
  }
  await writeFile(path.join(dir, 'users.csv'), users.join('\n'));
  await writeFile(path.join(dir, 'bookings.csv'), bookings.join('\n'));
  log(`provisioning ${students} students and ${mentors} mentors through the admin import (scrypt for each)…`);
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const admin = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts', 'admin', 'import', path.join(dir, 'users.csv'), path.join(dir, 'bookings.csv')], {
      cwd: ROOT,
      env: { ...process.env, CLASSROOM_DATA_DIR: path.join(dir, 'data'), UV_THREADPOOL_SIZE: '4' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    admin.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`admin import failed (${code})`))));
  });
  log(`  imported in ${((Date.now() - started) / 1000).toFixed(1)} s (${bookedPerMentor} bookings per mentor)`);

  const server = await startServer({ CLASSROOM_DATA_DIR: path.join(dir, 'data') });
  const mentorTokens = new Map<string, string>();
  for (let m = 0; m < mentors; m++) mentorTokens.set(`M${m}`, (await api(server.url, 'POST', '/api/auth/login', undefined, { userId: `M${m}`, password: PASSWORD })).accessToken);

  const results: Results['startToNotified'] = [];
  for (const level of STUDENT_LEVELS) {
    const child = spawn('/bin/sh', ['-c', RAISE_FILE_LIMIT, process.execPath, '--import', 'tsx', path.join(__dirname, 'students.ts')], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const arrivals = new Map<string, number>();
    let onReady: (n: number) => void = () => undefined;
    child.on('message', (message: { type: string; sessionId?: string; at?: number; connected?: number }) => {
      if (message.type === 'notified') arrivals.set(message.sessionId!, message.at!);
      if (message.type === 'ready') onReady(message.connected!);
    });
    log(`signing in and connecting ${level} student(s) from a separate process…`);
    const connected = await new Promise<number>((resolve) => {
      onReady = resolve;
      child.send({ type: 'start', url: server.url, studentIds: Array.from({ length: level }, (_, i) => `B${i}`), password: PASSWORD });
    });
    const candidates = booked.filter((b) => Number(b.student.slice(1)) < level);
    const latencies: number[] = [];
    for (let i = 0; i < STARTS; i++) {
      const booking = candidates[i % candidates.length]!;
      const token = mentorTokens.get(booking.mentor)!;
      const t0 = now();
      const created = await api(server.url, 'POST', '/api/mentor/create-session', token, { mentorId: booking.mentor, studentId: booking.student, slotId: booking.slot, sessionType: 'Bench' });
      const deadline = Date.now() + 5000;
      while (!arrivals.has(created.sessionId) && Date.now() < deadline) await new Promise((r) => setImmediate(r));
      const at = arrivals.get(created.sessionId);
      if (at !== undefined) latencies.push(at - t0);
      await api(server.url, 'POST', `/api/sessions/${created.sessionId}/end`, token);
    }
    // The peer: a student app that polls the REST API every second instead of being pushed to.
    const pollBooking = candidates[0]!;
    const pollToken = (await api(server.url, 'POST', '/api/auth/login', undefined, { userId: pollBooking.student, password: PASSWORD })).accessToken;
    const polled: number[] = [];
    for (let i = 0; i < POLL_STARTS; i++) {
      await new Promise((r) => setTimeout(r, Math.random() * 1000)); // starts at random phases of the poll
      const token = mentorTokens.get(pollBooking.mentor)!;
      const t0 = now();
      const created = await api(server.url, 'POST', '/api/mentor/create-session', token, { mentorId: pollBooking.mentor, studentId: pollBooking.student, slotId: pollBooking.slot, sessionType: 'Bench' });
      const pollPhase = Math.random() * 1000;
      await new Promise((r) => setTimeout(r, pollPhase));
      for (;;) {
        const { sessions } = await api(server.url, 'GET', '/api/student/sessions', pollToken);
        if (sessions.some((s: { sessionId: string }) => s.sessionId === created.sessionId)) break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      polled.push(now() - t0);
      await api(server.url, 'POST', `/api/sessions/${created.sessionId}/end`, token);
    }
    const pollingPeer = stats(polled);
    results.push({ students: connected, ours: stats(latencies), pollingPeer });
    log(`  ${connected} connected: p50 ${stats(latencies).p50} ms, p99 ${stats(latencies).p99} ms; polling peer p50 ${pollingPeer.p50} ms`);
    child.send({ type: 'stop' });
    await stop(child);
  }
  await stop(server.child);
  await rm(dir, { recursive: true, force: true });
  return results;
}

// ---------------------------------------------------------------------------------------------
// 2. store cost as it grows
// ---------------------------------------------------------------------------------------------

const CREATES = quick ? 300 : 1000;
const CONCURRENCY = 32;

/** Sessions per second over CREATES creates, or over what fits in the time box (the naive peer at 100k is slow). */
const TIME_BOX_MS = 20_000;
async function driveCreates(create: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  let done = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < CREATES && performance.now() - started < TIME_BOX_MS) {
      await create(next++);
      done++;
    }
  }));
  return Math.round(done / ((performance.now() - started) / 1000));
}

async function benchStoreGrowth(): Promise<Results['storeGrowth']> {
  const results: Results['storeGrowth'] = [];
  for (const stored of STORE_LEVELS) {
    log(`store with ${stored} sessions already stored…`);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'classroom-growth-'));
    // Students and bookings through the store's own import; sessions through its own create.
    const store = await JsonClassroomStore.open(dir);
    const at = new Date().toISOString();
    const users: UserRecord[] = [{ id: 'mentor_bench', name: 'Bench Mentor', role: 'mentor', password_hash: await hashPassword('bench-mentor'), time_zone: 'UTC', slot_ids: [], created_at: at }];
    const bookings: BookingRecord[] = [];
    for (let i = 0; i < CREATES; i++) {
      users.push({ id: `G${i}`, name: `Student ${i}`, role: 'student', password_hash: 'scrypt$16384$8$1$AAAA$AAAA', time_zone: 'UTC', slot_ids: [], created_at: at });
      bookings.push({ id: `booking_${i}`, mentor_id: 'mentor_bench', student_id: `G${i}`, slot_id: 'mon-09-10', session_type: 'Bench', created_at: at });
    }
    await store.importDirectory(users, bookings);
    const nowMs = Date.now();
    for (let batch = 0; batch < stored; batch += 10_000) {
      await Promise.all(
        Array.from({ length: Math.min(10_000, stored - batch) }, (_, j) => {
          const input = newSession(1_000_000 + batch + j, nowMs, { mentor_id: 'mentor_history', status: 'ended', ended_at: at, end_reason: 'ended_by_mentor' });
          return store.createSessionUnlessLive(input, nowMs);
        }),
      );
    }
    await store.close();

    // Ours: the real server over HTTP, a mentor starting sessions for many booked students at once.
    const server = await startServer({ CLASSROOM_DATA_DIR: dir });
    const token = await benchMentorToken(server.url);
    const ours = await driveCreates(async (i) => {
      await api(server.url, 'POST', '/api/mentor/create-session', token, { mentorId: 'mentor_bench', studentId: `G${i}`, slotId: 'mon-09-10', sessionType: 'Bench' });
    });
    const oursRssMb = rssMb(server.child.pid!);
    await stop(server.child);

    // Naive peer, same size, same load.
    const naiveDir = await mkdtemp(path.join(os.tmpdir(), 'classroom-naive-'));
    const naive = fork(path.join(__dirname, 'naive-lowdb-server.ts'), [], { execArgv: ['--import', 'tsx'], env: { ...process.env, NAIVE_DIR: naiveDir, NAIVE_PREFILL: String(stored) } });
    const port = await new Promise<number>((resolve) => naive.once('message', (m: { port: number }) => resolve(m.port)));
    const naiveRate = await driveCreates(async () => {
      await fetch(`http://127.0.0.1:${port}/create`, { method: 'POST' }).then((r) => r.text());
    });
    const naiveRssMb = rssMb(naive.pid!);
    naive.kill('SIGTERM');
    await rm(naiveDir, { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
    results.push({ stored, ours, naive: naiveRate, oursRssMb, naiveRssMb });
    log(`  ours ${ours}/s (RSS ${oursRssMb} MB), naive ${naiveRate}/s (RSS ${naiveRssMb} MB)`);
  }
  return results;
}

/** The bench mentor's password was set through the store before the server started; sign in for real. */
async function benchMentorToken(url: string): Promise<string> {
  return (await api(url, 'POST', '/api/auth/login', undefined, { userId: 'mentor_bench', password: 'bench-mentor' })).accessToken;
}

// ---------------------------------------------------------------------------------------------
// 4. web client weight
// ---------------------------------------------------------------------------------------------

function benchWebClient(): Results['webClient'] {
  const web = path.join(ROOT, 'out', 'renderer');
  const html = readFileSync(path.join(web, 'index.html'), 'utf8');
  const gz = (file: string) => gzipSync(readFileSync(path.join(web, file))).length / 1024;
  const initial = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+\.js)"/g)].reduce((sum, m) => sum + gz(m[1]!), 0);
  const assets = readdirSync(path.join(web, 'assets'));
  const meeting = assets.filter((f) => /^MeetingPage.*\.js$/.test(f)).reduce((sum, f) => sum + gz(`assets/${f}`), 0);
  const zego = assets.filter((f) => /^ZegoExpressWebRTC.*\.js$/.test(f)).reduce((sum, f) => sum + gz(`assets/${f}`), 0);
  const round = (x: number) => Math.round(x * 10) / 10;
  return { signInKb: round(initial), meetingChunkKb: round(meeting), zegoChunkKb: round(zego), eagerPeerSignInKb: round(initial + meeting + zego) };
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const results: Results = {
    machine: { cpus: os.cpus().length, node: process.version, date: new Date().toISOString() },
    startToNotified: [],
    storeGrowth: [],
    joinToFirstFrame: { skipped: 'not run' },
    webClient: benchWebClient(),
  };
  results.storeGrowth = await benchStoreGrowth();
  results.startToNotified = await benchStartToNotified();
  try {
    results.joinToFirstFrame = await measureJoinToFirstFrame(quick ? 3 : 10, startServer);
  } catch (error) {
    results.joinToFirstFrame = { skipped: (error as Error).message };
  }
  writeFileSync(path.join(__dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  printTable(results);
}

function printTable(r: Results) {
  const lines: string[] = [];
  lines.push(`Classroom benchmarks — ${r.machine.cpus} cores, Node ${r.machine.node}, ${r.machine.date}`);
  lines.push('');
  lines.push('| start → notified (ms) | ours p50 | ours p95 | ours p99 | polling peer p50 | polling peer p99 |');
  lines.push('|---|---|---|---|---|---|');
  for (const row of r.startToNotified) lines.push(`| ${row.students} students connected | ${row.ours.p50} | ${row.ours.p95} | ${row.ours.p99} | ${row.pollingPeer?.p50 ?? '—'} | ${row.pollingPeer?.p99 ?? '—'} |`);
  lines.push('');
  lines.push('| sessions stored | ours (sessions/s) | naive lowdb (sessions/s) | ours ÷ naive | ours RSS (MB) | naive RSS (MB) |');
  lines.push('|---|---|---|---|---|---|');
  for (const row of r.storeGrowth) lines.push(`| ${row.stored.toLocaleString('en')} | ${row.ours} | ${row.naive} | ${(row.ours / row.naive).toFixed(1)}× | ${row.oursRssMb} | ${row.naiveRssMb} |`);
  const first = r.storeGrowth[0];
  const last = r.storeGrowth[r.storeGrowth.length - 1];
  if (first && last) lines.push(`ours at ${last.stored.toLocaleString('en')} ÷ ours at ${first.stored.toLocaleString('en')}: ${(last.ours / first.ours).toFixed(2)}`);
  lines.push('');
  lines.push('join → first remote frame (built-in engine, Chromium): ' + ('medianMs' in r.joinToFirstFrame ? `median ${r.joinToFirstFrame.medianMs} ms over ${r.joinToFirstFrame.samplesMs.length} joins (${r.joinToFirstFrame.samplesMs.join(', ')})` : `skipped: ${r.joinToFirstFrame.skipped}`));
  lines.push(`web client (gzipped): sign-in page ${r.webClient.signInKb} KB; meeting chunk ${r.webClient.meetingChunkKb} KB; ZEGO SDK chunk ${r.webClient.zegoChunkKb} KB (lazy) — eager peer sign-in ${r.webClient.eagerPeerSignInKb} KB`);
  console.log(lines.join('\n'));
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
