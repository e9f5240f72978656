/**
 * The server as an operator runs it (`server/index.ts` in its own process): refused starts print
 * one line and exit 1; one writer per data folder; a SIGKILLed server leaves a store that parses,
 * every acknowledged session in it, and a lock the next start recovers.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { call, createDemoSession, login } from '../helpers/api-client';
import { runServerToExit, startServerProcess, type ServerProcess } from '../helpers/server-process';
import { readDurableState } from '../../server/store/json/json-store';
import { makeTempDir } from '../helpers/test-server';

const running: ServerProcess[] = [];
const folders: string[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.kill('SIGKILL');
  for (const dir of folders.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tempDataDir() {
  const dir = await makeTempDir('classroom-proc-');
  folders.push(dir);
  return dir;
}

function expectOneCleanLine(stderr: string, ...fragments: string[]) {
  const lines = stderr.split('\n').filter(Boolean);
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^classroom: /);
  for (const fragment of fragments) expect(lines[0]).toContain(fragment);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('refused starts', () => {
  it('a ZEGO secret of the wrong length', async () => {
    const result = await runServerToExit({ CLASSROOM_DATA_DIR: await tempDataDir(), ZEGO_APP_ID: '1', ZEGO_SERVER_SECRET: 'tooshort' });
    expect(result.code).toBe(1);
    expectOneCleanLine(result.stderr, 'ZEGO_SERVER_SECRET', '32 characters');
    expect(result.stderr).not.toContain('tooshort');
  });

  it('a data folder that is not a writable folder', async () => {
    const file = path.join(await tempDataDir(), 'a-file');
    await writeFile(file, 'not a folder');
    const result = await runServerToExit({ CLASSROOM_DATA_DIR: file });
    expect(result.code).toBe(1);
    expectOneCleanLine(result.stderr, 'CLASSROOM_DATA_DIR');
  });

  it('a store file that is not JSON is left alone, never overwritten', async () => {
    const dir = await tempDataDir();
    await writeFile(path.join(dir, 'classroom.json'), '{"sessions": [');
    const result = await runServerToExit({ CLASSROOM_DATA_DIR: dir });
    expect(result.code).toBe(1);
    expectOneCleanLine(result.stderr, 'classroom.json is not valid JSON');
    expect(await readFile(path.join(dir, 'classroom.json'), 'utf8')).toBe('{"sessions": [');
  });

  it('a port already taken', async () => {
    const first = await startServerProcess({ CLASSROOM_DATA_DIR: await tempDataDir() });
    running.push(first);
    const port = new URL(first.url).port;
    const result = await runServerToExit({ CLASSROOM_DATA_DIR: await tempDataDir(), PORT: port });
    expect(result.code).toBe(1);
    expectOneCleanLine(result.stderr, `PORT ${port} is already in use`);
  });

  it('a metrics port already taken is named as such, not as PORT', async () => {
    const first = await startServerProcess({ CLASSROOM_DATA_DIR: await tempDataDir() });
    running.push(first);
    const taken = new URL(first.url).port;
    const result = await runServerToExit({ CLASSROOM_DATA_DIR: await tempDataDir(), CLASSROOM_METRICS_LISTEN: `127.0.0.1:${taken}` });
    expect(result.code).toBe(1);
    expectOneCleanLine(result.stderr, `CLASSROOM_METRICS_LISTEN port ${taken} is already in use: stop the other program or set CLASSROOM_METRICS_LISTEN to a free port.`);
  });
});

describe('one writer per data folder, and crash recovery', () => {
  it('a second server on the same folder refuses to start while the first lives', async () => {
    const dir = await tempDataDir();
    const first = await startServerProcess({ CLASSROOM_DATA_DIR: dir });
    running.push(first);
    const second = await runServerToExit({ CLASSROOM_DATA_DIR: dir });
    expect(second.code).toBe(1);
    expectOneCleanLine(second.stderr, 'CLASSROOM_DATA_DIR', `pid ${first.child.pid}`);
    // …and the first is unharmed.
    expect((await call(first.url, 'GET', '/api/health')).status).toBe(200);
  });

  it('after SIGKILL at random moments, round after round: the file parses, nothing acknowledged is lost, the lock is recovered', async () => {
    const rounds = Number(process.env.CRASH_ROUNDS ?? 8);
    const dir = await tempDataDir();
    const acknowledgedSessions = new Set<string>();
    const acknowledgedLogins: string[] = [];
    for (let round = 0; round < rounds; round++) {
      const server = await startServerProcess({ CLASSROOM_DATA_DIR: dir });
      running.push(server);
      // Everything acknowledged before the previous kill is still there.
      const mentor = await login(server.url, 'mentor_001');
      for (const sessionId of acknowledgedSessions) {
        const join = await call(server.url, 'POST', `/api/sessions/${sessionId}/join`, { token: mentor });
        expect([200, 409], `session ${sessionId} lost`).toContain(join.status);
      }
      for (const token of acknowledgedLogins.slice(-5)) expect((await call(server.url, 'GET', '/api/auth/me', { token })).status, 'sign-in lost').toBe(200);

      let stop = false;
      const cycles = async (studentId: string, slotId: string) => {
        while (!stop) {
          try {
            const created = await createDemoSession(server.url, mentor, { mentorId: 'mentor_001', studentId, slotId, sessionType: 'Crash test' });
            acknowledgedSessions.add(created.sessionId);
            const end = await call(server.url, 'POST', `/api/sessions/${created.sessionId}/end`, { token: mentor });
            if (end.status !== 200) break;
            acknowledgedLogins.push(await login(server.url, 'L002'));
          } catch {
            break; // the process died under us
          }
        }
      };
      const traffic = Promise.all([cycles('L001', 'mon-09-10'), cycles('L002', 'tue-14-15'), cycles('L003', 'thu-16-17')]);
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 400));
      await server.kill('SIGKILL');
      stop = true;
      await traffic;
      running.splice(running.indexOf(server), 1);

      const data = await readDurableState(dir); // classroom.json + the journal, as the next start will read them
      const stored = new Set(data.sessions.map((s) => s.id));
      for (const sessionId of acknowledgedSessions) expect(stored.has(sessionId), `lost ${sessionId}`).toBe(true);
      // The dead server's lock is left behind; the next round's start must recover it.
      expect(JSON.parse(await readFile(path.join(dir, 'classroom.lock'), 'utf8')).pid).toBe(server.child.pid);
    }
    console.log(`crash safety: ${rounds} SIGKILL rounds, ${acknowledgedSessions.size} acknowledged sessions, ${acknowledgedLogins.length} sign-ins, none lost`);
    expect(acknowledgedSessions.size).toBeGreaterThan(rounds);
  }, 120_000);

  it('a clean stop (SIGTERM) releases the lock', async () => {
    const dir = await tempDataDir();
    const server = await startServerProcess({ CLASSROOM_DATA_DIR: dir });
    expect(await server.kill('SIGTERM')).toBe(0);
    await expect(readFile(path.join(dir, 'classroom.lock'), 'utf8')).rejects.toThrow(/ENOENT/);
  });
});

describe('demo accounts', () => {
  it('are seeded by default only for `npm run serve`; a server started otherwise has no one in it unless CLASSROOM_DEMO=1', async () => {
    const signInAsDemoMentor = (url: string) => call(url, 'POST', '/api/auth/login', { body: { userId: 'mentor_001', password: 'demo' } });

    const production = await startServerProcess({ CLASSROOM_DATA_DIR: await tempDataDir(), CLASSROOM_DEMO: undefined });
    running.push(production);
    expect((await signInAsDemoMentor(production.url)).status).toBe(401);
    expect(production.stdout.join('\n')).not.toContain('Demo accounts'); // printed right after the listening line, when seeded

    const newcomer = await startServerProcess({ CLASSROOM_DATA_DIR: await tempDataDir(), CLASSROOM_DEMO: undefined, npm_lifecycle_event: 'serve' });
    running.push(newcomer);
    expect((await signInAsDemoMentor(newcomer.url)).status).toBe(200);
    expect(newcomer.stdout.join('\n')).toContain('Demo accounts (password "demo")');
  });
});
