/**
 * A school for the bench, written through the store's own interface before the server starts:
 * mentors, students, one booking per rung student, and an access token per student app — as if
 * each app had signed in once and kept its token (the desktop app reconnects with its stored
 * token, it does not sign in again). One scrypt hash is shared by every account: hashing 20,000
 * passwords would take minutes and measure nothing the bench is about.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AccessTokenRecord, BookingRecord, UserRecord } from '../server/store/records';
import type { ClassroomStore } from '../server/store/classroom-store';
import { hashPassword } from '../server/services/passwords';

export const BENCH_PASSWORD = 'bench-password';
export const MENTORS = 50;
const SLOTS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].flatMap((d) =>
  [8, 9, 10, 11, 14, 15, 16].map((h) => `${d}-${String(h).padStart(2, '0')}-${String(h + 1).padStart(2, '0')}`),
);

export interface Booked {
  mentor: string;
  student: string;
  slot: string;
}

export interface School {
  /** Student id → the access token its app holds. */
  apps: Array<{ id: string; token: string }>;
  /** Bookings of the first `booked` students, spread over the mentors (a slot of their own each). */
  booked: Booked[];
  mentors: string[];
}

export const studentId = (i: number) => `B${i}`;

export async function provisionSchool(store: ClassroomStore, students: number, booked: number): Promise<School> {
  const at = new Date().toISOString();
  const expires = new Date(Date.now() + 11 * 3_600_000).toISOString();
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const mentors = Array.from({ length: MENTORS }, (_, m) => `M${m}`);
  const users: UserRecord[] = mentors.map((id) => ({ id, name: `Mentor ${id}`, role: 'mentor', password_hash: passwordHash, time_zone: 'UTC', slot_ids: [], created_at: at }));
  for (let s = 0; s < students; s++) users.push({ id: studentId(s), name: `Student ${s}`, role: 'student', password_hash: passwordHash, time_zone: 'UTC', slot_ids: [], created_at: at });
  const bookings: BookingRecord[] = [];
  const bookedList: Booked[] = [];
  for (let i = 0; i < Math.min(booked, students); i++) {
    const b = { mentor: mentors[i % MENTORS]!, student: studentId(i), slot: SLOTS[Math.floor(i / MENTORS) % SLOTS.length]! };
    bookedList.push(b);
    bookings.push({ id: `booking_${i}`, mentor_id: b.mentor, student_id: b.student, slot_id: b.slot, session_type: 'Bench', created_at: at });
  }
  await store.importDirectory(users, bookings);
  const apps = Array.from({ length: students }, (_, s) => ({ id: studentId(s), token: `cls_${randomBytes(32).toString('base64url')}` }));
  // Concurrent saves: the JSON store coalesces them into a few journal appends, Redis pipelines them.
  for (let i = 0; i < apps.length; i += 2000) {
    await Promise.all(
      apps.slice(i, i + 2000).map((app) => {
        const record: AccessTokenRecord = {
          id: `at_${randomBytes(9).toString('base64url')}`,
          token_hash: createHash('sha256').update(app.token).digest('hex'),
          user_id: app.id,
          created_at: at,
          expires_at: expires,
        };
        return store.saveAccessToken(record);
      }),
    );
  }
  return { apps, booked: bookedList, mentors };
}
