/**
 * How far a live session's ring got, derived from its outbox row and the session: the one place
 * the ring's states are decided (server replies, socket events and the mentor's week all use it).
 * "Missed" is never stored: it is a delivered ring whose time ran out unanswered.
 */
import type { RingStatus } from '@contract/api';
import type { NotificationRecord, SessionRecord } from '../store/records';
import { isoAt } from './clock';

/** How long a delivered ring rings before it counts as missed, unless CLASSROOM_RING_SECONDS says otherwise (a booked session rings longer than a Teams call's minute). */
export const DEFAULT_RING_TIMEOUT_MS = 3 * 60 * 1000;

export interface RingView {
  nowMs: number;
  timeoutMs: number;
  /** Seen by an app that is receiving the ring right now: an undelivered ring counts as delivered now. */
  deliveringNow?: boolean;
}

export function ringStatusOf(row: NotificationRecord | undefined, session: SessionRecord, view: RingView): RingStatus {
  if (!row) {
    // No outbox row (a session of an older store): all that is known is whether the student came.
    const joined = session.student_joined_at !== null;
    return { state: joined ? 'joined' : 'offline', attempt: 1, startedAt: session.created_at, ringsUntil: null, declineReason: null, answeredAt: session.student_joined_at };
  }
  const base = { attempt: row.ring_attempt ?? 1, startedAt: row.created_at, declineReason: null, answeredAt: row.answered_at ?? null };
  if (row.answer === 'joined') return { ...base, state: 'joined', ringsUntil: null };
  if (row.answer === 'declined') return { ...base, state: 'declined', ringsUntil: null, declineReason: row.decline_reason ?? null };
  const deliveredMs = row.delivered_at !== null ? Date.parse(row.delivered_at) : view.deliveringNow ? view.nowMs : null;
  if (deliveredMs === null) return { ...base, state: 'offline', ringsUntil: null };
  const untilMs = deliveredMs + view.timeoutMs;
  if (view.nowMs >= untilMs) return { ...base, state: 'missed', ringsUntil: null };
  return { ...base, state: 'ringing', ringsUntil: isoAt(untilMs) };
}
