/**
 * Capacity: start → notified with more and more student apps connected (the desktop app's own
 * connection code, in a separate process), on one node with the JSON store and across two nodes
 * sharing Redis (the mentor on node A, the students on node B: every ring crosses nodes). Beside
 * each figure, measured in the same run, the floor — a bare Socket.IO server ringing the same
 * apps on an HTTP call — and, at one app, a student app polling the REST API every second.
 * Also: server memory per idle connected app, and handshakes per second while apps connect.
 */
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { RedisClassroomStore } from '../server/store/redis/redis-store';
import { JsonClassroomStore } from '../server/store/json/json-store';
import { startRedisServer } from '../tests/helpers/redis-server';
import { api, log, now, rssKb, sleep, startListening, startServer, stats, stop, type MeasuredOn, type RunningServer, type Stats } from './common';
import { Fleet } from './fleet-handle';
import { BENCH_PASSWORD, provisionSchool, type Booked, type School } from './provision';
import { SIZES } from './sizes';

/** Apps connect 500 at a time, as many tray apps starting together at login would. */
const CONNECT_CONCURRENCY = 500;
const SETTLE_MS = 3000;

export interface LatencyRow extends MeasuredOn {
  ours: Stats;
  floor: Stats;
  pollingPeer?: Stats;
}

export interface CapacityResults {
  latency: LatencyRow[];
  memoryPerIdleAppKb: { ours: number; floor: number; apps: number };
  handshakesPerSecond: { ours: number; floor: number; apps: number };
}

type Ring = (booking: Booked, i: number) => Promise<{ sessionId: string; t0: number; after?: () => Promise<unknown> }>;

/** `count` rings one after another; start → the app showing it, per ring. */
async function measureRings(fleet: Fleet, candidates: Booked[], count: number, ring: Ring): Promise<Stats> {
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const { sessionId, t0, after } = await ring(candidates[i % candidates.length]!, i);
    const at = await fleet.arrival(sessionId);
    if (at !== undefined) latencies.push(at - t0);
    await after?.();
  }
  if (latencies.length < count) log(`  ${count - latencies.length} of ${count} rings did not arrive within 5 s`);
  return stats(latencies);
}

async function mentorTokens(url: string, school: School): Promise<Map<string, string>> {
  const tokens = new Map<string, string>();
  for (const mentor of school.mentors) tokens.set(mentor, (await api(url, 'login', { body: { userId: mentor, password: BENCH_PASSWORD } })).accessToken);
  return tokens;
}

/** A ring through our real API: create-session (durable), then end it after the app showed it. */
function oursRing(url: string, tokens: Map<string, string>): Ring {
  return async (booking) => {
    const token = tokens.get(booking.mentor)!;
    const t0 = now();
    const created = await api(url, 'createSession', { body: { mentorId: booking.mentor, studentId: booking.student, slotId: booking.slot, sessionType: 'Bench' } }, token);
    return { sessionId: created.sessionId, t0, after: () => api(url, 'endSession', { params: { sessionId: created.sessionId } }, token) };
  };
}

let floorRings = 0;
function floorRing(url: string): Ring {
  return async (booking) => {
    const sessionId = `floor_${++floorRings}`;
    const t0 = now();
    await fetch(`${url}/ring?student=${booking.student}&session=${sessionId}`, { method: 'POST' }).then((r) => r.text());
    return { sessionId, t0 };
  };
}

export const startFloor = (env: Record<string, string> = {}) => startListening(path.join(__dirname, 'floor-server.ts'), env);

async function pollingPeer(url: string, tokens: Map<string, string>, booking: Booked): Promise<Stats> {
  const pollToken = (await api(url, 'login', { body: { userId: booking.student, password: BENCH_PASSWORD } })).accessToken;
  const mentorToken = tokens.get(booking.mentor)!;
  const polled: number[] = [];
  for (let i = 0; i < SIZES.pollStarts; i++) {
    const t0 = now();
    const created = await api(url, 'createSession', { body: { mentorId: booking.mentor, studentId: booking.student, slotId: booking.slot, sessionType: 'Bench' } }, mentorToken);
    await sleep(Math.random() * 1000); // the start lands at a random phase of the app's 1 s poll
    for (let poll = 0; poll < 10; poll++) {
      const { sessions } = await api(url, 'studentSessions', {}, pollToken);
      if (sessions.some((s: { sessionId: string }) => s.sessionId === created.sessionId)) break;
      await sleep(1000);
    }
    polled.push(now() - t0);
    await api(url, 'endSession', { params: { sessionId: created.sessionId } }, mentorToken);
  }
  return stats(polled);
}

interface LevelFigures {
  latency: Map<number, Stats>;
  handshakesPerSecond: number;
  memoryPerIdleAppKb: number;
}

/** Adds apps level by level to one fleet on one server; rings at each level. */
async function climbLevels(server: RunningServer, school: School, ring: Ring, atLevel?: (level: number) => Promise<void>): Promise<LevelFigures> {
  const fleet = await Fleet.start();
  const latency = new Map<number, Stats>();
  let connectedSoFar = 0;
  let baselineKb = 0;
  let handshakesPerSecond = 0;
  let memoryPerIdleAppKb = 0;
  try {
    for (const level of SIZES.oneNodeLevels) {
      const added = school.apps.slice(connectedSoFar, level);
      const result = await fleet.connect(server.url, added, CONNECT_CONCURRENCY);
      if (result.failed > 0) log(`  ${result.failed} apps failed to connect`);
      connectedSoFar = level;
      await sleep(SETTLE_MS);
      if (level === Math.max(...SIZES.oneNodeLevels)) {
        handshakesPerSecond = Math.round(added.length / (result.elapsedMs / 1000));
        memoryPerIdleAppKb = Math.round(((rssKb(server.child.pid!) - baselineKb) / (level - SIZES.oneNodeLevels[0]!)) * 10) / 10;
      }
      const candidates = school.booked.filter((b) => Number(b.student.slice(1)) < level);
      latency.set(level, await measureRings(fleet, candidates, SIZES.starts, ring));
      await atLevel?.(level);
      if (level === SIZES.oneNodeLevels[0]) {
        await sleep(SETTLE_MS);
        baselineKb = rssKb(server.child.pid!);
      }
      log(`  ${level} apps: p50 ${latency.get(level)!.p50} ms, p99 ${latency.get(level)!.p99} ms`);
    }
  } finally {
    await fleet.stop();
  }
  return { latency, handshakesPerSecond, memoryPerIdleAppKb };
}

export async function benchCapacityOneNode(): Promise<CapacityResults> {
  const top = Math.max(...SIZES.oneNodeLevels);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'classroom-capacity-'));
  try {
    log(`capacity, one node: provisioning ${top} students…`);
    const store = await JsonClassroomStore.open(dir);
    const school = await provisionSchool(store, top, SIZES.ringable);
    await store.close();

    log('ours (JSON store, durable writes):');
    const server = await startServer({ CLASSROOM_DATA_DIR: dir });
    let peer: Stats | undefined;
    let ours: LevelFigures;
    try {
      const tokens = await mentorTokens(server.url, school);
      ours = await climbLevels(server, school, oursRing(server.url, tokens), async (level) => {
        if (level === SIZES.oneNodeLevels[0]) peer = await pollingPeer(server.url, tokens, school.booked[0]!);
      });
    } finally {
      await stop(server.child);
    }

    log('the floor (bare Socket.IO, no store/auth/tokens):');
    const floorServer = await startFloor();
    const floorSchool = { ...school, apps: school.apps.map((a) => ({ id: a.id, token: a.id })) };
    let floor: LevelFigures;
    try {
      floor = await climbLevels(floorServer, floorSchool, floorRing(floorServer.url));
    } finally {
      await stop(floorServer.child);
    }
    return {
      latency: SIZES.oneNodeLevels.map((apps) => ({ layout: 'one node', apps, ours: ours.latency.get(apps)!, floor: floor.latency.get(apps)!, ...(apps === SIZES.oneNodeLevels[0] && peer ? { pollingPeer: peer } : {}) })),
      memoryPerIdleAppKb: { ours: ours.memoryPerIdleAppKb, floor: floor.memoryPerIdleAppKb, apps: top },
      handshakesPerSecond: { ours: ours.handshakesPerSecond, floor: floor.handshakesPerSecond, apps: top - (SIZES.oneNodeLevels[SIZES.oneNodeLevels.length - 2] ?? 0) },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Two nodes sharing Redis: half the apps on node A, half (with every rung student) on node B;
 * mentors call node A, so each ring goes A → Redis → B.
 */
export async function benchCapacityTwoNodes(): Promise<LatencyRow> {
  const redis = await startRedisServer();
  try {
    log(`capacity, two nodes: provisioning ${SIZES.twoNodeApps} students in Redis…`);
    const store = await RedisClassroomStore.open(redis.url);
    const school = await provisionSchool(store, SIZES.twoNodeApps, SIZES.ringable);
    await store.close();
    const half = SIZES.twoNodeApps / 2;
    const onB = school.apps.slice(0, half);
    const onA = school.apps.slice(half);

    const run = async (nodes: [RunningServer, RunningServer], ring: (nodeA: string) => Promise<Ring>, tokenOf: (app: { id: string; token: string }) => string) => {
      const [a, b] = nodes;
      const fleetA = await Fleet.start();
      const fleetB = await Fleet.start();
      try {
        await fleetB.connect(b.url, onB.map((app) => ({ id: app.id, token: tokenOf(app) })), CONNECT_CONCURRENCY);
        await fleetA.connect(a.url, onA.map((app) => ({ id: app.id, token: tokenOf(app) })), CONNECT_CONCURRENCY);
        await sleep(SETTLE_MS);
        return await measureRings(fleetB, school.booked, SIZES.starts, await ring(a.url));
      } finally {
        await Promise.all([fleetA.stop(), fleetB.stop()]);
      }
    };

    log('ours (Redis store + Redis adapter):');
    const env = { CLASSROOM_STORE: 'redis', REDIS_URL: redis.url };
    const ourNodes: [RunningServer, RunningServer] = [await startServer(env), await startServer(env)];
    let ours: Stats;
    try {
      ours = await run(ourNodes, async (url) => oursRing(url, await mentorTokens(url, school)), (app) => app.token);
    } finally {
      await Promise.all(ourNodes.map((node) => stop(node.child)));
    }
    log(`  ${SIZES.twoNodeApps} apps across two nodes: p50 ${ours.p50} ms, p99 ${ours.p99} ms`);

    log('the floor (two bare Socket.IO nodes, Redis adapter):');
    const floorNodes: [RunningServer, RunningServer] = [await startFloor({ REDIS_URL: redis.url }), await startFloor({ REDIS_URL: redis.url })];
    let floor: Stats;
    try {
      floor = await run(floorNodes, async (url) => floorRing(url), (app) => app.id);
    } finally {
      await Promise.all(floorNodes.map((node) => stop(node.child)));
    }
    log(`  floor: p50 ${floor.p50} ms, p99 ${floor.p99} ms`);
    return { layout: 'two nodes', apps: SIZES.twoNodeApps, ours, floor };
  } finally {
    await redis.stop();
  }
}
