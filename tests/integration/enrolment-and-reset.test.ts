/**
 * The admin command and sign-ins: an enrolment code works once (to choose a password), a password
 * reset signs out every device, and the command lists and signs out a user's devices.
 */
import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { call } from '../helpers/api-client';
import { makeTempDir, startTestServer } from '../helpers/test-server';

const ROOT = path.resolve(__dirname, '../..');
const run = promisify(execFile);

describe('admin command: enrolment codes, reset, devices', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('an enrolment code works once, only to choose a password; a reset and the devices commands sign devices out', async () => {
    const dataDir = await makeTempDir('classroom-enrol-');
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const usersFile = `${dataDir}-users.csv`;
    cleanup.push(() => rm(usersFile, { force: true }));
    const env = { ...process.env, CLASSROOM_DATA_DIR: dataDir };
    const admin = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'server/index.ts', 'admin', ...args], { cwd: ROOT, env });

    await writeFile(usersFile, 'id,name,role,password,time_zone,slots\nS200,Hà Anh,student,,,\nS201,Minh Tú,student,first-password,,\n');
    const imported = await admin('import', usersFile);
    const code = /enrolment code for S200: (\S+)/.exec(imported.stdout)![1]!;

    let server = await startTestServer({ dataDir, env: { CLASSROOM_DEMO: '0' } });
    const login = (userId: string, password: string) => call(server.url, 'POST', '/api/auth/login', { body: { userId, password } });
    const setPassword = (enrolmentCode: string, newPassword: string) => call(server.url, 'POST', '/api/auth/set-password', { body: { userId: 'S200', enrolmentCode, newPassword } });

    const first = await login('S200', code);
    expect(first.status).toBe(403);
    expect(first.body.error?.code).toBe('PASSWORD_SETUP_REQUIRED');
    expect((await setPassword('wrong-code', 'my-own-password')).status).toBe(401);
    expect((await setPassword(code, 'short')).status).toBe(400);
    const spent = await setPassword(code, 'my-own-password');
    expect(spent.status).toBe(200);
    expect(spent.data.user.id).toBe('S200');
    // Used once: the code neither signs in nor sets a password again.
    expect((await setPassword(code, 'another-password')).status).toBe(401);
    expect((await login('S200', code)).status).toBe(401);
    expect((await login('S200', 'my-own-password')).status).toBe(200);
    // A user with a real password cannot be "enrolled" with it.
    expect((await call(server.url, 'POST', '/api/auth/set-password', { body: { userId: 'S201', enrolmentCode: 'first-password', newPassword: 'hijacked-pass' } })).status).toBe(401);

    const laptop = (await login('S201', 'first-password')).data;
    const phone = (await login('S201', 'first-password')).data;
    await server.close();

    // Listed, then one signed out by the admin command.
    const listed = await admin('devices', 'S201');
    const ids = [...listed.stdout.matchAll(/^(dev_\S+)/gm)].map((m) => m[1]!);
    expect(ids).toHaveLength(2);
    const phoneId = phone.refreshToken.slice(3, phone.refreshToken.indexOf('.'));
    expect(ids).toContain(phoneId);
    expect((await admin('sign-out', 'S201', phoneId)).stdout).toMatch(/Signed out 1 device/);

    server = await startTestServer({ dataDir, env: { CLASSROOM_DEMO: '0' } });
    expect((await call(server.url, 'POST', '/api/auth/refresh', { body: { refreshToken: phone.refreshToken } })).status).toBe(401);
    const renewed = await call(server.url, 'POST', '/api/auth/refresh', { body: { refreshToken: laptop.refreshToken } });
    expect(renewed.status).toBe(200);
    await server.close();

    // A password reset through the import signs out every device.
    await writeFile(usersFile, 'id,name,role,password,time_zone,slots\nS201,Minh Tú,student,reset-password,,\n');
    await admin('import', usersFile, '--reset-passwords');
    server = await startTestServer({ dataDir, env: { CLASSROOM_DEMO: '0' } });
    expect((await call(server.url, 'POST', '/api/auth/refresh', { body: { refreshToken: renewed.data.refreshToken } })).status).toBe(401);
    expect((await call(server.url, 'GET', '/api/auth/me', { token: renewed.data.accessToken })).status).toBe(401);
    expect((await login('S201', 'reset-password')).status).toBe(200);
    await server.close();

    expect((await admin('devices', 'S201')).stdout).toMatch(/dev_/);
    expect((await admin('sign-out', 'S201', '--all')).stdout).toMatch(/Signed out 1 device/);
    expect((await admin('devices', 'S201')).stdout).toMatch(/not signed in on any device/);
    const enrolled = await admin('enrol', 'S201');
    expect(enrolled.stdout).toMatch(/enrolment code for S201: \S+/);
    // Mistakes are named, and change nothing: an unknown user, a file that is not there.
    for (const args of [['devices', 'nobody'], ['sign-out', 'nobody', '--all']]) {
      const refused = await admin(...args).catch((e: { code: number; stderr: string }) => e);
      expect(refused, args.join(' ')).toMatchObject({ code: 1, stderr: expect.stringContaining('there is no user nobody') });
    }
    const missing = await admin('import', path.join(dataDir, 'no-such-users.csv')).catch((e: { code: number; stderr: string }) => e);
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringMatching(/cannot read \S+no-such-users\.csv: there is no such file/) });
  }, 60_000);
});
