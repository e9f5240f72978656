/** Milliseconds since the epoch; injected so tests can move time (expiry, token renewal). */
export type Clock = () => number;
export const systemClock: Clock = () => Date.now();
export const isoAt = (ms: number) => new Date(ms).toISOString();

/** Runs a callback when the clock reaches a moment; returns the cancel function. Injected beside the clock. */
export type ScheduleAt = (atMs: number, callback: () => void) => () => void;

/** setTimeout's longest delay (about 24.8 days); longer waits are chained. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export const systemScheduleAt: ScheduleAt = (atMs, callback) => {
  let timer: NodeJS.Timeout;
  const arm = () => {
    const wait = atMs - Date.now();
    timer = setTimeout(wait > MAX_TIMEOUT_MS ? arm : callback, Math.min(Math.max(0, wait), MAX_TIMEOUT_MS));
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
};
