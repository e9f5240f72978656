/**
 * The lowdb JSON store against a real file in a temp folder: durable, coalesced, one writer,
 * the seed's table and column names.
 */
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLockedError } from '../../server/store/json/data-dir-lock';
import { JsonClassroomStore, readDurableState, type WriteStats } from '../../server/store/json/json-store';
import { newSession } from '../helpers/session-fixtures';
import { makeTempDir } from '../helpers/test-server';
import { describeClassroomStore } from './store-contract';

describeClassroomStore('lowdb JSON file', async () => {
  const dir = await makeTempDir('classroom-contract-');
  folders.push(dir);
  return JsonClassroomStore.open(dir);
});

const folders: string[] = [];
const stores: JsonClassroomStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of folders.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function openStore(dir?: string, onWrite?: (stats: WriteStats) => void, compactionMinBytes?: number) {
  const dataDir = dir ?? (await makeTempDir('classroom-store-'));
  if (!dir) folders.push(dataDir);
  const store = await JsonClassroomStore.open(dataDir, { onWrite, compactionMinBytes });
  stores.push(store);
  return { store, dataDir };
}

const sessionFor = newSession;

describe('JsonClassroomStore', () => {
  it('writes the seed tables with their snake_case columns to classroom.json, readable by a new instance', async () => {
    const { store, dataDir } = await openStore();
    const now = Date.now();
    await store.createSessionUnlessLive(sessionFor(1, now), now);
    // Durable at once (journal), and folded into classroom.json at the next open.
    expect((await readDurableState(dataDir)).sessions.map((s) => s.id)).toEqual(['session_1']);
    await store.close();
    stores.pop();
    stores.push(await JsonClassroomStore.open(dataDir));
    const file = JSON.parse(await readFile(path.join(dataDir, 'classroom.json'), 'utf8'));
    expect(Object.keys(file)).toEqual(
      expect.arrayContaining(['sessions', 'session_tokens', 'users', 'bookings', 'access_tokens', 'notification_outbox']),
    );
    expect(Object.keys(file.sessions[0])).toEqual(
      expect.arrayContaining(['id', 'room_id', 'mentor_id', 'student_id', 'slot_id', 'session_type', 'status', 'created_at', 'started_at', 'ended_at', 'expires_at']),
    );
    await stores.pop()!.close();
    const { store: reopened } = await openStore(dataDir);
    expect(await reopened.getSession('session_1')).toMatchObject({ room_id: 'room_1', status: 'created' });
    expect(await reopened.findSessionByRoom('room_1')).toMatchObject({ id: 'session_1' });
  });

  it('coalesces concurrent writes: 200 acknowledged creates in far fewer file writes, none lost', async () => {
    const writes: WriteStats[] = [];
    const { store, dataDir } = await openStore(undefined, (stats) => writes.push(stats));
    const now = Date.now();
    await Promise.all(Array.from({ length: 200 }, (_, i) => store.createSessionUnlessLive(sessionFor(i, now), now)));
    expect(writes.length).toBeLessThan(20);
    expect(writes.reduce((sum, w) => sum + w.coalesced, 0)).toBe(200);
    expect((await readDurableState(dataDir)).sessions).toHaveLength(200);
  });

  it('appends changes to the journal, replays them after a crash, and skips a crash-cut last line', async () => {
    const writes: WriteStats[] = [];
    const { store, dataDir } = await openStore(undefined, (w) => writes.push(w));
    const now = Date.now();
    await store.createSessionUnlessLive(sessionFor(1, now), now);
    await store.endSession('session_1', new Date(now).toISOString(), 'ended_by_mentor');
    expect(writes.every((w) => !w.compacted)).toBe(true);
    expect(writes.at(-1)!.bytes).toBeLessThan(2000); // the change, not the whole store
    // Simulate a crash mid-append: a torn line at the end, never acknowledged.
    await store.close();
    stores.pop();
    const { appendFile } = await import('node:fs/promises');
    await appendFile(path.join(dataDir, 'classroom.journal'), '{"t":"sessions","k":"session_9","v":{"id":"sess');
    const { store: reopened } = await openStore(dataDir);
    expect(await reopened.getSession('session_1')).toMatchObject({ status: 'ended' });
    expect(await reopened.getSession('session_9')).toBeUndefined();
    expect(await reopened.getSessionToken('session_1', 'S1')).toBeUndefined();
    // Folded into classroom.json on open, where the ended session no longer is (it is archived); the journal starts empty.
    expect(JSON.parse(await readFile(path.join(dataDir, 'classroom.json'), 'utf8')).sessions).toEqual([]);
    expect(await readFile(path.join(dataDir, 'classroom.journal'), 'utf8')).toBe('');
  });

  it('moves ended sessions out of memory and classroom.json into the on-disk archive, queryable after a restart', async () => {
    const { store, dataDir } = await openStore();
    const now = Date.now();
    for (let i = 1; i <= 3; i++) await store.createSessionUnlessLive(sessionFor(i, now), now);
    await store.endSession('session_1', new Date(now).toISOString(), 'ended_by_mentor');
    await store.endSession('session_2', new Date(now).toISOString(), 'expired');
    // Durable before the reply: the archive segment holds both, the journal has dropped them.
    const segment = path.join(dataDir, 'archive', 'sessions-000001.jsonl');
    expect((await readFile(segment, 'utf8')).trim().split('\n').map((line) => JSON.parse(line).id)).toEqual(['session_1', 'session_2']);
    expect((await readDurableState(dataDir)).sessions.map((s) => [s.id, s.status]).sort()).toEqual([['session_1', 'ended'], ['session_2', 'ended'], ['session_3', 'created']]);
    await stores.pop()!.close();

    const { store: reopened } = await openStore(dataDir);
    expect(JSON.parse(await readFile(path.join(dataDir, 'classroom.json'), 'utf8')).sessions.map((s: { id: string }) => s.id)).toEqual(['session_3']);
    expect(await reopened.getSession('session_2')).toMatchObject({ status: 'ended', end_reason: 'expired' });
    expect((await reopened.listPastSessionsForMentor('mentor_001', 10)).sessions.map((s) => s.id)).toEqual(['session_2', 'session_1']);
    await reopened.endSession('session_3', new Date(now).toISOString(), 'ended_by_mentor');
    expect((await reopened.listPastSessionsForMentor('mentor_001', 1)).sessions.map((s) => s.id)).toEqual(['session_3']);
  });

  it('after a crash between the archive append and the journal, the archived (ended) session wins, once; a torn archive line is cut', async () => {
    const { store, dataDir } = await openStore();
    const now = Date.now();
    await store.createSessionUnlessLive(sessionFor(1, now), now);
    await store.createSessionUnlessLive(sessionFor(2, now), now);
    await stores.pop()!.close();
    // The archive append of session_1's end reached the disk, the journal line that drops it did not;
    // session_2's append was cut by the crash.
    const { appendFile, mkdir } = await import('node:fs/promises');
    await mkdir(path.join(dataDir, 'archive'), { recursive: true });
    const ended = { ...sessionFor(1, now).session, status: 'ended', ended_at: new Date(now).toISOString(), end_reason: 'ended_by_mentor', ring_delivered_at: null };
    const segment = path.join(dataDir, 'archive', 'sessions-000001.jsonl');
    await appendFile(segment, `${JSON.stringify(ended)}\n{"id":"session_2","room_id":"ro`);

    const { store: reopened } = await openStore(dataDir);
    expect(await reopened.getSession('session_1')).toMatchObject({ status: 'ended' });
    expect(await reopened.listLiveSessionsForMentor('mentor_001', now)).toEqual([expect.objectContaining({ id: 'session_2' })]);
    expect((await reopened.listPastSessionsForMentor('mentor_001', 10)).sessions.map((s) => s.id)).toEqual(['session_1']);
    expect(await readFile(segment, 'utf8')).toBe(`${JSON.stringify(ended)}\n`);
    // Ending session_2 now archives it after the kept line.
    await reopened.endSession('session_2', new Date(now).toISOString(), 'ended_by_mentor');
    expect((await readFile(segment, 'utf8')).trim().split('\n').map((line) => JSON.parse(line).id)).toEqual(['session_1', 'session_2']);
  });

  it('rewrites the snapshot once the journal outgrows it, losing nothing', async () => {
    const writes: WriteStats[] = [];
    const { store, dataDir } = await openStore(undefined, (w) => writes.push(w), 10_000);
    const now = Date.now();
    for (let i = 0; i < 60; i++) await store.createSessionUnlessLive(sessionFor(i, now), now);
    expect(writes.some((w) => w.compacted)).toBe(true);
    expect(JSON.parse(await readFile(path.join(dataDir, 'classroom.json'), 'utf8')).sessions.length).toBeGreaterThan(0);
    expect((await readDurableState(dataDir)).sessions).toHaveLength(60);
    await stores.pop()!.close();
    const { store: reopened } = await openStore(dataDir);
    for (let i = 0; i < 60; i++) expect(await reopened.getSession(`session_${i}`), `session_${i}`).toBeDefined();
  });

  it('leaves no temp file behind and cleans up one left by a crash mid-write', async () => {
    const { store, dataDir } = await openStore();
    await store.upsertUsers([]);
    expect((await readdir(dataDir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    await store.close();
    stores.pop();
    await writeFile(path.join(dataDir, 'classroom.json.99999.tmp'), '{"half": ');
    await openStore(dataDir);
    expect((await readdir(dataDir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a second open of the same folder in this process, and allows it after close', async () => {
    const { store, dataDir } = await openStore();
    await expect(JsonClassroomStore.open(dataDir)).rejects.toBeInstanceOf(DataDirLockedError);
    await store.close();
    stores.pop();
    await openStore(dataDir);
  });

  it('recovers a lock left by a process that no longer exists', async () => {
    const dataDir = await makeTempDir('classroom-store-');
    folders.push(dataDir);
    // A pid far above pid_max on Linux: certainly not running.
    await writeFile(path.join(dataDir, 'classroom.lock'), JSON.stringify({ pid: 2 ** 30, hostname: (await import('node:os')).hostname(), acquired_at: 'x', nonce: 'dead' }));
    const { store } = await openStore(dataDir);
    expect(JSON.parse(await readFile(path.join(dataDir, 'classroom.lock'), 'utf8')).pid).toBe(process.pid);
    await store.close();
    stores.pop();
  });

  it('is idempotent per live slot: the second create returns the first session', async () => {
    const { store } = await openStore();
    const now = Date.now();
    const first = await store.createSessionUnlessLive(sessionFor(1, now), now);
    const duplicate = sessionFor(2, now);
    duplicate.session.student_id = 'S1';
    const second = await store.createSessionUnlessLive(duplicate, now);
    expect(first.created).toBe(true);
    expect(second).toEqual({ session: first.session, created: false });
    expect(await store.getSession('session_2')).toBeUndefined();
    // Once it has expired, the slot can start again.
    const later = now + 3_600_001;
    const third = await store.createSessionUnlessLive({ ...duplicate, session: { ...duplicate.session, expires_at: new Date(later + 3_600_000).toISOString() } }, later);
    expect(third.created).toBe(true);
  });
});
