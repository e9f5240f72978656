/**
 * The mentor's past sessions, a page at a time from the store's archive: date, student, type,
 * duration and how far the ring got.
 */
import { PAST_SESSIONS_PAGE_DEFAULT, type PastSession, type PastSessionsData, type PastSessionsQuery, type RingOutcome } from '@contract/api';
import type { ArchivedSessionRecord } from '../store/records';
import type { ClassroomStore } from '../store/classroom-store';
import type { Identity } from './auth.service';
import { forbidden } from './errors';

/** The one place a past session's ring outcome is derived: joined at any point, else the last ring's answer, else how far it got. */
export function ringOutcomeOf(session: ArchivedSessionRecord): RingOutcome {
  if (session.student_joined_at !== null) return 'joined';
  if (session.ring_answer === 'declined') return 'declined';
  return session.ring_delivered_at !== null ? 'missed' : 'not_delivered';
}

export class PastSessionsService {
  constructor(private readonly store: ClassroomStore) {}

  async forMentor(identity: Identity, query: PastSessionsQuery): Promise<PastSessionsData> {
    if (identity.user.role !== 'mentor') throw forbidden('Only a mentor has past sessions to list.');
    const page = await this.store.listPastSessionsForMentor(identity.user.id, query.limit ?? PAST_SESSIONS_PAGE_DEFAULT, query.cursor);
    const names = new Map<string, string>();
    for (const id of new Set(page.sessions.map((s) => s.student_id))) names.set(id, (await this.store.getUser(id))?.name ?? id);
    return { sessions: page.sessions.map((s) => toPastSession(s, names.get(s.student_id)!)), nextCursor: page.cursor };
  }
}

function toPastSession(session: ArchivedSessionRecord, studentName: string): PastSession {
  const endedAt = session.ended_at ?? session.expires_at;
  return {
    sessionId: session.id,
    studentId: session.student_id,
    studentName,
    sessionType: session.session_type,
    slotId: session.slot_id,
    startedAt: session.created_at,
    endedAt,
    durationSeconds: Math.max(0, Math.round((Date.parse(endedAt) - Date.parse(session.created_at)) / 1000)),
    endReason: session.end_reason ?? 'expired',
    ringOutcome: ringOutcomeOf(session),
    declineReason: session.student_joined_at === null && session.ring_answer === 'declined' ? (session.ring_decline_reason ?? null) : null,
  };
}
