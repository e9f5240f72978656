/**
 * The JSON store's session archive: ended sessions leave the in-memory working set for
 * append-only JSON-lines segments in `<dataDir>/archive/` (`sessions-000001.jsonl`, …), so the
 * server's memory follows the live sessions, not every session ever held.
 *
 * Durability is the journal's: an append is written and fdatasynced (a new segment's folder entry
 * fsynced too) before the store forgets the sessions in memory and journals their removal, so a
 * crash at any point leaves each ended session in the archive, in the working set, or in both —
 * never in neither; on open the store drops from the working set what the archive already holds. A
 * line cut short by a crash was never acknowledged and is truncated away on open.
 *
 * In memory stays only an index: the line's place on disk per session id and per room id, and
 * per mentor the order in which their sessions ended (for paging, newest first).
 */
import { mkdir, open, readdir, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { ArchivedSessionRecord } from '../records';

export const ARCHIVE_DIR_NAME = 'archive';
/** A segment is closed for appends at this size; reads stay positional either way. */
const SEGMENT_BYTES = 16 * 1024 * 1024;
const SEGMENT_NAME = /^sessions-(\d{6})\.jsonl$/;
const segmentName = (n: number) => `sessions-${String(n).padStart(6, '0')}.jsonl`;
const SEGMENT_SPAN = 2 ** 32;

/** A growable list of numbers in one typed array (8 bytes per entry, no per-entry object). */
class NumberList {
  private data = new Float64Array(1024);
  length = 0;
  push(value: number): number {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length] = value;
    return this.length++;
  }
  at(index: number): number {
    return this.data[index]!;
  }
}

export interface ArchivePage {
  records: ArchivedSessionRecord[];
  /** Pass as `before` for the next (older) page; null when this page reaches the oldest. */
  next: number | null;
}

export class SessionArchive {
  /** Entry i's line: segment × 2³² + byte offset, and its length in bytes. */
  private readonly places = new NumberList();
  private readonly lengths = new NumberList();
  private readonly byId = new Map<string, number>();
  private readonly byRoom = new Map<string, number>();
  private readonly byMentor = new Map<string, NumberList>();
  private readonly readers = new Map<number, FileHandle>();
  private writer: FileHandle | null = null;
  private segment = 1;
  private segmentBytes = 0;

  private constructor(private readonly dir: string) {}

  static async open(dataDir: string): Promise<SessionArchive> {
    const dir = path.join(dataDir, ARCHIVE_DIR_NAME);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const archive = new SessionArchive(dir);
    const segments = (await readdir(dir))
      .map((name) => SEGMENT_NAME.exec(name))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    for (const n of segments) await archive.indexSegment(n, n === segments[segments.length - 1]);
    archive.segment = segments[segments.length - 1] ?? 1;
    return archive;
  }

  /**
   * Reads one segment into the index, a chunk at a time (the index is what stays in memory, not
   * the file); on the last one, cuts a crash-torn tail away.
   */
  private async indexSegment(n: number, last: boolean): Promise<void> {
    const file = path.join(this.dir, segmentName(n));
    const handle = await open(file, last ? 'r+' : 'r');
    try {
      const good = await scanLines(handle, (record, offset, length) => this.index(record, n * SEGMENT_SPAN + offset, length));
      const size = (await handle.stat()).size;
      if (good < size) {
        if (!last) throw new Error(`archive segment ${file} is damaged at byte ${good}`);
        await handle.truncate(good);
        await handle.sync();
      }
      if (last) this.segmentBytes = good;
    } finally {
      await handle.close();
    }
  }

  private index(record: ArchivedSessionRecord, place: number, length: number): void {
    if (this.byId.has(record.id)) return; // archived twice across a crash: the first line stands
    const entry = this.places.push(place);
    this.lengths.push(length);
    this.byId.set(record.id, entry);
    this.byRoom.set(record.room_id, entry);
    let list = this.byMentor.get(record.mentor_id);
    if (!list) this.byMentor.set(record.mentor_id, (list = new NumberList()));
    list.push(entry);
  }

  get size(): number {
    return this.byId.size;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Appends the records and returns once they are on disk; they are then found by id, room and mentor. */
  async append(records: ArchivedSessionRecord[]): Promise<void> {
    const fresh = records.filter((r) => !this.byId.has(r.id));
    if (fresh.length === 0) return;
    if (this.segmentBytes >= SEGMENT_BYTES) {
      await this.writer?.close();
      this.writer = null;
      this.segment++;
      this.segmentBytes = 0;
    }
    if (!this.writer) {
      this.writer = await open(path.join(this.dir, segmentName(this.segment)), 'a', 0o600);
      await syncFolder(this.dir); // the segment's name must survive a crash as well as its lines
    }
    const lines = fresh.map((r) => Buffer.from(`${JSON.stringify(r)}\n`, 'utf8'));
    await this.writer.writev(lines);
    await this.writer.datasync();
    lines.forEach((line, i) => {
      this.index(fresh[i]!, this.segment * SEGMENT_SPAN + this.segmentBytes, line.length);
      this.segmentBytes += line.length;
    });
  }

  async get(id: string): Promise<ArchivedSessionRecord | undefined> {
    const entry = this.byId.get(id);
    return entry === undefined ? undefined : this.read(entry);
  }

  async findByRoom(roomId: string): Promise<ArchivedSessionRecord | undefined> {
    const entry = this.byRoom.get(roomId);
    return entry === undefined ? undefined : this.read(entry);
  }

  /** The mentor's archived sessions, most recently ended first; `before` comes from the previous page. */
  async pageForMentor(mentorId: string, limit: number, before?: number): Promise<ArchivePage> {
    const list = this.byMentor.get(mentorId);
    if (!list) return { records: [], next: null };
    const end = Math.min(before ?? list.length, list.length);
    const start = Math.max(0, end - limit);
    const records: ArchivedSessionRecord[] = [];
    for (let i = end - 1; i >= start; i--) records.push(await this.read(list.at(i)));
    return { records, next: start > 0 ? start : null };
  }

  private async read(entry: number): Promise<ArchivedSessionRecord> {
    const place = this.places.at(entry);
    const n = Math.floor(place / SEGMENT_SPAN);
    let reader = this.readers.get(n);
    if (!reader) {
      reader = await open(path.join(this.dir, segmentName(n)), 'r');
      this.readers.set(n, reader);
    }
    const length = this.lengths.at(entry);
    const buffer = Buffer.alloc(length);
    await reader.read(buffer, 0, length, place % SEGMENT_SPAN);
    return JSON.parse(buffer.toString('utf8')) as ArchivedSessionRecord;
  }

  /** Every archived record, oldest first (for inspection of a data folder). */
  static async readAll(dataDir: string): Promise<ArchivedSessionRecord[]> {
    const archive = await SessionArchive.openReadOnly(dataDir);
    const records: ArchivedSessionRecord[] = [];
    for (let i = 0; i < archive.places.length; i++) records.push(await archive.read(i));
    await archive.close();
    return records;
  }

  private static async openReadOnly(dataDir: string): Promise<SessionArchive> {
    const archive = new SessionArchive(path.join(dataDir, ARCHIVE_DIR_NAME));
    let names: string[] = [];
    try {
      names = await readdir(archive.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    for (const name of names.sort()) {
      const match = SEGMENT_NAME.exec(name);
      if (!match) continue;
      const n = Number(match[1]);
      const handle = await open(path.join(archive.dir, name), 'r');
      try {
        await scanLines(handle, (record, offset, length) => archive.index(record, n * SEGMENT_SPAN + offset, length));
      } finally {
        await handle.close();
      }
    }
    return archive;
  }

  async close(): Promise<void> {
    await this.writer?.close();
    this.writer = null;
    for (const reader of this.readers.values()) await reader.close();
    this.readers.clear();
  }
}

const SCAN_CHUNK_BYTES = 1024 * 1024;

/**
 * Calls `onRecord` for every complete line of the file, in order; returns the byte offset after
 * the last good line (a line without its newline, or that does not parse, ends the scan).
 */
async function scanLines(handle: FileHandle, onRecord: (record: ArchivedSessionRecord, offset: number, length: number) => void): Promise<number> {
  let carry = Buffer.alloc(0);
  let carryAt = 0; // file offset of carry[0]
  let position = 0;
  const chunk = Buffer.alloc(SCAN_CHUNK_BYTES);
  for (;;) {
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
    if (bytesRead === 0) return carryAt;
    position += bytesRead;
    const buffer = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
    let start = 0;
    for (let end = buffer.indexOf(0x0a, start); end >= 0; end = buffer.indexOf(0x0a, start)) {
      let record: ArchivedSessionRecord;
      try {
        record = JSON.parse(buffer.toString('utf8', start, end)) as ArchivedSessionRecord;
      } catch {
        return carryAt + start;
      }
      onRecord(record, carryAt + start, end + 1 - start);
      start = end + 1;
    }
    carry = Buffer.from(buffer.subarray(start));
    carryAt += start;
  }
}

async function syncFolder(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
