/**
 * IT provisioning from CSV: users (id, name, role, password, time_zone, slots) and weekly bookings
 * (mentor_id, student_id, slot_id, session_type). Every row is checked first; one bad row means
 * nothing is written and every problem is reported with its file and line. Users and bookings are
 * upserted by id; a row that matches what is stored is counted unchanged and not written, so
 * re-running the same files changes nothing. New users without a password get a one-time
 * enrolment code, printed once. The formats below are also what `admin --help` prints.
 */
import { randomBytes } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { NewPasswordSchema, SessionTypeSchema, SlotIdSchema, UserIdSchema } from '@contract/api';
import type { BookingRecord, UserRecord } from '../store/records';
import { DEMO_TIME_ZONE } from '../services/demo-data';
import { hashPassword } from '../services/passwords';
import { isValidTimeZone } from '../services/time-zones';
import type { ClassroomStore } from '../store/classroom-store';

/** Where a new user's empty time_zone lands (the demo school's zone). */
export const DEFAULT_IMPORT_TIME_ZONE = DEMO_TIME_ZONE;

/** One column of an import file: what a value must be (error messages and --help), and more help. */
export interface ColumnFormat {
  column: string;
  must: string;
  note?: string;
  /** Values never echoed in an error (passwords). */
  secret?: boolean;
}

export interface CsvFormat {
  file: string;
  columns: readonly ColumnFormat[];
  example: string;
}

export const USERS_FORMAT: CsvFormat = {
  file: 'users.csv',
  columns: [
    { column: 'id', must: 'be 1–64 letters, digits, "_", "." or "-"', note: 'the sign-in id, e.g. L001' },
    { column: 'name', must: 'be 1–200 characters', note: 'the name the other person sees' },
    { column: 'role', must: 'be "mentor" or "student"' },
    { column: 'password', must: 'be empty or 8–256 characters (in double quotes when it begins or ends with a space)', note: 'empty: a new user gets a one-time enrolment code, printed once; an existing user keeps theirs unless --reset-passwords', secret: true },
    { column: 'time_zone', must: 'be empty or an IANA time zone such as Asia/Ho_Chi_Minh', note: `empty: kept, or ${DEFAULT_IMPORT_TIME_ZONE} for a new user` },
    {
      column: 'slots',
      must: 'be a mentor\'s weekly slots separated by ";", such as mon-09-10;wed-14-15, or empty (always for a student)',
      note: 'a slot is <day>-<start hour>-<end hour>: mon-09-10 is Monday 09:00–10:00; days mon…sun, hours 00–24, the end after the start; booked slots are added to the mentor\'s',
    },
  ],
  example: ['id,name,role,password,time_zone,slots', 'M100,Lê Thị Hồng,mentor,s3cret-pass,Asia/Ho_Chi_Minh,mon-09-10;wed-14-15', 'S100,Ngô Bảo Châu,student,,,', 'S101,"Trịnh, Công Sơn",student,student-pw,Europe/Berlin,'].join('\n'),
};

export const BOOKINGS_FORMAT: CsvFormat = {
  file: 'bookings.csv',
  columns: [
    { column: 'mentor_id', must: 'be the id of a mentor (in users.csv or imported before)' },
    { column: 'student_id', must: 'be the id of a student (in users.csv or imported before)' },
    { column: 'slot_id', must: 'be one weekly slot such as mon-09-10' },
    { column: 'session_type', must: 'be 1–100 characters', note: 'e.g. Speaking Practice' },
  ],
  example: ['mentor_id,student_id,slot_id,session_type', 'M100,S100,mon-09-10,Speaking Practice', 'M100,S101,wed-14-15,Grammar Review'].join('\n'),
};

const UserRowSchema = z
  .object({
    id: UserIdSchema,
    name: z.string().trim().min(1).max(200),
    role: z
      .string()
      .transform((role) => role.toLowerCase())
      .pipe(z.enum(['mentor', 'student'])),
    // Held to the app's rule (NewPasswordSchema) below, where it is used: a new user's, or a reset.
    password: z.string().max(256),
    time_zone: z
      .string()
      .trim()
      .refine((zone) => zone === '' || isValidTimeZone(zone)),
    slots: z
      .string()
      .trim()
      .transform((text) => text.split(/[;\s]+/).filter(Boolean))
      .pipe(z.array(SlotIdSchema)),
  })
  .refine((row) => row.role === 'mentor' || row.slots.length === 0, { path: ['slots'] });

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
  /** Rows that match the stored user exactly: nothing written. */
  usersUnchanged: string[];
  bookingsCreated: number;
  bookingsUpdated: number;
  bookingsUnchanged: number;
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

/**
 * The rows of one file, keyed by column. The header must name every column of the format exactly
 * once (in any order); a header problem is reported once, at line 1, and the rows are not read.
 * A row with more or fewer fields than the header is reported, not padded or cut.
 */
function readCsv(text: string, file: string, format: CsvFormat, problems: ImportProblem[]): Row[] {
  // Excel's plain "CSV" is not UTF-8: its accented letters arrive here as U+FFFD, and cannot be recovered.
  const garbled = text.split('\n').findIndex((line) => line.includes('\uFFFD'));
  if (garbled >= 0) {
    problems.push({ file, line: garbled + 1, message: 'this is not UTF-8 text: save the file as "CSV UTF-8" (Excel) or in UTF-8 (other tools)' });
    return [];
  }
  // Excel in languages that write decimals with a comma (Vietnamese among them) separates columns with ";".
  const header = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).find((line) => line.trim() !== '') ?? '';
  const delimiter = header.includes(';') && !header.includes(',') ? ';' : ',';
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    // Trimmed outside quotes only (csv-parse never trims inside them): a password with spaces at its ends is quoted.
    records = parse(text, { bom: true, delimiter, skip_empty_lines: true, trim: true, relax_column_count: true, info: true }) as unknown as typeof records;
  } catch (error) {
    problems.push({ file, line: (error as { lines?: number }).lines ?? 1, message: `not valid CSV (${(error as Error).message})` });
    return [];
  }
  const [headerRecord, ...body] = records;
  if (!headerRecord) {
    problems.push({ file, line: 1, message: 'the file is empty' });
    return [];
  }
  const columns = format.columns.map((c) => c.column);
  const names = headerRecord.record.map((h) => h.toLowerCase());
  const expected = `the header must be ${columns.join(',')} (any order)`;
  const headerProblems = [
    [names.filter((n) => !columns.includes(n)), 'unknown column(s)'],
    [columns.filter((c) => !names.includes(c)), 'missing column(s)'],
    [names.filter((n, i) => names.indexOf(n) !== i), 'column(s) named twice'],
  ] as const;
  let headerOk = true;
  for (const [found, what] of headerProblems) {
    if (found.length === 0) continue;
    headerOk = false;
    problems.push({ file, line: headerRecord.info.lines, message: `${what}: ${found.map((n) => n || '(empty)').join(', ')}; ${expected}` });
  }
  if (!headerOk) return [];
  const rows: Row[] = [];
  for (const { record, info } of body) {
    if (record.length !== names.length) {
      problems.push({ file, line: info.lines, message: `${record.length} fields where the header has ${names.length} (put a value containing "${delimiter}" in double quotes)` });
      continue;
    }
    rows.push({ line: info.lines, values: Object.fromEntries(names.map((name, i) => [name, record[i]!])) });
  }
  return rows;
}

/** One sentence per bad column, from the format: what the value must be, and what it was. */
function issueText(error: z.ZodError, format: CsvFormat, values: Record<string, string>): string {
  const columns = [...new Set(error.issues.map((issue) => String(issue.path[0] ?? '')))];
  return columns
    .map((column) => {
      const spec = format.columns.find((c) => c.column === column);
      if (!spec) return 'the row is not valid';
      const value = values[column] ?? '';
      const shown = spec.secret ? '' : ` (got "${value.length > 40 ? `${value.slice(0, 40)}…` : value}")`;
      return `${column} must ${spec.must}${shown}`;
    })
    .join('; ');
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));
const sameUser = (a: UserRecord, b: UserRecord) =>
  a.name === b.name &&
  a.role === b.role &&
  a.password_hash === b.password_hash &&
  !!a.enrolment_pending === !!b.enrolment_pending &&
  a.time_zone === b.time_zone &&
  sameSet(a.slot_ids, b.slot_ids);

/** Checks both files completely and writes nothing unless every row is good. */
export async function importDirectory(
  store: ClassroomStore,
  files: { users: { name: string; text: string }; bookings?: { name: string; text: string } },
  options: { nowIso: string; resetPasswords?: boolean },
): Promise<ImportReport> {
  const problems: ImportProblem[] = [];
  const userRows = readCsv(files.users.text, files.users.name, USERS_FORMAT, problems);
  const bookingRows = files.bookings ? readCsv(files.bookings.text, files.bookings.name, BOOKINGS_FORMAT, problems) : [];

  const users = new Map<string, z.infer<typeof UserRowSchema> & { line: number }>();
  for (const row of userRows) {
    const parsed = UserRowSchema.safeParse(row.values);
    if (!parsed.success) {
      problems.push({ file: files.users.name, line: row.line, message: issueText(parsed.error, USERS_FORMAT, row.values) });
      continue;
    }
    const earlier = users.get(parsed.data.id);
    if (earlier) problems.push({ file: files.users.name, line: row.line, message: `user ${parsed.data.id} already appears on line ${earlier.line}` });
    else users.set(parsed.data.id, { ...parsed.data, line: row.line });
  }

  const roleOf = async (id: string) => users.get(id)?.role ?? (await store.getUser(id))?.role;
  const storedBookings = new Map<string, Promise<BookingRecord[]>>();
  const storedBookingsOf = (mentorId: string) => {
    if (!storedBookings.has(mentorId)) storedBookings.set(mentorId, store.listBookingsForMentor(mentorId));
    return storedBookings.get(mentorId)!;
  };
  const bookings: Array<z.infer<typeof BookingRowSchema>> = [];
  const seenSlots = new Map<string, number>();
  for (const row of bookingRows) {
    const parsed = BookingRowSchema.safeParse(row.values);
    const file = files.bookings!.name;
    if (!parsed.success) {
      problems.push({ file, line: row.line, message: issueText(parsed.error, BOOKINGS_FORMAT, row.values) });
      continue;
    }
    const booking = parsed.data;
    if ((await roleOf(booking.mentor_id)) !== 'mentor') problems.push({ file, line: row.line, message: `mentor_id ${booking.mentor_id} is not a mentor (in users.csv or the store)` });
    if ((await roleOf(booking.student_id)) !== 'student') problems.push({ file, line: row.line, message: `student_id ${booking.student_id} is not a student (in users.csv or the store)` });
    const slotKey = `${booking.mentor_id} ${booking.slot_id}`;
    const earlier = seenSlots.get(slotKey);
    if (earlier) problems.push({ file, line: row.line, message: `${booking.mentor_id} is already booked at ${booking.slot_id} on line ${earlier}` });
    else seenSlots.set(slotKey, row.line);
    // A mentor's slot is one 1:1 session: a booking imported before with another student holds it.
    const holder = (await storedBookingsOf(booking.mentor_id)).find((b) => b.slot_id === booking.slot_id && b.student_id !== booking.student_id);
    if (holder) problems.push({ file, line: row.line, message: `${booking.mentor_id} is already booked at ${booking.slot_id} with ${holder.student_id} (imported before)` });
    bookings.push(booking);
  }
  const passwordRule = USERS_FORMAT.columns.find((c) => c.column === 'password')!.must;
  for (const row of users.values()) {
    const existing = await store.getUser(row.id);
    // A password is held to the app's rule where it is used: a new user's, or a reset (otherwise an existing user keeps theirs).
    const passwordUsed = row.password !== '' && (!existing || options.resetPasswords === true);
    if (passwordUsed && !NewPasswordSchema.safeParse(row.password).success) problems.push({ file: files.users.name, line: row.line, message: `password must ${passwordRule}` });
    // A role is what the bookings were made for: it does not change under them.
    if (!existing || existing.role === row.role) continue;
    const booked = existing.role === 'mentor' ? await storedBookingsOf(row.id) : await store.listBookingsForStudent(row.id);
    if (booked.length > 0) problems.push({ file: files.users.name, line: row.line, message: `${row.id} is a ${existing.role} with ${booked.length} booking(s): the role cannot change while they have any` });
  }
  if (problems.length > 0) throw new ImportRejected(problems);

  const report: ImportReport = { usersCreated: [], usersUpdated: [], usersUnchanged: [], bookingsCreated: 0, bookingsUpdated: 0, bookingsUnchanged: 0, enrolmentCodes: [] };
  // Hash in parallel (scrypt runs on libuv's thread pool): thousands of students import in minutes, not tens.
  const userRecords: UserRecord[] = await Promise.all(
    [...users.values()].map(async (row) => {
      const existing = await store.getUser(row.id);
      let passwordHash = existing?.password_hash;
      // An enrolment code can only be spent on choosing a password (AuthService): marked in the
      // same write that stores its hash, and kept through later imports until it is spent.
      let enrolmentPending = existing?.enrolment_pending === true;
      if (!existing || (options.resetPasswords && row.password)) {
        let password = row.password;
        enrolmentPending = !password;
        if (!password) {
          password = randomBytes(6).toString('base64url');
          report.enrolmentCodes.push({ userId: row.id, code: password });
        }
        passwordHash = await hashPassword(password);
      }
      // Booked slots stay the mentor's: those in this run's bookings file and those imported before.
      const booked = row.role === 'mentor' ? [...bookings.filter((b) => b.mentor_id === row.id), ...(await storedBookingsOf(row.id))].map((b) => b.slot_id) : [];
      const record: UserRecord = {
        id: row.id,
        name: row.name,
        role: row.role,
        password_hash: passwordHash!,
        time_zone: row.time_zone || existing?.time_zone || DEFAULT_IMPORT_TIME_ZONE,
        slot_ids: row.role === 'mentor' ? [...new Set([...row.slots, ...booked])] : [],
        created_at: existing?.created_at ?? options.nowIso,
        ...(enrolmentPending ? { enrolment_pending: true } : {}),
      };
      if (!existing) report.usersCreated.push(row.id);
      else if (sameUser(existing, record)) report.usersUnchanged.push(row.id);
      else report.usersUpdated.push(row.id);
      return record;
    }),
  );
  // Reports list ids in file order, whatever order the hashes finished in.
  const order = new Map([...users.keys()].map((id, index) => [id, index]));
  const byFileOrder = (a: string, b: string) => order.get(a)! - order.get(b)!;
  report.usersCreated.sort(byFileOrder);
  report.usersUpdated.sort(byFileOrder);
  report.usersUnchanged.sort(byFileOrder);
  report.enrolmentCodes.sort((a, b) => byFileOrder(a.userId, b.userId));
  const bookingRecords: BookingRecord[] = [];
  for (const booking of bookings) {
    const existing = await store.findBooking(booking.mentor_id, booking.student_id, booking.slot_id);
    if (existing?.session_type === booking.session_type) {
      report.bookingsUnchanged++;
      continue;
    }
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
  const unchanged = new Set(report.usersUnchanged);
  await store.importDirectory(
    userRecords.filter((user) => !unchanged.has(user.id)),
    bookingRecords,
  );
  return report;
}
