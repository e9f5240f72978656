/** Session rows for store tests and the store benchmark (no test-runner imports here). */
import type { NotificationRecord, SessionRecord, SessionTokenRecord } from '../../server/store/records';
import type { NewSession } from '../../server/store/classroom-store';

const HOUR = 3_600_000;

export function newSession(index: number, nowMs: number, overrides: Partial<SessionRecord> = {}): NewSession & { tokens: SessionTokenRecord[] } {
  const session: SessionRecord = {
    id: `session_${index}`,
    room_id: `room_${index}`,
    mentor_id: 'mentor_001',
    student_id: `S${index}`,
    slot_id: 'mon-09-10',
    session_type: 'Speaking Practice',
    status: 'created',
    created_at: new Date(nowMs).toISOString(),
    started_at: null,
    ended_at: null,
    expires_at: new Date(nowMs + HOUR).toISOString(),
    end_reason: null,
    mentor_joined_at: null,
    student_joined_at: null,
    ...overrides,
  };
  const token = (userId: string, role: 'mentor' | 'student'): SessionTokenRecord => ({
    id: `stok_${session.id}_${userId}`,
    session_id: session.id,
    user_id: userId,
    user_role: role,
    token: `token-${session.id}-${userId}`,
    expires_at: session.expires_at,
  });
  const notification: NotificationRecord = { session_id: session.id, student_id: session.student_id, created_at: session.created_at, last_sent_at: null, send_count: 0, delivered_at: null };
  return { session, tokens: [token(session.mentor_id, 'mentor'), token(session.student_id, 'student')], notification };
}

