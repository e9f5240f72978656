/**
 * IT provisioning from CSV: users (id, name, role, password, time_zone, slots) and weekly bookings
 * (mentor_id, student_id, slot_id, session_type). Every row is checked first; one bad row means
 * nothing is written and every problem is reported with its file and line. Re-running the same
 * files changes nothing new (users and bookings are upserted by id). New users without a password
 * get a one-time enrolment code, printed once.
 */
import { randomBytes } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { SessionTypeSchema, SlotIdSchema, UserIdSchema } from '@contract/api';
import type { BookingRecord, UserRecord } from '@contract/domain';
import { hashPassword } from '../services/passwords';
import { isValidTimeZone } from '../services/time-zones';
import type { ClassroomStore } from '../store/classroom-store';

export const USER_COLUMNS = ['id', 'name', 'role', 'password', 'time_zone', 'slots'] as const;
export const BOOKING_COLUMNS = ['mentor_id', 'student_id', 'slot_id', 'session_type'] as const;

const UserRowSchema = z.object({
  id: UserIdSchema,
  name: z.string().trim().min(1, 'name is required').max(200),
  role: z.enum(['mentor', 'student'], { error: 'role must be "mentor" or "student"' }),
  password: z.string().max(256).optional().default(''),
  time_zone: z
    .string()
    .trim()
    .optional()
    .default('')
    .refine((zone) => zone === '' || isValidTimeZone(zone), 'time_zone must be an IANA zone such as Asia/Ho_Chi_Minh'),
  slots: z
    .string()
    .trim()
    .optional()
    .default('')
    .transform((text) => text.split(/[;\s]+/).filter(Boolean))
    .pipe(z.array(SlotIdSchema, { error: 'slots must be slot ids such as mon-09-10 separated by ";"' })),
});

const BookingRowSchema = z.object({
  mentor_id: UserIdSchema,
  student_id: UserIdSchema,
  slot_id: SlotIdSchema,
  session_type: SessionTypeSchema,
});

export interface ImportProblem {
  file: string;
  line: number;
  message: string;
}

export interface ImportReport {
  usersCreated: string[];
  usersUpdated: string[];
  bookingsCreated: number;
  bookingsUpdated: number;
  /** New users without a password: their one-time enrolment codes (shown once, stored hashed). */
  enrolmentCodes: Array<{ userId: string; code: string }>;
}

export class ImportRejected extends Error {
  override name = 'ImportRejected';
  constructor(readonly problems: ImportProblem[]) {
    super(problems.map((p) => `${p.file} line ${p.line}: ${p.message}`).join('\n'));
  }
}

interface Row {
  line: number;
  values: Record<string, string>;
}

function readCsv(text: string, file: string, columns: readonly string[], problems: ImportProblem[]): Row[] {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as string[][];
  } catch (error) {
    problems.push({ file, line: (error as { lines?: number }).lines ?? 1, message: `not valid CSV (${(error as Error).message})` });
    return [];
  }
  const [header, ...body] = records;
  if (!header) {
    problems.push({ file, line: 1, message: 'the file is empty' });
    return [];
  }
  const names = header.map((h) => h.toLowerCase());
  const unknown = names.filter((n) => !columns.includes(n));
  if (unknown.length > 0) problems.push({ file, line: 1, message: `unknown column(s): ${unknown.join(', ')} (expected ${columns.join(', ')})` });
  return body.map((cells, index) => ({
    line: index + 2,
    values: Object.fromEntries(names.map((name, i) => [name, cells[i] ?? ''])),
  }));
}

function issueText(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.message.includes(String(issue.path[0])) ? issue.message : `${String(issue.path[0] ?? 'row')}: ${issue.message}`)).join('; ');
}

/** Checks both files completely and writes nothing unless every row is good. */
export async function importDirectory(
  store: ClassroomStore,
  files: { users: { name: string; text: string }; bookings?: { name: string; text: string } },
  options: { nowIso: string; defaultTimeZone: string; resetPasswords?: boolean },
): Promise<ImportReport> {
  const problems: ImportProblem[] = [];
  const userRows = readCsv(files.users.text, files.users.name, USER_COLUMNS, problems);
  const bookingRows = files.bookings ? readCsv(files.bookings.text, files.bookings.name, BOOKING_COLUMNS, problems) : [];

  const users = new Map<string, z.infer<typeof UserRowSchema> & { line: number }>();
  for (const row of userRows) {
    const parsed = UserRowSchema.safeParse(row.values);
    if (!parsed.success) {
      problems.push({ file: files.users.name, line: row.line, message: issueText(parsed.error) });
      continue;
    }
    const earlier = users.get(parsed.data.id);
    if (earlier) problems.push({ file: files.users.name, line: row.line, message: `user ${parsed.data.id} already appears on line ${earlier.line}` });
    else users.set(parsed.data.id, { ...parsed.data, line: row.line });
  }

  const roleOf = async (id: string) => users.get(id)?.role ?? (await store.getUser(id))?.role;
  const bookings: Array<z.infer<typeof BookingRowSchema>> = [];
  const seenSlots = new Map<string, number>();
  for (const row of bookingRows) {
    const parsed = BookingRowSchema.safeParse(row.values);
    const file = files.bookings!.name;
    if (!parsed.success) {
      problems.push({ file, line: row.line, message: issueText(parsed.error) });
      continue;
    }
    const booking = parsed.data;
    if ((await roleOf(booking.mentor_id)) !== 'mentor') problems.push({ file, line: row.line, message: `mentor_id ${booking.mentor_id} is not a mentor (in users.csv or the store)` });
    if ((await roleOf(booking.student_id)) !== 'student') problems.push({ file, line: row.line, message: `student_id ${booking.student_id} is not a student (in users.csv or the store)` });
    const slotKey = `${booking.mentor_id} ${booking.slot_id}`;
    const earlier = seenSlots.get(slotKey);
    if (earlier) problems.push({ file, line: row.line, message: `${booking.mentor_id} is already booked at ${booking.slot_id} on line ${earlier}` });
    else seenSlots.set(slotKey, row.line);
    bookings.push(booking);
  }
  if (problems.length > 0) throw new ImportRejected(problems);

  const report: ImportReport = { usersCreated: [], usersUpdated: [], bookingsCreated: 0, bookingsUpdated: 0, enrolmentCodes: [] };
  // Hash in parallel (scrypt runs on libuv's thread pool): thousands of students import in minutes, not tens.
  const userRecords: UserRecord[] = await Promise.all(
    [...users.values()].map(async (row) => {
      const existing = await store.getUser(row.id);
      let passwordHash = existing?.password_hash;
      if (!existing || (options.resetPasswords && row.password)) {
        let password = row.password;
        if (!password) {
          password = randomBytes(6).toString('base64url');
          report.enrolmentCodes.push({ userId: row.id, code: password });
        }
        passwordHash = await hashPassword(password);
      }
      (existing ? report.usersUpdated : report.usersCreated).push(row.id);
      return {
        id: row.id,
        name: row.name,
        role: row.role,
        password_hash: passwordHash!,
        time_zone: row.time_zone || existing?.time_zone || options.defaultTimeZone,
        slot_ids: row.role === 'mentor' ? [...new Set([...row.slots, ...bookings.filter((b) => b.mentor_id === row.id).map((b) => b.slot_id)])] : [],
        created_at: existing?.created_at ?? options.nowIso,
      };
    }),
  );
  // Reports list ids in file order, whatever order the hashes finished in.
  const order = new Map([...users.keys()].map((id, index) => [id, index]));
  const byFileOrder = (a: string, b: string) => order.get(a)! - order.get(b)!;
  report.usersCreated.sort(byFileOrder);
  report.usersUpdated.sort(byFileOrder);
  report.enrolmentCodes.sort((a, b) => byFileOrder(a.userId, b.userId));
  const bookingRecords: BookingRecord[] = [];
  for (const booking of bookings) {
    const existing = await store.findBooking(booking.mentor_id, booking.student_id, booking.slot_id);
    if (existing) report.bookingsUpdated++;
    else report.bookingsCreated++;
    bookingRecords.push({
      id: existing?.id ?? `booking_${booking.mentor_id}_${booking.student_id}_${booking.slot_id}`,
      mentor_id: booking.mentor_id,
      student_id: booking.student_id,
      slot_id: booking.slot_id,
      session_type: booking.session_type,
      created_at: existing?.created_at ?? options.nowIso,
    });
  }
  await store.importDirectory(userRecords, bookingRecords);
  return report;
}
