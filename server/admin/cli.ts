/**
 * `npm run admin -- <command>` — and the same from the packaged server (`server.js admin …`):
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
import { DEMO_TIME_ZONE } from '../services/demo-data';
import type { ClassroomStore } from '../store/classroom-store';
import { openStore } from '../store/open-store';
import { issueEnrolmentCode, listDevices, markEnrolmentPending, signOutDevices } from './accounts';
import { importDirectory, ImportRejected } from './directory-import';

const USAGE = [
  'usage: admin import <users.csv> [bookings.csv] [--reset-passwords]',
  '       admin devices <userId>',
  '       admin sign-out <userId> <deviceId|--all>',
  '       admin enrol <userId>',
].join('\n');

type Out = (line: string) => void;
type Command = (store: ClassroomStore, out: Out, dataDir: string) => Promise<void>;

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
      for (const d of devices) out(`${d.id}  ${d.label}  signed in ${d.created_at}  last seen ${d.last_seen_at}`);
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

function importCommand([usersFile, bookingsFile]: [string, string?], resetPasswords: boolean): Command {
  return async (store, out, dataDir) => {
    const users = { name: path.basename(usersFile), text: await readFile(usersFile, 'utf8') };
    const bookings = bookingsFile ? { name: path.basename(bookingsFile), text: await readFile(bookingsFile, 'utf8') } : undefined;
    const report = await importDirectory(store, { users, bookings }, { nowIso: new Date().toISOString(), defaultTimeZone: DEMO_TIME_ZONE, resetPasswords });
    await markEnrolmentPending(store, report.enrolmentCodes.map((c) => c.userId));
    out(`Imported into ${dataDir}: ${report.usersCreated.length} user(s) created, ${report.usersUpdated.length} updated; ${report.bookingsCreated} booking(s) created, ${report.bookingsUpdated} updated.`);
    for (const { userId, code } of report.enrolmentCodes) out(`  enrolment code for ${userId}: ${code}`);
  };
}

export async function runAdmin(args: string[], env: NodeJS.ProcessEnv, projectRoot: string, defaults: ConfigDefaults, out: Out = console.log, err: Out = console.error): Promise<number> {
  const command = parseCommand(args);
  if (!command) {
    err(USAGE);
    return 2;
  }
  try {
    const config = loadConfig(env, projectRoot, { ...defaults, demo: false });
    const store = await openStore(config);
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
