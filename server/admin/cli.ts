/**
 * `npm run admin -- import users.csv [bookings.csv] [--reset-passwords]` — and the same from the
 * packaged server (`server.js admin import …`). Works on the configured data folder while no
 * server holds it (one writer per folder); prints what changed, or every bad row with its line.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig, type ConfigDefaults } from '../config';
import { DEMO_TIME_ZONE } from '../services/demo-data';
import { openStore } from '../store/open-store';
import { importDirectory, ImportRejected } from './directory-import';

const USAGE = 'usage: admin import <users.csv> [bookings.csv] [--reset-passwords]';

export async function runAdmin(args: string[], env: NodeJS.ProcessEnv, projectRoot: string, defaults: ConfigDefaults, out = console.log, err = console.error): Promise<number> {
  const [command, ...rest] = args;
  const flags = rest.filter((a) => a.startsWith('--'));
  const files = rest.filter((a) => !a.startsWith('--'));
  if (command !== 'import' || files.length < 1 || files.length > 2 || flags.some((f) => f !== '--reset-passwords')) {
    err(USAGE);
    return 2;
  }
  try {
    const config = loadConfig(env, projectRoot, { ...defaults, demo: false });
    const [usersFile, bookingsFile] = files as [string, string | undefined];
    const users = { name: path.basename(usersFile), text: await readFile(usersFile, 'utf8') };
    const bookings = bookingsFile ? { name: path.basename(bookingsFile), text: await readFile(bookingsFile, 'utf8') } : undefined;
    const store = await openStore(config);
    try {
      const report = await importDirectory(store, { users, bookings }, { nowIso: new Date().toISOString(), defaultTimeZone: DEMO_TIME_ZONE, resetPasswords: flags.includes('--reset-passwords') });
      out(`Imported into ${config.dataDir}: ${report.usersCreated.length} user(s) created, ${report.usersUpdated.length} updated; ${report.bookingsCreated} booking(s) created, ${report.bookingsUpdated} updated.`);
      for (const { userId, code } of report.enrolmentCodes) out(`  enrolment code for ${userId}: ${code}`);
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
