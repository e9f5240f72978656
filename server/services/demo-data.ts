/**
 * Demo accounts and bookings (docs/interface.md §4), seeded into an empty store when CLASSROOM_DEMO=1.
 */
import type { BookingRecord, UserRecord } from '../store/records';
import { hashPassword } from './passwords';

export const DEMO_PASSWORD = 'demo';
export const DEMO_TIME_ZONE = 'Asia/Ho_Chi_Minh';

const MENTOR = { id: 'mentor_001', name: 'Nguyễn Văn Minh', slots: ['mon-09-10', 'mon-10-11', 'tue-14-15', 'wed-09-10', 'thu-16-17', 'fri-09-10'] };
const STUDENTS = [
  { id: 'L001', name: 'Trần Thị Lan' },
  { id: 'L002', name: 'Lê Hoàng Nam' },
  { id: 'L003', name: 'Phạm Thu Hà' },
  { id: 'L004', name: 'Võ Minh Khoa' },
  { id: 'L005', name: 'Đặng Ngọc Anh' },
];
const BOOKINGS = [
  { studentId: 'L001', slotId: 'mon-09-10', sessionType: 'Speaking Practice' },
  { studentId: 'L002', slotId: 'tue-14-15', sessionType: 'Pronunciation Coaching' },
  { studentId: 'L003', slotId: 'thu-16-17', sessionType: 'IELTS Writing Feedback' },
];

export async function buildDemoData(nowIso: string): Promise<{ users: UserRecord[]; bookings: BookingRecord[] }> {
  const user = async (id: string, name: string, role: UserRecord['role'], slotIds: string[] = []): Promise<UserRecord> => ({
    id,
    name,
    role,
    password_hash: await hashPassword(DEMO_PASSWORD),
    time_zone: DEMO_TIME_ZONE,
    slot_ids: slotIds,
    created_at: nowIso,
  });
  const users = await Promise.all([
    user(MENTOR.id, MENTOR.name, 'mentor', MENTOR.slots),
    ...STUDENTS.map((s) => user(s.id, s.name, 'student')),
  ]);
  const bookings = BOOKINGS.map((b) => ({
    id: `booking_${MENTOR.id}_${b.studentId}_${b.slotId}`,
    mentor_id: MENTOR.id,
    student_id: b.studentId,
    slot_id: b.slotId,
    session_type: b.sessionType,
    created_at: nowIso,
  }));
  return { users, bookings };
}

export const DEMO_ACCOUNTS_LINE = `Demo accounts (password "${DEMO_PASSWORD}"): mentor ${MENTOR.id}; students ${STUDENTS.map((s) => s.id).join(', ')}.`;
