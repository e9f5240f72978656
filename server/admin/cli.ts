/**
 * `npm run admin -- import users.csv [bookings.csv] [--reset-passwords]` — and the same from the
 * packaged server (`server.js admin import …`). Works on the configured data folder while no
 * server holds it (one writer per folder); prints what changed, or every bad row with its line.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig, type ConfigDefaults } from '../config';
import { openStore } from '../store/open-store';
import { BOOKINGS_FORMAT, importDirectory, ImportRejected, USERS_FORMAT, type CsvFormat } from './directory-import';

const USAGE = 'usage: npm run admin -- import <users.csv> [bookings.csv] [--reset-passwords]   (npm run admin -- --help for the file formats)';

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
    `${format.file}: a header line naming exactly these columns (any order), then one row per line;`,
    'a value containing "," goes in double quotes; empty lines are skipped.',
    ...format.columns.map((c) => `  ${c.column.padEnd(width)}  ${wrap(`must ${c.must}.${c.note ? ` ${c.note[0]!.toUpperCase()}${c.note.slice(1)}.` : ''}`, indent)}`),
    'Example:',
    ...format.example.split('\n').map((line) => `  ${line}`),
  ];
}

/** What `npm run admin -- --help` prints: the command, then both CSV formats with an example. */
export const HELP = [
  USAGE.split('   ')[0]!,
  '       (packaged app: server.js admin import …)',
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

export async function runAdmin(args: string[], env: NodeJS.ProcessEnv, projectRoot: string, defaults: ConfigDefaults, out = console.log, err = console.error): Promise<number> {
  const [command, ...rest] = args;
  if (command === '--help' || command === '-h' || command === 'help' || rest.includes('--help')) {
    out(HELP);
    return 0;
  }
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
      const report = await importDirectory(store, { users, bookings }, { nowIso: new Date().toISOString(), resetPasswords: flags.includes('--reset-passwords') });
      out(
        `Imported into ${config.dataDir}: ${report.usersCreated.length} user(s) created, ${report.usersUpdated.length} updated, ${report.usersUnchanged.length} unchanged; ` +
          `${report.bookingsCreated} booking(s) created, ${report.bookingsUpdated} updated, ${report.bookingsUnchanged} unchanged.`,
      );
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
