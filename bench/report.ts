/**
 * The bench's results: their shape, every figure flattened with its unit, target and whether it
 * was met (bench/results.json), and the Markdown tables the README shows.
 */
import type { LatencyRow } from './capacity';
import type { Stats } from './common';
import type { StoreGrowthRow } from './store-growth';
import type { StormResult } from './storm';

export interface Results {
  machine: { cpus: number; node: string; date: string; quick: boolean; fileLimit: number; socketsPerProcess: number };
  /** 1-minute load average when each part started: the 2 cores are shared with other work. */
  loadAverage: Record<string, number>;
  wallTimeS: number;
  latency: LatencyRow[];
  memoryPerIdleAppKb?: { ours: number; floor: number; apps: number };
  handshakesPerSecond?: { ours: number; floor: number; apps: number };
  storms: StormResult[];
  storeGrowth: StoreGrowthRow[];
  joinToFirstFrame: { medianMs: number; samplesMs: number[] } | { skipped: string };
  webClient: { signInKb: number; meetingChunkKb: number; zegoChunkKb: number; eagerPeerSignInKb: number };
  figures: Figure[];
}

export interface Figure {
  id: string;
  value: number;
  unit: string;
  /** e.g. "≤ 15000"; absent for a figure shown for context. */
  target?: string;
  met?: boolean;
}

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 100) / 100 : NaN);

export function evaluate(r: Results): Figure[] {
  const figures: Figure[] = [];
  const add = (id: string, value: number, unit: string, target?: { max?: number; min?: number }) => {
    const figure: Figure = { id, value, unit };
    if (target?.max !== undefined) Object.assign(figure, { target: `≤ ${target.max}`, met: value <= target.max });
    if (target?.min !== undefined) Object.assign(figure, { target: `≥ ${target.min}`, met: value >= target.min });
    figures.push(figure);
  };
  const topOneNode = Math.max(0, ...r.latency.filter((row) => row.layout === 'one node').map((row) => row.apps));
  for (const row of r.latency) {
    const key = `startToNotified.${row.layout === 'one node' ? 'oneNode' : 'twoNodes'}.${row.apps}apps`;
    for (const q of ['p50', 'p95', 'p99'] as const) {
      const target = q === 'p99' && row.apps === topOneNode && row.layout === 'one node' ? { max: 15 } : q === 'p99' && row.layout === 'two nodes' ? { max: 25 } : undefined;
      add(`${key}.ours.${q}`, row.ours[q], 'ms', target);
      add(`${key}.floor.${q}`, row.floor[q], 'ms');
    }
    add(`${key}.oursOverFloor.p99`, ratio(row.ours.p99, row.floor.p99), '×', row.layout === 'one node' && row.apps === topOneNode ? { max: 5 } : undefined);
    if (row.pollingPeer) add(`${key}.pollingPeer.p50`, row.pollingPeer.p50, 'ms');
  }
  if (r.memoryPerIdleAppKb) {
    add('memoryPerIdleApp.ours', r.memoryPerIdleAppKb.ours, 'KB', { max: 25 });
    add('memoryPerIdleApp.floor', r.memoryPerIdleAppKb.floor, 'KB');
  }
  if (r.handshakesPerSecond) {
    add('handshakeRate.ours', r.handshakesPerSecond.ours, 'handshakes/s');
    add('handshakeRate.floor', r.handshakesPerSecond.floor, 'handshakes/s');
  }
  for (const s of r.storms) {
    const key = `storm.${s.layout === 'one node' ? 'oneNode' : 'twoNodes'}.${s.apps}apps`;
    const targeted = s.layout === 'one node' && s.apps === Math.max(...r.storms.filter((x) => x.layout === 'one node').map((x) => x.apps));
    add(`${key}.restart`, s.restartMs, 'ms');
    add(`${key}.onlineAgain.p50`, s.onlineAgainMs.p50, 'ms');
    add(`${key}.onlineAgain.p99`, s.onlineAgainMs.p99, 'ms', targeted ? { max: 15_000 } : undefined);
    add(`${key}.onlineAgain.max`, s.onlineAgainMs.max, 'ms');
    add(`${key}.appsNotBackOnline`, s.appsDropped - s.appsBackOnline, 'apps', { max: 0 });
    add(`${key}.ringsNotAcknowledged`, s.rung - s.ringsAcknowledged, 'rings', { max: 0 });
    add(`${key}.allRingsAcknowledged`, s.allRingsAcknowledgedMs, 'ms', targeted ? { max: 20_000 } : undefined);
    add(`${key}.health.p99`, s.health.p99, 'ms', targeted ? { max: 250 } : undefined);
    add(`${key}.health.failedAfterRestart`, s.health.failed, 'requests');
    add(`${key}.eventLoopLag.max`, s.eventLoopLagMs.max, 'ms');
    add(`${key}.cpu.mean`, s.cpuPercent.mean, '% of one core');
  }
  const first = r.storeGrowth[0];
  const last = r.storeGrowth[r.storeGrowth.length - 1];
  for (const row of r.storeGrowth) {
    add(`storeGrowth.${row.stored}stored.ours`, row.ours, 'sessions/s');
    add(`storeGrowth.${row.stored}stored.naive`, row.naive, 'sessions/s');
    add(`storeGrowth.${row.stored}stored.oursRss`, row.oursRssMb, 'MB');
  }
  if (first && last && last !== first) {
    add(`storeGrowth.rss${last.stored}Over${first.stored}`, ratio(last.oursRssMb, first.oursRssMb), '×', { max: 1.5 });
    add(`storeGrowth.throughput${last.stored}Over${first.stored}`, ratio(last.ours, first.ours), '×', { min: 0.8 });
    add(`storeGrowth.oursOverNaiveAt${last.stored}`, ratio(last.ours, last.naive), '×', { min: 20 });
  }
  if ('medianMs' in r.joinToFirstFrame) add('joinToFirstFrame.median', r.joinToFirstFrame.medianMs, 'ms', { max: 1500 });
  add('webClient.signInPage', r.webClient.signInKb, 'KB gzipped', { max: 250 });
  return figures;
}

const fmt = (n: number) => (Number.isFinite(n) ? n.toLocaleString('en', { maximumFractionDigits: 1 }) : '—');
const x = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(1)}×` : '—');
const s1 = (ms: number) => `${(ms / 1000).toFixed(1)}`;

export function printTables(r: Results): string {
  const lines: string[] = [];
  lines.push(`Classroom benchmarks — ${r.machine.cpus} cores, Node ${r.machine.node}, ${r.machine.date}${r.machine.quick ? ' (BENCH_QUICK: small sizes)' : ''}; wall time ${Math.floor(r.wallTimeS / 60)} min ${r.wallTimeS % 60} s`);
  lines.push(`open-file hard limit ${r.machine.fileLimit} (≤ ${r.machine.socketsPerProcess} sockets per process); 1-minute load average at each part's start: ${Object.entries(r.loadAverage).map(([part, load]) => `${part} ${load}`).join(', ')}`);
  if (r.latency.length > 0) {
    lines.push('');
    lines.push('| start → notified (ms) | ours p50 | ours p95 | ours p99 | floor p50 | floor p99 | ours ÷ floor (p50 / p99) | polling app p50 |');
    lines.push('|---|---|---|---|---|---|---|---|');
    for (const row of r.latency) {
      const label = row.layout === 'one node' ? `${fmt(row.apps)} apps, one node` : `${fmt(row.apps)} apps, two nodes (cross-node)`;
      lines.push(`| ${label} | ${fmt(row.ours.p50)} | ${fmt(row.ours.p95)} | ${fmt(row.ours.p99)} | ${fmt(row.floor.p50)} | ${fmt(row.floor.p99)} | ${x(row.ours.p50, row.floor.p50)} / ${x(row.ours.p99, row.floor.p99)} | ${row.pollingPeer ? fmt(row.pollingPeer.p50) : ''} |`);
    }
  }
  if (r.memoryPerIdleAppKb && r.handshakesPerSecond) {
    lines.push('');
    lines.push(`| per connected app (${fmt(r.memoryPerIdleAppKb.apps)} apps, one node) | ours | floor | ours ÷ floor |`);
    lines.push('|---|---|---|---|');
    lines.push(`| server memory per idle app (KB) | ${fmt(r.memoryPerIdleAppKb.ours)} | ${fmt(r.memoryPerIdleAppKb.floor)} | ${x(r.memoryPerIdleAppKb.ours, r.memoryPerIdleAppKb.floor)} |`);
    lines.push(`| handshakes per second (${fmt(r.handshakesPerSecond.apps)} apps connecting, 500 at a time) | ${fmt(r.handshakesPerSecond.ours)} | ${fmt(r.handshakesPerSecond.floor)} | ${x(r.handshakesPerSecond.ours, r.handshakesPerSecond.floor)} |`);
  }
  if (r.storms.length > 0) {
    lines.push('');
    lines.push('| reconnect storm (from the kill) | restart (s) | online again p50 / p99 / max (s) | back online | rings acknowledged (last at, s) | /api/health p50 / p99 / max (ms) | event-loop lag max (ms) | server CPU mean / max (% of a core) |');
    lines.push('|---|---|---|---|---|---|---|---|');
    for (const s of r.storms) {
      const label = s.layout === 'one node' ? `${fmt(s.apps)} apps, one node restarted` : `${fmt(s.apps)} apps, two nodes, node A killed`;
      lines.push(`| ${label} | ${s.layout === 'one node' ? s1(s.restartMs) : '—'} | ${s1(s.onlineAgainMs.p50)} / ${s1(s.onlineAgainMs.p99)} / ${s1(s.onlineAgainMs.max)} | ${fmt(s.appsBackOnline)} of ${fmt(s.appsDropped)} | ${s.ringsAcknowledged} of ${s.rung} (${s.ringsAcknowledgedAfterKill} after the kill, last ${s1(s.allRingsAcknowledgedMs)}) | ${fmt(s.health.p50)} / ${fmt(s.health.p99)} / ${fmt(s.health.max)} | ${fmt(s.eventLoopLagMs.max)} | ${s.cpuPercent.mean} / ${s.cpuPercent.max} |`);
    }
  }
  if (r.storeGrowth.length > 0) {
    lines.push('');
    lines.push('| sessions stored | ours (sessions/s) | naive lowdb (sessions/s) | ours ÷ naive | ours RSS (MB) | naive RSS (MB) |');
    lines.push('|---|---|---|---|---|---|');
    for (const row of r.storeGrowth) lines.push(`| ${fmt(row.stored)} | ${row.ours} | ${row.naive} | ${x(row.ours, row.naive)} | ${row.oursRssMb} | ${row.naiveRssMb} |`);
  }
  lines.push('');
  lines.push('join → first remote frame (built-in engine, Chromium): ' + ('medianMs' in r.joinToFirstFrame ? `median ${r.joinToFirstFrame.medianMs} ms over ${r.joinToFirstFrame.samplesMs.length} joins` : `skipped: ${r.joinToFirstFrame.skipped}`));
  lines.push(`web client (gzipped): sign-in page ${r.webClient.signInKb} KB; meeting chunk ${r.webClient.meetingChunkKb} KB; ZEGO SDK chunk ${r.webClient.zegoChunkKb} KB (lazy) — eager peer sign-in ${r.webClient.eagerPeerSignInKb} KB`);
  lines.push('');
  lines.push('| target | figure | met |');
  lines.push('|---|---|---|');
  for (const f of r.figures.filter((f) => f.target)) lines.push(`| ${f.id} ${f.target} ${f.unit} | ${fmt(f.value)} ${f.unit} | ${f.met ? 'met' : '**missed**'} |`);
  return lines.join('\n');
}

export type { Stats };
