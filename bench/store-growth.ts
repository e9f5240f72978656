/**
 * Store cost as sessions pile up: create-session throughput (32 concurrent, through the real
 * server, median of three rounds after a warm-up) with 1k / 10k / 100k sessions already stored,
 * and the server's RSS — beside a naive lowdb server that rewrites its whole JSON file on every
 * request.
 */
import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BookingRecord, UserRecord } from '../server/store/records';
import { JsonClassroomStore } from '../server/store/json/json-store';
import { hashPassword } from '../server/services/passwords';
import { newSession } from '../tests/helpers/session-fixtures';
import { api, log, rssMb, startServer, stop } from './common';
import { SIZES } from './sizes';

const CONCURRENCY = 32;
/** Ours is timed over this many rounds of SIZES.storeCreates (other students each), and the median is kept: the cores are shared. */
const ROUNDS = 3;
/** Sessions per second over SIZES.storeCreates creates, or over what fits in the time box (the naive peer at 100k is slow). */
const TIME_BOX_MS = 20_000;

export interface StoreGrowthRow {
  stored: number;
  ours: number;
  naive: number;
  oursRssMb: number;
  naiveRssMb: number;
}

async function driveCreates(create: (i: number) => Promise<void>, count = SIZES.storeCreates, from = 0): Promise<number> {
  let next = from;
  let done = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < from + count && performance.now() - started < TIME_BOX_MS) {
      await create(next++);
      done++;
    }
  }));
  return Math.round(done / ((performance.now() - started) / 1000));
}

export async function benchStoreGrowth(): Promise<StoreGrowthRow[]> {
  const results: StoreGrowthRow[] = [];
  for (const stored of SIZES.storeLevels) {
    log(`store with ${stored} sessions already stored…`);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'classroom-growth-'));
    // Students and bookings through the store's own import; sessions through its own create.
    const store = await JsonClassroomStore.open(dir);
    const at = new Date().toISOString();
    const users: UserRecord[] = [{ id: 'mentor_bench', name: 'Bench Mentor', role: 'mentor', password_hash: await hashPassword('bench-mentor'), time_zone: 'UTC', slot_ids: [], created_at: at }];
    const bookings: BookingRecord[] = [];
    for (let i = 0; i < SIZES.storeWarmup + ROUNDS * SIZES.storeCreates; i++) {
      users.push({ id: `G${i}`, name: `Student ${i}`, role: 'student', password_hash: 'scrypt$16384$8$1$AAAA$AAAA', time_zone: 'UTC', slot_ids: [], created_at: at });
      bookings.push({ id: `booking_${i}`, mentor_id: 'mentor_bench', student_id: `G${i}`, slot_id: 'mon-09-10', session_type: 'Bench', created_at: at });
    }
    await store.importDirectory(users, bookings);
    // History as a school builds it: sessions started, then ended (into the archive).
    const nowMs = Date.now();
    for (let batch = 0; batch < stored; batch += 10_000) {
      const ids = Array.from({ length: Math.min(10_000, stored - batch) }, (_, j) => 1_000_000 + batch + j);
      await Promise.all(ids.map((i) => store.createSessionUnlessLive(newSession(i, nowMs, { mentor_id: 'mentor_history' }), nowMs)));
      await Promise.all(ids.map((i) => store.endSession(`session_${i}`, at, 'ended_by_mentor')));
    }
    await store.close();

    // Ours: the real server over HTTP, a mentor starting sessions for many booked students at once.
    const server = await startServer({ CLASSROOM_DATA_DIR: dir });
    const token = (await api(server.url, 'login', { body: { userId: 'mentor_bench', password: 'bench-mentor' } })).accessToken;
    const create = async (i: number) => {
      await api(server.url, 'createSession', { body: { mentorId: 'mentor_bench', studentId: `G${i}`, slotId: 'mon-09-10', sessionType: 'Bench' } }, token);
    };
    await driveCreates(create, SIZES.storeWarmup, ROUNDS * SIZES.storeCreates);
    const rounds: number[] = [];
    for (let round = 0; round < ROUNDS; round++) rounds.push(await driveCreates(create, SIZES.storeCreates, round * SIZES.storeCreates));
    const ours = rounds.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
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
    await stop(naive);
    await rm(naiveDir, { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
    results.push({ stored, ours, naive: naiveRate, oursRssMb, naiveRssMb });
    log(`  ours ${ours}/s (RSS ${oursRssMb} MB), naive ${naiveRate}/s (RSS ${naiveRssMb} MB)`);
  }
  return results;
}
