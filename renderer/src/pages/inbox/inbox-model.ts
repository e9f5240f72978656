/**
 * The student's inbox as a reducer: one entry per sessionId however often the server delivers it
 * (at-least-once on the wire, exactly-once on screen); entries vanish when their session ends.
 */
import type { SessionNotification } from '@contract/api';

export interface InboxState {
  entries: SessionNotification[];
  /** Every sessionId ever announced with an OS notification, so a re-delivery does not ring twice. */
  announced: ReadonlySet<string>;
}

export type InboxAction =
  | { type: 'loaded'; sessions: SessionNotification[] }
  | { type: 'notified'; notification: SessionNotification }
  | { type: 'announced'; sessionId: string }
  | { type: 'ended'; sessionId: string };

export const emptyInbox: InboxState = { entries: [], announced: new Set() };

function upsert(entries: SessionNotification[], notification: SessionNotification): SessionNotification[] {
  const index = entries.findIndex((e) => e.sessionId === notification.sessionId);
  if (index === -1) return [...entries, notification];
  const copy = [...entries];
  copy[index] = notification; // a re-delivery may carry a renewed token
  return copy;
}

export function inboxReducer(state: InboxState, action: InboxAction): InboxState {
  switch (action.type) {
    case 'loaded':
      return { ...state, entries: action.sessions.reduce(upsert, [] as SessionNotification[]) };
    case 'notified':
      return { ...state, entries: upsert(state.entries, action.notification) };
    case 'announced':
      return { ...state, announced: new Set([...state.announced, action.sessionId]) };
    case 'ended':
      return { ...state, entries: state.entries.filter((e) => e.sessionId !== action.sessionId) };
  }
}

/** True when this delivery should ring (first time this sessionId is seen). */
export const shouldAnnounce = (state: InboxState, sessionId: string) => !state.announced.has(sessionId);
