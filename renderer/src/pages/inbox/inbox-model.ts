/**
 * The student's inbox as a reducer: one entry per sessionId however often the server delivers it
 * (at-least-once on the wire, exactly-once on screen); its ring follows the server's `ring_state`;
 * entries vanish when their session ends.
 */
import type { RingStatus, SessionNotification } from '@contract/api';

export interface InboxState {
  entries: SessionNotification[];
  /** Every ring (session + attempt) already announced with an OS notification: a re-delivery does not ring twice. */
  announced: ReadonlySet<string>;
}

export type InboxAction =
  | { type: 'loaded'; sessions: SessionNotification[] }
  | { type: 'notified'; notification: SessionNotification }
  | { type: 'ring'; sessionId: string; ring: RingStatus }
  | { type: 'announced'; sessionId: string; attempt: number }
  | { type: 'ended'; sessionId: string };

export const emptyInbox: InboxState = { entries: [], announced: new Set() };

const ringKey = (sessionId: string, attempt: number) => `${sessionId}#${attempt}`;

/** A newer ring attempt wins; within an attempt, an answer is never undone by a late delivery. */
function newerRing(current: RingStatus, incoming: RingStatus): RingStatus {
  if (incoming.attempt !== current.attempt) return incoming.attempt > current.attempt ? incoming : current;
  const answered = (ring: RingStatus) => ring.state === 'declined' || ring.state === 'joined';
  return answered(current) && !answered(incoming) ? current : incoming;
}

function upsert(entries: SessionNotification[], notification: SessionNotification): SessionNotification[] {
  const index = entries.findIndex((e) => e.sessionId === notification.sessionId);
  if (index === -1) return [...entries, notification];
  const copy = [...entries];
  // A re-delivery may carry a renewed token; the ring keeps its newest answer.
  copy[index] = { ...notification, ring: newerRing(entries[index]!.ring, notification.ring) };
  return copy;
}

export function inboxReducer(state: InboxState, action: InboxAction): InboxState {
  switch (action.type) {
    case 'loaded':
      return { ...state, entries: action.sessions.reduce(upsert, [] as SessionNotification[]) };
    case 'notified':
      return { ...state, entries: upsert(state.entries, action.notification) };
    case 'ring':
      return {
        ...state,
        entries: state.entries.map((e) => (e.sessionId === action.sessionId ? { ...e, ring: newerRing(e.ring, action.ring) } : e)),
      };
    case 'announced':
      return { ...state, announced: new Set([...state.announced, ringKey(action.sessionId, action.attempt)]) };
    case 'ended':
      return { ...state, entries: state.entries.filter((e) => e.sessionId !== action.sessionId) };
  }
}

/** True when this delivery should ring (the first time this session's ring attempt is seen). */
export const shouldAnnounce = (state: InboxState, sessionId: string, attempt: number) => !state.announced.has(ringKey(sessionId, attempt));

export { ringStateAt } from '../../components/ring-state';
