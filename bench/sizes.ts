/**
 * How large each benchmark runs, in one table: the full sizes behind the README's figures, and
 * BENCH_QUICK's small ones (the same code, as a quick smoke run).
 */
import { quick, SOCKETS_PER_PROCESS } from './common';

const FULL = {
  /** Connected apps on one node at which start → notified is measured; the first is the quiet baseline. */
  oneNodeLevels: [1, 5000, SOCKETS_PER_PROCESS],
  /** Apps split across the two-node layout. */
  twoNodeApps: 2 * SOCKETS_PER_PROCESS,
  /** Start Session clicks timed at each level. */
  starts: 500,
  /** Start Session clicks timed against the polling peer (it answers in seconds, not milliseconds). */
  pollStarts: 15,
  /** Booked students the capacity runs may ring. */
  ringable: 500,
  /** Apps connected when a one-node server is killed. */
  stormLevels: [5000, SOCKETS_PER_PROCESS],
  /** Node B ends up holding every app, so the two-node storm is as large as one process may hold. */
  twoNodeStormApps: SOCKETS_PER_PROCESS,
  /** Sessions rung just before the kill, each of which must still be acknowledged. */
  rungInStorm: 1000,
  /** Sessions already stored when create-session throughput is measured. */
  storeLevels: [1000, 10_000, 100_000],
  /** Creates per measured round. */
  storeCreates: 1000,
  /** Creates before the measured ones (other students), so every level is timed on a warmed-up server. */
  storeWarmup: 300,
  /** Joins timed from click to the first remote video frame. */
  joins: 10,
};

const QUICK: typeof FULL = {
  oneNodeLevels: [1, 300],
  twoNodeApps: 600,
  starts: 100,
  pollStarts: 5,
  ringable: 500,
  stormLevels: [300],
  twoNodeStormApps: 300,
  rungInStorm: 100,
  storeLevels: [1000, 10_000],
  storeCreates: 300,
  storeWarmup: 100,
  joins: 3,
};

export const SIZES = quick ? QUICK : FULL;
