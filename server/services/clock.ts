/** Milliseconds since the epoch; injected so tests can move time (expiry, token renewal). */
export type Clock = () => number;
export const systemClock: Clock = () => Date.now();
export const isoAt = (ms: number) => new Date(ms).toISOString();
