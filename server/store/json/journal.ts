/**
 * The store's append-only journal (`classroom.journal`, JSON lines beside `classroom.json`).
 * A durable write appends only what changed and fdatasyncs it, so its cost follows the size of the
 * change, not of the store — months of sessions do not slow down "Start Session". The snapshot
 * (`classroom.json`, written by lowdb through DurableJsonFile) is rewritten only when the journal
 * has grown as large as it, and the journal then starts afresh.
 *
 * Each line is one change with the whole new row (or null for a deletion), so replaying the
 * journal over the snapshot in order always ends in the state that was acknowledged. A line cut
 * short by a crash was never acknowledged (its fsync had not returned) and is skipped.
 */
import { open, readFile, type FileHandle } from 'node:fs/promises';

export type TableName = 'users' | 'access_tokens' | 'devices' | 'bookings' | 'sessions' | 'session_tokens' | 'notification_outbox' | 'chat_messages' | 'secrets';

export interface Change {
  t: TableName;
  /** The row's key within its table. */
  k: string;
  /** The whole row after the change; null when it was deleted. */
  v: unknown;
}

export class Journal {
  private handle: FileHandle | null = null;
  bytes = 0;

  constructor(readonly file: string) {}

  /** Every complete change in the journal, oldest first (a torn last line is dropped). */
  async readAll(): Promise<Change[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const changes: Change[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        changes.push(JSON.parse(line) as Change);
      } catch {
        break; // the crash-cut tail: nothing after it was acknowledged either
      }
    }
    return changes;
  }

  /** Starts an empty journal (after the snapshot has absorbed everything). */
  async reset(): Promise<void> {
    await this.handle?.close();
    this.handle = await open(this.file, 'w', 0o600);
    await this.handle.sync();
    this.bytes = 0;
  }

  /** Appends the changes and returns once they are on disk. */
  async append(changes: Change[]): Promise<number> {
    if (!this.handle) this.handle = await open(this.file, 'a', 0o600);
    const text = changes.map((change) => JSON.stringify(change)).join('\n') + '\n';
    await this.handle.appendFile(text, 'utf8');
    await this.handle.datasync();
    const written = Buffer.byteLength(text);
    this.bytes += written;
    return written;
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = null;
  }
}
