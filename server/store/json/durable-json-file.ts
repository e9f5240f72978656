/**
 * A lowdb adapter whose write is durable before it resolves: write a temp file, fsync it, rename it
 * over the old file, fsync the folder (so the rename itself survives power loss). A crash at any
 * point leaves either the old or the new complete file, never a torn one. lowdb's own JSONFile
 * (steno) renames but never fsyncs, so an acknowledged write could still vanish on power loss.
 */
import { open, readFile, readdir, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';

export class StoreFileCorruptError extends Error {
  override name = 'StoreFileCorruptError';
}

export class DurableJsonFile<T> implements Adapter<T> {
  readonly file: string;
  private readonly tempFile: string;
  /** Bytes of the last write, for metrics and benchmarks. */
  lastWriteBytes = 0;

  constructor(file: string) {
    this.file = file;
    this.tempFile = `${file}.${process.pid}.tmp`;
  }

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      // Never overwrite a file we cannot read: the operator must look at it.
      throw new StoreFileCorruptError(`${this.file} is not valid JSON (${(error as Error).message}); move it aside to start with an empty store.`);
    }
  }

  async write(data: T): Promise<void> {
    const text = JSON.stringify(data);
    const handle = await open(this.tempFile, 'w', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(this.tempFile, this.file);
    await fsyncDirectory(path.dirname(this.file));
    this.lastWriteBytes = Buffer.byteLength(text);
  }

  /** Removes temp files left by a process killed mid-write (they are never the live copy). */
  async removeLeftoverTempFiles(): Promise<number> {
    const dir = path.dirname(this.file);
    const prefix = `${path.basename(this.file)}.`;
    const leftovers = (await readdir(dir)).filter((name) => name.startsWith(prefix) && name.endsWith('.tmp'));
    await Promise.all(leftovers.map((name) => unlink(path.join(dir, name)).catch(() => undefined)));
    return leftovers.length;
  }
}

async function fsyncDirectory(dir: string): Promise<void> {
  // Windows cannot open a directory for fsync; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
