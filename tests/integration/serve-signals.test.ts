/**
 * `npm run serve` stops cleanly: a SIGTERM sent to npm alone (as `kill <pid>` does) or a SIGINT
 * sent to the whole process group (as Ctrl+C does) leaves no server process behind, and the
 * data-folder lock is released. The real npm, shell and server run here; the build step
 * (`preserve`) is skipped with --ignore-scripts because `npm test` has already built.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCK_FILE_NAME } from '../../server/store/json/data-dir-lock';

const ROOT = path.resolve(__dirname, '../..');
const started: Array<{ npm: ChildProcess; dataDir: string; tree: number[] }> = [];

/** Every live descendant of `pid`, read from /proc. */
function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/<pid>/stat is the parent; the command name (field 2) may hold spaces.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // exited while we read
    }
  }
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, of] of parentOf) {
      if (of !== parent) continue;
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function startServe(): Promise<{ npm: ChildProcess; dataDir: string; tree: number[] }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'classroom-serve-'));
  const npm = spawn('npm', ['run', 'serve', '--ignore-scripts', '--silent'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', CLASSROOM_DATA_DIR: dataDir, CLASSROOM_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, like a terminal's foreground job
  });
  let output = '';
  npm.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  npm.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 30_000;
  while (!output.includes('listening on')) {
    if (Date.now() > deadline || npm.exitCode !== null) throw new Error(`npm run serve did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const entry = { npm, dataDir, tree: descendants(npm.pid!) };
  started.push(entry);
  return entry;
}

async function gone(pids: number[], ms = 10_000): Promise<number[]> {
  const deadline = Date.now() + ms;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  return pids.filter(alive);
}

afterEach(() => {
  for (const { npm, dataDir, tree } of started.splice(0)) {
    for (const pid of [npm.pid!, ...tree]) if (alive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});

describe('a server started on its own (nohup, a service manager) outlives the shell that started it', () => {
  it('keeps serving after its parent shell exits; a SIGTERM still stops it cleanly', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'classroom-detached-'));
    const log = path.join(dataDir, 'server.log');
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('npm_')));
    const shell = spawn('/bin/sh', ['-c', `"${process.execPath}" --import tsx server/index.ts > "${log}" 2>&1 & echo $!; i=0; until grep -q 'listening on' "${log}" 2>/dev/null || [ $i -ge 100 ]; do sleep 0.2; i=$((i+1)); done`], {
      cwd: ROOT,
      env: { ...env, PORT: '0', HOST: '127.0.0.1', CLASSROOM_DATA_DIR: dataDir, CLASSROOM_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const entry = { npm: shell, dataDir, tree: [] as number[] };
    started.push(entry); // cleaned up however the test ends
    let pidText = '';
    shell.stdout!.on('data', (chunk: Buffer) => {
      pidText += chunk.toString();
      entry.tree = [Number(pidText.trim().split('\n')[0])];
    });
    await new Promise((resolve) => shell.once('exit', resolve));
    const pid = entry.tree[0]!;
    const deadline = Date.now() + 30_000;
    while (!(existsSync(log) && readFileSync(log, 'utf8').includes('listening on')) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(readFileSync(log, 'utf8')).toContain('listening on');
    // The shell that started it has exited since (it waited for the server to listen): the server
    // was re-parented, which the orphan watch (every 0.5 s) would have taken for its starter gone.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(alive(pid)).toBe(true);
    expect(existsSync(path.join(dataDir, LOCK_FILE_NAME))).toBe(true);
    process.kill(pid, 'SIGTERM');
    expect(await gone([pid])).toEqual([]);
    expect(existsSync(path.join(dataDir, LOCK_FILE_NAME))).toBe(false);
  });
});

describe('npm run serve stops cleanly', () => {
  it('on SIGTERM sent to npm alone: no orphan left, lock released', async () => {
    const { npm, dataDir, tree } = await startServe();
    expect(tree.length).toBeGreaterThan(0);
    expect(existsSync(path.join(dataDir, LOCK_FILE_NAME))).toBe(true);
    process.kill(npm.pid!, 'SIGTERM');
    expect(await gone([npm.pid!, ...tree])).toEqual([]);
    expect(existsSync(path.join(dataDir, LOCK_FILE_NAME))).toBe(false);
  });

  it('on SIGINT sent to the process group (Ctrl+C): no orphan left, lock released', async () => {
    const { npm, dataDir, tree } = await startServe();
    process.kill(-npm.pid!, 'SIGINT');
    expect(await gone([npm.pid!, ...tree])).toEqual([]);
    expect(existsSync(path.join(dataDir, LOCK_FILE_NAME))).toBe(false);
  });
});
