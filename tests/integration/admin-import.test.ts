/**
 * IT provisioning from CSV against a real data folder: all or nothing with line-numbered errors,
 * idempotent re-runs, and accounts that really sign in afterwards.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { BOOKINGS_FORMAT, importDirectory, ImportRejected, USERS_FORMAT } from '../../server/admin/directory-import';
import { verifyPassword } from '../../server/services/passwords';
import { JsonClassroomStore, readDurableState } from '../../server/store/json/json-store';
import { call, login } from '../helpers/api-client';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';
import { makeTempDir, startTestServer } from '../helpers/test-server';

const ROOT = path.resolve(__dirname, '../..');
const run = promisify(execFile);

const USERS = `id,name,role,password,time_zone,slots
M100,Lê Thị Hồng,mentor,s3cret-pass,Asia/Ho_Chi_Minh,mon-08-09;wed-08-09
S100,Ngô Bảo Châu,student,,,
S101,"Trịnh, Công Sơn",student,student-pw,,
`;
const BOOKINGS = `mentor_id,student_id,slot_id,session_type
M100,S100,mon-08-09,Speaking Practice
M100,S101,wed-08-09,Grammar Review
`;

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function folder() {
  const dir = await makeTempDir('classroom-admin-');
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const options = { nowIso: '2026-11-25T00:00:00.000Z' };

describe('admin import', () => {
  it('creates users and bookings that sign in and schedule; a re-run counts every row unchanged', async () => {
    const dataDir = await folder();
    const store = await JsonClassroomStore.open(dataDir);
    const first = await importDirectory(store, { users: { name: 'users.csv', text: USERS }, bookings: { name: 'bookings.csv', text: BOOKINGS } }, options);
    expect(first).toMatchObject({ usersCreated: ['M100', 'S100', 'S101'], usersUpdated: [], usersUnchanged: [], bookingsCreated: 2, bookingsUpdated: 0, bookingsUnchanged: 0 });
    expect(first.enrolmentCodes.map((c) => c.userId)).toEqual(['S100']);
    // Marked in the same write that stores the code's hash: no caller ever holds a permanent password.
    expect((await store.getUser('S100'))?.enrolment_pending).toBe(true);
    expect((await store.getUser('S101'))?.enrolment_pending).toBeUndefined();
    const before = JSON.stringify(await readDurableState(dataDir));

    const again = await importDirectory(store, { users: { name: 'users.csv', text: USERS }, bookings: { name: 'bookings.csv', text: BOOKINGS } }, options);
    expect(again).toMatchObject({ usersCreated: [], usersUpdated: [], usersUnchanged: ['M100', 'S100', 'S101'], bookingsCreated: 0, bookingsUpdated: 0, bookingsUnchanged: 2, enrolmentCodes: [] });
    expect(JSON.stringify(await readDurableState(dataDir))).toBe(before);

    // One renamed student and one changed session type: only those count as updated.
    const renamed = USERS.replace('S100,Ngô Bảo Châu', 'S100,Ngô B. Châu');
    const retyped = BOOKINGS.replace('wed-08-09,Grammar Review', 'wed-08-09,Pronunciation');
    const third = await importDirectory(store, { users: { name: 'users.csv', text: renamed }, bookings: { name: 'bookings.csv', text: retyped } }, options);
    expect(third).toMatchObject({ usersCreated: [], usersUpdated: ['S100'], usersUnchanged: ['M100', 'S101'], bookingsCreated: 0, bookingsUpdated: 1, bookingsUnchanged: 1 });
    expect((await store.getUser('S100'))?.name).toBe('Ngô B. Châu');
    await store.close();

    const server = await startTestServer({ dataDir, env: { CLASSROOM_DEMO: '0' } });
    cleanup.push(() => server.close());
    const mentor = await login(server.url, 'M100', 's3cret-pass');
    // The enrolment code, through a rename too, only lets S100 choose a password, once.
    const code = first.enrolmentCodes[0]!.code;
    const withCode = await call(server.url, 'POST', '/api/auth/login', { body: { userId: 'S100', password: code } });
    expect([withCode.status, withCode.body.error?.code]).toEqual([403, 'PASSWORD_SETUP_REQUIRED']);
    // Spent three times at once (a double click, a replay): exactly one choice of password wins.
    const spends = await Promise.all(['chosen-by-S100', 'second-try-S100', 'third-try-S100'].map((newPassword) => call(server.url, 'POST', '/api/auth/set-password', { body: { userId: 'S100', enrolmentCode: code, newPassword } })));
    expect(spends.map((spend) => spend.status).sort()).toEqual([200, 401, 401]);
    const winner = ['chosen-by-S100', 'second-try-S100', 'third-try-S100'][spends.findIndex((spend) => spend.status === 200)]!;
    await login(server.url, 'S100', winner);
    expect((await call(server.url, 'GET', '/api/auth/me', { token: spends.find((spend) => spend.status === 200)!.data.accessToken })).status).toBe(200);
    await login(server.url, 'S101', 'student-pw');
    const week = await call(server.url, 'GET', '/api/mentor/schedule', { token: mentor });
    expect(week.data.slots.map((s: any) => [s.slotId, s.booking?.studentName])).toEqual([
      ['mon-08-09', 'Ngô B. Châu'],
      ['wed-08-09', 'Trịnh, Công Sơn'],
    ]);
    expect((await call(server.url, 'POST', '/api/mentor/create-session', { token: mentor, body: { mentorId: 'M100', studentId: 'S100', slotId: 'mon-08-09', sessionType: 'Speaking Practice' } })).status).toBe(200);
  });

  it('rejects the whole import with every bad row and its line, changing nothing', async () => {
    const dataDir = await folder();
    const store = await JsonClassroomStore.open(dataDir);
    await importDirectory(store, { users: { name: 'users.csv', text: USERS } }, options);
    const before = JSON.stringify(await readDurableState(dataDir));
    const badUsers = `${USERS}S102,,student,,,\nS103,Good Name,teacher,,,\nS100,Dup,student,,,\n../etc,Path Trick,student,,,\nS104,Zone,student,,Mars/Olympus,\n`;
    const badBookings = `mentor_id,student_id,slot_id,session_type\nM100,S101,mon-08-09,Ok\nS100,S101,tue-10-11,Wrong mentor\nM100,S999,wed-08-09,Unknown student\nM100,S101,mon-25-26,Bad slot\nM100,S100,mon-08-09,Double booked\n`;
    const error = await importDirectory(store, { users: { name: 'users.csv', text: badUsers }, bookings: { name: 'bookings.csv', text: badBookings } }, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportRejected);
    const lines = (error as ImportRejected).problems.map((p) => `${p.file}:${p.line}`);
    expect(lines).toEqual(['users.csv:5', 'users.csv:6', 'users.csv:7', 'users.csv:8', 'users.csv:9', 'bookings.csv:3', 'bookings.csv:4', 'bookings.csv:5', 'bookings.csv:6']);
    expect((error as ImportRejected).message).toContain('users.csv line 6: role must be "mentor" or "student"');
    expect((error as ImportRejected).message).toContain('users.csv line 7: user S100 already appears on line 3');
    expect(JSON.stringify(await readDurableState(dataDir))).toBe(before);
    await store.close();
  });

  it('refuses unknown columns and broken CSV', async () => {
    const store = await JsonClassroomStore.open(await folder());
    cleanup.push(() => store.close());
    await expect(importDirectory(store, { users: { name: 'u.csv', text: 'id,name,role,password,time_zone,slots,email\nA,B,student,,,,x@y\n' } }, options)).rejects.toThrow(
      /^u\.csv line 1: unknown column\(s\): email; the header must be id,name,role,password,time_zone,slots \(any order\)$/,
    );
    await expect(importDirectory(store, { users: { name: 'u.csv', text: 'id,name,role\n"A,B,student\n' } }, options)).rejects.toThrow(/not valid CSV/);
  });

  /** The problems an import into a fresh folder is rejected with, as the CLI prints them. */
  async function rejection(users: string, bookings?: string): Promise<string[]> {
    const store = await JsonClassroomStore.open(await folder());
    cleanup.push(() => store.close());
    const error = await importDirectory(store, { users: { name: 'users.csv', text: users }, ...(bookings ? { bookings: { name: 'bookings.csv', text: bookings } } : {}) }, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportRejected);
    return (error as ImportRejected).problems.map((p) => `${p.file} line ${p.line}: ${p.message}`);
  }

  it('refuses a missing column once, at the header, not per row', async () => {
    expect(await rejection('id,name,role,password,slots\nS1,A,student,,\nS2,B,student,,\n')).toEqual([
      'users.csv line 1: missing column(s): time_zone; the header must be id,name,role,password,time_zone,slots (any order)',
    ]);
    expect(await rejection('id,name,password,time_zone,slots\nS1,A,,,\nS2,B,,,\n')).toEqual([
      'users.csv line 1: missing column(s): role; the header must be id,name,role,password,time_zone,slots (any order)',
    ]);
    expect(await rejection(USERS, 'mentor_id,student_id,slot_id\nM100,S100,mon-08-09\n')).toEqual([
      'bookings.csv line 1: missing column(s): session_type; the header must be mentor_id,student_id,slot_id,session_type (any order)',
    ]);
    expect(await rejection('id,name,role,password,time_zone,slots,name\n')).toEqual([
      'users.csv line 1: column(s) named twice: name; the header must be id,name,role,password,time_zone,slots (any order)',
    ]);
  });

  it('refuses rows with more or fewer fields than the header, with their lines', async () => {
    const bookings = 'mentor_id,student_id,slot_id,session_type\nM100,S100,mon-08-09,Speaking, Practice\n\nM100,S101,wed-08-09\n';
    expect(await rejection(USERS, bookings)).toEqual([
      'bookings.csv line 2: 5 fields where the header has 4 (put a value containing "," in double quotes)',
      'bookings.csv line 4: 3 fields where the header has 4 (put a value containing "," in double quotes)',
    ]);
  });

  it('explains a bad value by its column, never echoing a password', async () => {
    const users = `id,name,role,password,time_zone,slots\nM1,Mentor,mentor,mentor-pass,,mon-9-10\nS1,Student,student,${'p'.repeat(300)},,\nS2,Student,student,,,mon-09-10\n`;
    expect(await rejection(users, 'mentor_id,student_id,slot_id,session_type\nM1,S1,mon-09-10,\n')).toEqual([
      'users.csv line 2: slots must be a mentor\'s weekly slots separated by ";", such as mon-09-10;wed-14-15, or empty (always for a student) (got "mon-9-10")',
      'users.csv line 3: password must be empty or 8–256 characters (in double quotes when it begins or ends with a space)',
      'users.csv line 4: slots must be a mentor\'s weekly slots separated by ";", such as mon-09-10;wed-14-15, or empty (always for a student) (got "mon-09-10")',
      'bookings.csv line 2: session_type must be 1–100 characters (got "")',
    ]);
  });

  it('keeps what was imported before: booked slots stay the mentor\'s, a booked slot is not given to a second student', async () => {
    const store = await JsonClassroomStore.open(await folder());
    cleanup.push(() => store.close());
    const booked = `id,name,role,password,time_zone,slots\nM200,Mentor,mentor,mentor-pass,,\nS200,One,student,one-pass-1,,\nS201,Two,student,two-pass-2,,\n`;
    await importDirectory(store, { users: { name: 'users.csv', text: booked }, bookings: { name: 'bookings.csv', text: 'mentor_id,student_id,slot_id,session_type\nM200,S200,tue-10-11,Grammar\n' } }, options);
    // The same users file again, alone: nothing changes (the booking still holds tue-10-11).
    expect(await importDirectory(store, { users: { name: 'users.csv', text: booked } }, options)).toMatchObject({ usersUpdated: [], usersUnchanged: ['M200', 'S200', 'S201'] });
    expect((await store.getUser('M200'))?.slot_ids).toEqual(['tue-10-11']);
    const second = importDirectory(store, { users: { name: 'users.csv', text: booked }, bookings: { name: 'bookings.csv', text: 'mentor_id,student_id,slot_id,session_type\nM200,S201,tue-10-11,Grammar\n' } }, options);
    await expect(second).rejects.toMatchObject({ problems: [{ file: 'bookings.csv', line: 2, message: 'M200 is already booked at tue-10-11 with S200 (imported before)' }] });
    expect((await store.listBookingsForMentor('M200')).map((b) => b.student_id)).toEqual(['S200']);
  });

  it('holds the passwords it uses to the app\'s rule (8 characters or more); a quoted one keeps its spaces', async () => {
    const store = await JsonClassroomStore.open(await folder());
    cleanup.push(() => store.close());
    const header = 'id,name,role,password,time_zone,slots\n';
    const rule = 'password must be empty or 8–256 characters (in double quotes when it begins or ends with a space)';
    await expect(importDirectory(store, { users: { name: 'users.csv', text: `${header}S300,Short,student,1,,\n` } }, options)).rejects.toMatchObject({ problems: [{ line: 2, message: rule }] });
    expect(await store.getUser('S300')).toBeUndefined();
    // Hand-written with ", " between values: trimmed outside quotes, kept inside them.
    await importDirectory(store, { users: { name: 'users.csv', text: `${header}S301, Spaced, student, "  secret99  ",,\nS302, "Trịnh, Công Sơn", student, plain-pass-1,,\n` } }, options);
    expect((await store.getUser('S301'))?.name).toBe('Spaced');
    expect(await verifyPassword('  secret99  ', (await store.getUser('S301'))!.password_hash)).toBe(true);
    expect(await verifyPassword('plain-pass-1', (await store.getUser('S302'))!.password_hash)).toBe(true);
    // An existing user's password is not used without --reset-passwords: an old file with a short one still imports as unchanged.
    const old = `${header}S302,"Trịnh, Công Sơn",student,1,,\n`;
    expect(await importDirectory(store, { users: { name: 'users.csv', text: old } }, options)).toMatchObject({ usersUnchanged: ['S302'] });
    await expect(importDirectory(store, { users: { name: 'users.csv', text: old } }, { ...options, resetPasswords: true })).rejects.toMatchObject({ problems: [{ line: 2, message: rule }] });
  });

  it('reads what Excel writes around the world: ";" between columns, "Mentor" capitalised; refuses text that is not UTF-8', async () => {
    const store = await JsonClassroomStore.open(await folder());
    cleanup.push(() => store.close());
    const semicolons = 'id;name;role;password;time_zone;slots\r\nM400;Phan Văn Trị;Mentor;mentor-pass;;"mon-09-10;tue-09-10"\r\nS400;Lý Thu;student;;;\r\n';
    expect(await importDirectory(store, { users: { name: 'users.csv', text: semicolons } }, options)).toMatchObject({ usersCreated: ['M400', 'S400'] });
    expect(await store.getUser('M400')).toMatchObject({ role: 'mentor', name: 'Phan Văn Trị', slot_ids: ['mon-09-10', 'tue-09-10'] });
    // Latin-1 bytes read as UTF-8 (Excel's plain "CSV" of "Trị" and the like).
    const latin1 = Buffer.from('id,name,role,password,time_zone,slots\nS401,Nguy\xeAn,student,,,\n', 'latin1').toString('utf8');
    await expect(importDirectory(store, { users: { name: 'users.csv', text: latin1 } }, options)).rejects.toMatchObject({
      problems: [{ file: 'users.csv', line: 2, message: 'this is not UTF-8 text: save the file as "CSV UTF-8" (Excel) or in UTF-8 (other tools)' }],
    });
    expect(await store.getUser('S401')).toBeUndefined();
  });

  it('does not change the role of someone with bookings', async () => {
    const store = await JsonClassroomStore.open(await folder());
    cleanup.push(() => store.close());
    await importDirectory(store, { users: { name: 'users.csv', text: USERS }, bookings: { name: 'bookings.csv', text: BOOKINGS } }, options);
    const swapped = USERS.replace('M100,Lê Thị Hồng,mentor,s3cret-pass,Asia/Ho_Chi_Minh,mon-08-09;wed-08-09', 'M100,Lê Thị Hồng,student,s3cret-pass,Asia/Ho_Chi_Minh,');
    await expect(importDirectory(store, { users: { name: 'users.csv', text: swapped } }, options)).rejects.toMatchObject({
      problems: [{ file: 'users.csv', line: 2, message: 'M100 is a mentor with 2 booking(s): the role cannot change while they have any' }],
    });
    expect((await store.getUser('M100'))?.role).toBe('mentor');
  });

  it('--help documents both formats, and their examples import as shown', async () => {
    const help = await run(process.execPath, ['--import', 'tsx', 'server/index.ts', 'admin', '--help'], { cwd: ROOT, env: process.env });
    for (const text of ['users.csv:', 'bookings.csv:', USERS_FORMAT.example, BOOKINGS_FORMAT.example, 'mon-09-10;wed-14-15', '<day>-<start hour>-<end hour>', '--reset-passwords']) {
      expect(help.stdout.replace(/\n {2}/g, '\n')).toContain(text);
    }
    const store = await JsonClassroomStore.open(await folder());
    cleanup.push(() => store.close());
    const report = await importDirectory(store, { users: { name: 'users.csv', text: USERS_FORMAT.example }, bookings: { name: 'bookings.csv', text: BOOKINGS_FORMAT.example } }, options);
    expect(report).toMatchObject({ usersCreated: ['M100', 'S100', 'S101'], bookingsCreated: 2 });
    expect((await store.getUser('M100'))?.slot_ids).toEqual(['mon-09-10', 'wed-14-15']);
    expect((await store.getUser('S101'))?.time_zone).toBe('Europe/Berlin');
  });

  it('a command other than import refuses a folder with no store, and leaves it uncreated (a mistyped CLASSROOM_DATA_DIR)', async () => {
    const mistyped = path.join(await folder(), 'no-such-folder');
    const env = { ...process.env, CLASSROOM_DATA_DIR: mistyped };
    const refused = await run(process.execPath, ['--import', 'tsx', 'server/index.ts', 'admin', 'devices', 'L001'], { cwd: ROOT, env }).catch((e: { code: number; stderr: string }) => e);
    expect(refused).toMatchObject({ code: 1 });
    expect((refused as { stderr: string }).stderr.trim()).toBe(`admin: there is no Classroom store in ${mistyped} (CLASSROOM_DATA_DIR): check the folder; "import" starts a new one.`);
    expect(existsSync(mistyped)).toBe(false);
  });

  it('runs as `admin import` from the server entry, and refuses while a server holds the folder', async () => {
    const dataDir = await folder();
    const usersFile = path.join(dataDir, '..', `users-${path.basename(dataDir)}.csv`);
    const bookingsFile = path.join(dataDir, '..', `bookings-${path.basename(dataDir)}.csv`);
    await writeFile(usersFile, USERS);
    await writeFile(bookingsFile, BOOKINGS);
    cleanup.push(() => rm(usersFile, { force: true }), () => rm(bookingsFile, { force: true }));
    const env = { ...process.env, CLASSROOM_DATA_DIR: dataDir };
    const ok = await run(process.execPath, ['--import', 'tsx', 'server/index.ts', 'admin', 'import', usersFile, bookingsFile], { cwd: ROOT, env });
    expect(ok.stdout).toMatch(/3 user\(s\) created, 0 updated, 0 unchanged; 2 booking\(s\) created, 0 updated, 0 unchanged\./);
    expect(ok.stdout).toMatch(/enrolment code for S100: \S+/);

    const server: ServerProcess = await startServerProcess({ CLASSROOM_DATA_DIR: dataDir });
    cleanup.push(() => server.kill());
    const refused = await run(process.execPath, ['--import', 'tsx', 'server/index.ts', 'admin', 'import', usersFile], { cwd: ROOT, env }).catch((e: { code: number; stderr: string }) => e);
    expect(refused).toMatchObject({ code: 1 });
    expect((refused as { stderr: string }).stderr).toMatch(/in use by another Classroom server/);
  });
});
