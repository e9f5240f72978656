/**
 * `npm run bench` — every figure beside its peer or its floor, measured in the same run, printed
 * as tables, written to bench/results.json (each figure with its unit, target and whether it was
 * met) and drawn as SVG charts in docs/bench/. Loopback only; every loop is bounded.
 *
 * 1. capacity: start → notified at 1 / 5,000 / 20,000 apps on one node and 40,000 across two
 *    Redis nodes, beside the floor (a bare Socket.IO server) and a polling app; memory per idle
 *    app; handshake rate;
 * 2. the reconnect storm: 5,000 and 20,000 apps after a SIGKILL and restart, and two nodes with
 *    node A killed;
 * 3. store cost as sessions pile up (throughput and RSS at 1k / 10k / 100k stored) beside naive lowdb;
 * 4. join → first remote frame (built-in engine, Chromium); 5. web client weight.
 *
 * BENCH_QUICK=1 runs every part small (for working on the bench); BENCH_ONLY=capacity,storm,store,join
 * runs only those parts (results of the others are left out).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { benchCapacityOneNode, benchCapacityTwoNodes, type CapacityResults, type LatencyRow } from './capacity';
import { writeCharts } from './charts';
import { FILES_FOR_THE_PROCESS_ITSELF, log, quick, ROOT, SOCKETS_PER_PROCESS, startServer } from './common';
import { measureJoinToFirstFrame } from './join-latency';
import { evaluate, printTables, type Results } from './report';
import { benchStoreGrowth } from './store-growth';
import { SIZES } from './sizes';
import { benchStormOneNode, benchStormTwoNodes } from './storm';

const only = new Set((process.env.BENCH_ONLY ?? 'capacity,storm,store,join').split(','));

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

async function main() {
  const started = Date.now();
  const results: Results = {
    machine: { cpus: os.cpus().length, node: process.version, date: new Date().toISOString(), quick, fileLimit: SOCKETS_PER_PROCESS + FILES_FOR_THE_PROCESS_ITSELF, socketsPerProcess: SOCKETS_PER_PROCESS },
    loadAverage: {},
    wallTimeS: 0,
    latency: [],
    storms: [],
    storeGrowth: [],
    joinToFirstFrame: { skipped: 'not run' },
    webClient: benchWebClient(),
    figures: [],
  };
  const load = (part: string) => (results.loadAverage[part] = Math.round(os.loadavg()[0]! * 10) / 10);
  if (only.has('capacity')) {
    load('capacity');
    const one: CapacityResults = await benchCapacityOneNode();
    const two: LatencyRow = await benchCapacityTwoNodes();
    results.latency = [...one.latency, two];
    results.memoryPerIdleAppKb = one.memoryPerIdleAppKb;
    results.handshakesPerSecond = one.handshakesPerSecond;
  }
  if (only.has('storm')) {
    load('storm');
    for (const apps of SIZES.stormLevels) results.storms.push(await benchStormOneNode(apps));
    results.storms.push(await benchStormTwoNodes(SIZES.twoNodeStormApps));
  }
  if (only.has('store')) {
    load('store');
    results.storeGrowth = await benchStoreGrowth();
  }
  if (only.has('join')) {
    load('join');
    try {
      results.joinToFirstFrame = await measureJoinToFirstFrame(SIZES.joins, startServer);
    } catch (error) {
      results.joinToFirstFrame = { skipped: (error as Error).message };
    }
  }
  results.wallTimeS = Math.round((Date.now() - started) / 1000);
  results.figures = evaluate(results);
  writeFileSync(path.join(__dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const charts = writeCharts(results, path.join(ROOT, 'docs', 'bench'));
  log(`charts: ${charts.join(', ')}`);
  console.log(printTables(results));
}

/** `tsx bench/index.ts charts`: redraws docs/bench/ from the last bench/results.json. */
if (process.argv[2] === 'charts') {
  const results = JSON.parse(readFileSync(path.join(__dirname, 'results.json'), 'utf8')) as Results;
  log(`charts: ${writeCharts(results, path.join(ROOT, 'docs', 'bench')).join(', ')}`);
} else
  void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
