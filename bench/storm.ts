/**
 * The reconnect storm. N student apps (the desktop app's own connection code and backoff, in a
 * separate process) are online; a mentor has just started sessions for 1,000 of them; the server
 * is killed with SIGKILL and started again on the same data folder (one node), or node A of two
 * Redis nodes behind a balancer is killed and its apps land on node B. Measured from the kill:
 * when each app is online again, when the server acknowledged the last of the 1,000 rings (the
 * outbox rows' `delivered_at`), `/api/health` latency meanwhile, and the server's event-loop lag
 * (its own Prometheus gauges, reset at every scrape) and CPU (from /proc).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { ClassroomStore } from '../server/store/classroom-store';
import { JsonClassroomStore } from '../server/store/json/json-store';
import { RedisClassroomStore } from '../server/store/redis/redis-store';
import { startRedisServer } from '../tests/helpers/redis-server';
import { api, cpuSeconds, exited, freePort, log, now, pool, round1, scrapeMetrics, sleep, SOCKETS_PER_PROCESS, startListening, startServer, stats, stop, type MeasuredOn, type RunningServer, type Stats } from './common';
import { Fleet } from './fleet-handle';
import { BENCH_PASSWORD, provisionSchool, type School } from './provision';
import { SIZES } from './sizes';

/** The storm is over when every app is online again and every ring acknowledged — or after this. */
const STORM_DEADLINE_MS = 120_000;
const SAMPLE_MS = 250;

export interface StormResult extends MeasuredOn {
  rung: number;
  /** Kill → the replacement listening (one node), or 0 when node B was already up. */
  restartMs: number;
  /** Per app that dropped: kill → online again. */
  onlineAgainMs: Stats;
  appsBackOnline: number;
  appsDropped: number;
  /** Kill → the last of the rung sessions' outbox rows acknowledged by an app (0 if all were before the kill). */
  allRingsAcknowledgedMs: number;
  ringsAcknowledged: number;
  ringsAcknowledgedAfterKill: number;
  health: Stats & { failed: number };
  eventLoopLagMs: { p99Max: number; max: number };
  cpuPercent: { mean: number; max: number };
  /** For the chart: seconds since the kill → share of dropped apps online again / rings acknowledged. */
  curve: { onlineAgainS: number[]; ringsAcknowledgedS: number[] };
}

interface Monitor {
  stop(): Promise<{ health: number[]; healthFailed: number; lagP99: number[]; lagMax: number[]; cpu: number[] }>;
}

/** Health probes every 100 ms through `probeUrl`; lag and CPU of `server` every 250 ms. */
function monitor(probeUrl: string, server: { child: ChildProcess; url: string }): Monitor {
  let running = true;
  const health: number[] = [];
  let healthFailed = 0;
  const lagP99: number[] = [];
  const lagMax: number[] = [];
  const cpu: number[] = [];
  const prober = (async () => {
    while (running) {
      const t0 = now();
      try {
        const response = await fetch(`${probeUrl}/api/health`, { signal: AbortSignal.timeout(5000) });
        await response.text();
        if (response.ok) health.push(now() - t0);
        else healthFailed++;
      } catch {
        healthFailed++;
      }
      await sleep(Math.max(0, 100 - (now() - t0)));
    }
  })();
  const sampler = (async () => {
    let lastCpu = cpuSeconds(server.child.pid!);
    let lastAt = now();
    while (running) {
      await sleep(SAMPLE_MS);
      try {
        const cpuNow = cpuSeconds(server.child.pid!);
        const at = now();
        cpu.push(((cpuNow - lastCpu) / ((at - lastAt) / 1000)) * 100);
        lastCpu = cpuNow;
        lastAt = at;
        const text = await scrapeMetrics(server.url);
        const gauge = (name: string) => Number(new RegExp(`^classroom_nodejs_eventloop_lag_${name}_seconds (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) * 1000;
        lagP99.push(gauge('p99'));
        lagMax.push(gauge('max'));
      } catch {
        // a scrape that times out is itself a sign of lag; the health probe counts it
      }
    }
  })();
  return {
    async stop() {
      running = false;
      await Promise.all([prober, sampler]);
      return { health, healthFailed, lagP99: lagP99.filter(Number.isFinite), lagMax: lagMax.filter(Number.isFinite), cpu };
    },
  };
}

async function startSessions(url: string, school: School): Promise<string[]> {
  const tokens = new Map<string, string>();
  for (const mentor of school.mentors) tokens.set(mentor, (await api(url, 'login', { body: { userId: mentor, password: BENCH_PASSWORD } })).accessToken);
  const ids: string[] = [];
  await pool(school.booked, 50, async (b) => {
    const created = await api(url, 'createSession', { body: { mentorId: b.mentor, studentId: b.student, slotId: b.slot, sessionType: 'Bench' } }, tokens.get(b.mentor)!);
    ids.push(created.sessionId);
  });
  return ids;
}

/** Ring acknowledgements the server has recorded since it started (its own counter). */
async function deliveredCount(url: string): Promise<number> {
  const text = await scrapeMetrics(url).catch(() => '');
  return Number(/^classroom_session_events_total\{event="delivered"\} (\S+)$/m.exec(text)?.[1] ?? 0);
}

/**
 * Waits (bounded) until every app is online, every rung session has reached its app (apps
 * acknowledge before they show) and the server's acknowledgement count has stood still for 2 s.
 * The exact acknowledgement times are read from the store afterwards.
 */
async function waitForRecovery(fleet: Fleet, rung: string[], metricsUrl: string): Promise<void> {
  const deadline = Date.now() + STORM_DEADLINE_MS;
  let lastDelivered = -1;
  let stableSince = now();
  while (Date.now() < deadline) {
    await sleep(500);
    const report = await fleet.report();
    const delivered = await deliveredCount(metricsUrl);
    if (delivered !== lastDelivered) {
      lastDelivered = delivered;
      stableSince = now();
    }
    if (report.offline === 0 && rung.every((id) => fleet.arrivals.has(id)) && now() - stableSince >= 2000) return;
  }
  log('  storm deadline reached before full recovery');
}

function summarise(layout: StormResult['layout'], apps: number, killAt: number, restartMs: number, report: Awaited<ReturnType<Fleet['report']>>, deliveredAt: Array<number | null>, m: Awaited<ReturnType<Monitor['stop']>>): StormResult {
  const onlineAgain = report.onlineAgainAt.map((t) => t - killAt);
  const acked = deliveredAt.filter((t): t is number => t !== null);
  const afterKill = acked.filter((t) => t > killAt).map((t) => t - killAt);
  const health = stats(m.health);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
  const result: StormResult = {
    layout,
    apps,
    rung: deliveredAt.length,
    restartMs: Math.round(restartMs),
    onlineAgainMs: stats(onlineAgain),
    appsBackOnline: report.onlineAgainAt.length,
    appsDropped: report.droppedAt.length,
    allRingsAcknowledgedMs: Math.round(afterKill.length ? Math.max(...afterKill) : 0),
    ringsAcknowledged: acked.length,
    ringsAcknowledgedAfterKill: afterKill.length,
    health: { ...health, failed: m.healthFailed },
    eventLoopLagMs: { p99Max: round1(Math.max(0, ...m.lagP99)), max: round1(Math.max(0, ...m.lagMax)) },
    cpuPercent: { mean: Math.round(mean(m.cpu)), max: Math.round(Math.max(0, ...m.cpu)) },
    curve: { onlineAgainS: onlineAgain.map((t) => t / 1000).sort((a, b) => a - b), ringsAcknowledgedS: afterKill.map((t) => t / 1000).sort((a, b) => a - b) },
  };
  log(`  ${result.appsBackOnline}/${result.appsDropped} apps online again: p50 ${result.onlineAgainMs.p50} ms, p99 ${result.onlineAgainMs.p99} ms, max ${result.onlineAgainMs.max} ms (restart ${result.restartMs} ms)`);
  log(`  rings acknowledged ${result.ringsAcknowledged}/${result.rung} (${result.ringsAcknowledgedAfterKill} after the kill, last at ${result.allRingsAcknowledgedMs} ms); health p99 ${health.p99} ms, ${m.healthFailed} failed; lag p99 ≤ ${result.eventLoopLagMs.p99Max} ms, max ${result.eventLoopLagMs.max} ms; CPU mean ${result.cpuPercent.mean} %, max ${result.cpuPercent.max} %`);
  return result;
}

async function deliveredTimes(store: ClassroomStore, sessionIds: string[]): Promise<Array<number | null>> {
  try {
    return await Promise.all(sessionIds.map(async (id) => {
      const row = await store.getNotification(id);
      return row?.delivered_at ? Date.parse(row.delivered_at) : null;
    }));
  } finally {
    await store.close();
  }
}

export async function benchStormOneNode(apps: number): Promise<StormResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'classroom-storm-'));
  let server: RunningServer | undefined;
  const fleet = await Fleet.start();
  try {
    log(`storm, one node, ${apps} apps: provisioning…`);
    const store = await JsonClassroomStore.open(dir);
    const school = await provisionSchool(store, apps, SIZES.rungInStorm);
    await store.close();
    const env = { CLASSROOM_DATA_DIR: dir, PORT: String(await freePort()) };
    server = await startServer(env);
    const connected = await fleet.connect(server.url, school.apps, 500);
    log(`  ${connected.connected} apps online (${connected.failed} failed) in ${(connected.elapsedMs / 1000).toFixed(1)} s`);
    await sleep(2000);
    await fleet.watch();
    const rung = await startSessions(server.url, school);
    const killAt = now();
    server.child.kill('SIGKILL');
    await exited(server.child);
    server = await startServer(env);
    const restartMs = now() - killAt;
    const watch = monitor(server.url, server);
    await waitForRecovery(fleet, rung, server.url);
    const m = await watch.stop();
    const report = await fleet.report();
    await stop(server.child);
    server = undefined;
    return summarise('one node', apps, killAt, restartMs, report, await deliveredTimes(await JsonClassroomStore.open(dir), rung), m);
  } finally {
    await fleet.stop();
    if (server) await stop(server.child);
    await rm(dir, { recursive: true, force: true });
  }
}

const startBalancer = (backendPorts: number[]) => startListening(path.join(__dirname, 'balancer.ts'), { BACKENDS: backendPorts.join(',') });

/** Two nodes on Redis behind the balancer; node A is killed and its apps land on node B. */
export async function benchStormTwoNodes(apps: number): Promise<StormResult> {
  const redis = await startRedisServer();
  const running: ChildProcess[] = [];
  const fleet = await Fleet.start();
  try {
    log(`storm, two nodes, ${apps} apps: provisioning in Redis…`);
    const store = await RedisClassroomStore.open(redis.url);
    const school = await provisionSchool(store, apps, SIZES.rungInStorm);
    await store.close();
    const env = { CLASSROOM_STORE: 'redis', REDIS_URL: redis.url };
    const [portA, portB] = [await freePort(), await freePort()];
    const nodeA = await startServer({ ...env, PORT: String(portA) });
    const nodeB = await startServer({ ...env, PORT: String(portB) });
    // A balancer process holds two descriptors per app: as many balancers as the file limit asks for.
    const perBalancer = Math.floor(SOCKETS_PER_PROCESS / 2) - 100;
    const slices = Array.from({ length: Math.ceil(apps / perBalancer) }, (_, i) => school.apps.slice(i * perBalancer, (i + 1) * perBalancer));
    const balancers = await Promise.all(slices.map(() => startBalancer([portA, portB])));
    running.push(nodeA.child, nodeB.child, ...balancers.map((b) => b.child));
    const started = now();
    let online = 0;
    for (const [i, slice] of slices.entries()) online += (await fleet.connect(balancers[i]!.url, slice, 500)).connected;
    log(`  ${online} apps online through ${balancers.length} balancer processes in ${((now() - started) / 1000).toFixed(1)} s`);
    await sleep(2000);
    await fleet.watch();
    const rung = await startSessions(nodeB.url, school);
    const watch = monitor(balancers[0]!.url, nodeB);
    const killAt = now();
    nodeA.child.kill('SIGKILL');
    await exited(nodeA.child);
    await waitForRecovery(fleet, rung, nodeB.url);
    const m = await watch.stop();
    const report = await fleet.report();
    return summarise('two nodes', apps, killAt, 0, report, await deliveredTimes(await RedisClassroomStore.open(redis.url), rung), m);
  } finally {
    await fleet.stop();
    await Promise.all(running.map((child) => stop(child)));
    await redis.stop();
  }
}
