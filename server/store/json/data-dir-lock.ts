/**
 * One writer per data folder. The lock file names its owner (pid + host); it is created atomically
 * with its content (write a private file, then hard-link it into place, which fails if the lock
 * exists). A lock whose owner process is gone — killed with SIGKILL, power loss — is recovered at
 * once, with no waiting for a timeout; a live owner makes the second server refuse to start.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const LOCK_FILE_NAME = 'classroom.lock';

interface LockOwner {
  pid: number;
  hostname: string;
  acquired_at: string;
  nonce: string;
}

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

export interface DataDirLock {
  readonly file: string;
  release(): Promise<void>;
}

/** Folders locked by this process: a second store in the same process must refuse as well. */
const heldByThisProcess = new Set<string>();

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else — still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(file: string): Promise<LockOwner | null> {
  try {
    const owner = JSON.parse(await readFile(file, 'utf8')) as LockOwner;
    return typeof owner.pid === 'number' && typeof owner.hostname === 'string' ? owner : null;
  } catch {
    return null;
  }
}

/** Takes the lock of `dataDir` or throws DataDirLockedError naming the live owner. */
export async function acquireDataDirLock(dataDir: string): Promise<DataDirLock> {
  const lockFile = path.join(dataDir, LOCK_FILE_NAME);
  if (heldByThisProcess.has(lockFile)) {
    throw new DataDirLockedError(`CLASSROOM_DATA_DIR ${dataDir} is already in use by this process.`);
  }
  const owner: LockOwner = {
    pid: process.pid,
    hostname: os.hostname(),
    acquired_at: new Date().toISOString(),
    nonce: randomBytes(8).toString('hex'),
  };
  const draft = `${lockFile}.${owner.nonce}.draft`;
  await writeFile(draft, JSON.stringify(owner), { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await link(draft, lockFile);
        heldByThisProcess.add(lockFile);
        return makeHandle(lockFile, owner);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const current = await readOwner(lockFile);
      if (current && current.hostname !== owner.hostname) {
        throw new DataDirLockedError(
          `CLASSROOM_DATA_DIR ${dataDir} is locked by process ${current.pid} on host ${current.hostname}; stop it or remove ${lockFile} if that host is gone.`,
        );
      }
      if (current && current.pid !== process.pid && isProcessAlive(current.pid)) {
        throw new DataDirLockedError(
          `CLASSROOM_DATA_DIR ${dataDir} is in use by another Classroom server (pid ${current.pid}); if none is running (after a restart that pid may be another program's), remove ${lockFile}.`,
        );
      }
      // Stale (owner dead, or unreadable): move it aside atomically so two recoverers cannot both win.
      const aside = `${lockFile}.stale-${randomBytes(6).toString('hex')}`;
      try {
        await rename(lockFile, aside);
        await unlink(aside);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    throw new DataDirLockedError(`CLASSROOM_DATA_DIR ${dataDir}: could not take the lock ${lockFile}.`);
  } finally {
    await unlink(draft).catch(() => undefined);
  }
}

function makeHandle(lockFile: string, owner: LockOwner): DataDirLock {
  let released = false;
  const releaseSync = () => {
    if (released) return;
    released = true;
    heldByThisProcess.delete(lockFile);
    try {
      const current = JSON.parse(readFileSync(lockFile, 'utf8')) as LockOwner;
      if (current.nonce === owner.nonce) unlinkSync(lockFile);
    } catch {
      // Already gone or replaced: nothing of ours to remove.
    }
  };
  // A normal exit (even process.exit) releases the lock; a SIGKILL leaves it for stale recovery.
  process.once('exit', releaseSync);
  return {
    file: lockFile,
    async release() {
      process.removeListener('exit', releaseSync);
      releaseSync();
    },
  };
}
