/**
 * `npm run admin -- <command>` — and the same from a built checkout (`node out/main/server.js admin …`):
 *   import <users.csv> [bookings.csv] [--reset-passwords]   provision users and bookings
 *   devices <userId>                                         list the user's signed-in devices
 *   sign-out <userId> <deviceId|--all>                       sign devices out
 *   enrol <userId>                                           a new one-time enrolment code (signs out everywhere)
 * Works on the configured data folder while no server holds it (one writer per folder); with Redis
 * it may run beside the servers (a signed-out device's open socket ends within its access token's hour).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig, type ConfigDefaults } from '../config';
import type { ClassroomStore } from '../store/classroom-store';
import { storedDeviceLabel } from '../services/auth.service';
import { openStore } from '../store/open-store';
import { issueEnrolmentCode, listDevices, signOutDevices } from './accounts';
import { BOOKINGS_FORMAT, importDirectory, ImportRejected, USERS_FORMAT, type CsvFormat } from './directory-import';

const COMMANDS = [
  'usage: npm run admin -- import <users.csv> [bookings.csv] [--reset-passwords]',
  '       npm run admin -- devices <userId>                       list the user\'s signed-in devices',
  '       npm run admin -- sign-out <userId> <deviceId|--all>     sign devices out',
  '       npm run admin -- enrol <userId>                         a new one-time enrolment code (signs out everywhere)',
];
const USAGE = [...COMMANDS, '(npm run admin -- --help for the file formats)'].join('\n');

/** Words of `text` in lines of at most `width` characters, each line after the first indented. */
function wrap(text: string, indent: number, width = 100): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

function formatHelp(format: CsvFormat): string[] {
  const width = Math.max(...format.columns.map((c) => c.column.length));
  const indent = width + 4;
  return [
    `${format.file}: UTF-8 ("CSV UTF-8" in Excel); a header line naming exactly these columns (any order),`,
    'then one row per line, separated by "," (or all by ";"); a value containing the separator goes in',
    'double quotes; empty lines are skipped.',
    ...format.columns.map((c) => `  ${c.column.padEnd(width)}  ${wrap(`must ${c.must}.${c.note ? ` ${c.note[0]!.toUpperCase()}${c.note.slice(1)}.` : ''}`, indent)}`),
    'Example:',
    ...format.example.split('\n').map((line) => `  ${line}`),
  ];
}

/** What `npm run admin -- --help` prints: the command, then both CSV formats with an example. */
export const HELP = [
  ...COMMANDS,
  '       (built, without the dev tools: node out/main/server.js admin …)',
  '',
  'Creates or updates users and weekly bookings in the configured store (CLASSROOM_DATA_DIR, or',
  'CLASSROOM_STORE=redis with REDIS_URL) while no server holds it. Every row is checked first: one bad',
  'row and nothing is written, and each problem is printed with its file and line. A row that matches',
  'what is stored is counted "unchanged", so running the same files again changes nothing.',
  '',
  ...formatHelp(USERS_FORMAT),
  '',
  ...formatHelp(BOOKINGS_FORMAT),
  '',
  '--reset-passwords  also set the password of existing users whose row has one.',
].join('\n');

type Out = (line: string) => void;
type Command = (store: ClassroomStore, out: Out, dataDir: string) => Promise<void>;

function wantsHelp([command, ...rest]: string[]): boolean {
  return command === '--help' || command === '-h' || command === 'help' || rest.includes('--help');
}

function parseCommand(args: string[]): Command | null {
  const [command, ...rest] = args;
  const flags = rest.filter((a) => a.startsWith('--'));
  const operands = rest.filter((a) => !a.startsWith('--'));
  if (command === 'import' && operands.length >= 1 && operands.length <= 2 && flags.every((f) => f === '--reset-passwords')) {
    return importCommand(operands as [string, string?], flags.includes('--reset-passwords'));
  }
  if (command === 'devices' && operands.length === 1 && flags.length === 0) {
    return async (store, out) => {
      const devices = await listDevices(store, operands[0]!);
      if (devices.length === 0) out(`${operands[0]} is not signed in on any device.`);
      for (const d of devices) out(`${d.id}  ${storedDeviceLabel(d.label) || '(unknown device)'}  signed in ${d.created_at}  last seen ${d.last_seen_at}`);
    };
  }
  const all = flags.length === 1 && flags[0] === '--all' && operands.length === 1;
  if (command === 'sign-out' && (all || (operands.length === 2 && flags.length === 0))) {
    return async (store, out) => {
      const ids = await signOutDevices(store, operands[0]!, all ? 'all' : operands[1]!);
      out(`Signed out ${ids.length} device(s) of ${operands[0]}${ids.length ? `: ${ids.join(', ')}` : ''}.`);
    };
  }
  if (command === 'enrol' && operands.length === 1 && flags.length === 0) {
    return async (store, out) => out(`enrolment code for ${operands[0]}: ${await issueEnrolmentCode(store, operands[0]!)} (every device was signed out)`);
  }
  return null;
}

/** A CSV file's text, or one line saying which file could not be read and why. */
async function readCsv(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new Error(`cannot read ${file}: ${why}`, { cause: error });
  }
}

function importCommand([usersFile, bookingsFile]: [string, string?], resetPasswords: boolean): Command {
  return async (store, out, dataDir) => {
    const users = { name: path.basename(usersFile), text: await readCsv(usersFile) };
    const bookings = bookingsFile ? { name: path.basename(bookingsFile), text: await readCsv(bookingsFile) } : undefined;
    const report = await importDirectory(store, { users, bookings }, { nowIso: new Date().toISOString(), resetPasswords });
    out(
      `Imported into ${dataDir}: ${report.usersCreated.length} user(s) created, ${report.usersUpdated.length} updated, ${report.usersUnchanged.length} unchanged; ` +
        `${report.bookingsCreated} booking(s) created, ${report.bookingsUpdated} updated, ${report.bookingsUnchanged} unchanged.`,
    );
    for (const { userId, code } of report.enrolmentCodes) out(`  enrolment code for ${userId}: ${code}`);
  };
}

export async function runAdmin(args: string[], env: NodeJS.ProcessEnv, projectRoot: string, defaults: ConfigDefaults, out: Out = console.log, err: Out = console.error): Promise<number> {
  if (wantsHelp(args)) {
    out(HELP);
    return 0;
  }
  const command = parseCommand(args);
  if (!command) {
    err(USAGE);
    return 2;
  }
  try {
    const config = loadConfig(env, projectRoot, { ...defaults, demo: false });
    // Only an import may start a new store; the other commands need users that are already there.
    const store = await openStore(config, { existingOnly: args[0] !== 'import' });
    try {
      await command(store, out, config.dataDir);
      return 0;
    } finally {
      await store.close();
    }
  } catch (error) {
    if (error instanceof ImportRejected) {
      err(`Nothing was imported: ${error.problems.length} problem(s).`);
      for (const problem of error.problems) err(`  ${problem.file} line ${problem.line}: ${problem.message}`);
      return 1;
    }
    err(`admin: ${(error as Error).message}`);
    return 1;
  }
}
