import type { RingStatus } from '@contract/api';

/** The ring's state now: a ring past its time is missed even before the server's word arrives. */
export function ringStateAt(ring: RingStatus, nowMs: number): RingStatus['state'] {
  if (ring.state === 'ringing' && ring.ringsUntil && Date.parse(ring.ringsUntil) <= nowMs) return 'missed';
  return ring.state;
}
