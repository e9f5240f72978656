/**
 * Device sign-ins against the real server: short access tokens renewed by rotating refresh tokens,
 * a replayed refresh token signing its device out, the devices list, password change and the
 * student app that stays ringable overnight without a password.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoginData } from '@contract/api';
import { call, collect, connectSocket, createDemoSession, eventually, login, type ClientSocket } from '../helpers/api-client';
import { MAX_DEVICES_PER_USER } from '../../server/services/auth.service';
import { ManualClock, startTestServer, type TestServer } from '../helpers/test-server';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const signIn = async (url: string, userId: string, password = 'demo', deviceLabel?: string): Promise<LoginData> => {
  const response = await call<LoginData>(url, 'POST', '/api/auth/login', { body: { userId, password, ...(deviceLabel ? { deviceLabel } : {}) } });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.data;
};
const refresh = (url: string, refreshToken: string) => call<LoginData>(url, 'POST', '/api/auth/refresh', { body: { refreshToken } });
const me = (url: string, token: string) => call(url, 'GET', '/api/auth/me', { token });

describe('device sign-ins', () => {
  let server: TestServer;
  const clock = new ManualClock();
  beforeAll(async () => {
    server = await startTestServer({ clock });
  });
  afterAll(() => server.close());

  it('login returns an access token of at most 60 minutes and a refresh token of weeks', async () => {
    const data = await signIn(server.url, 'L002');
    expect(Date.parse(data.expiresAt) - clock.now()).toBeLessThanOrEqual(HOUR);
    expect(Date.parse(data.expiresAt) - clock.now()).toBeGreaterThan(5 * MINUTE);
    expect(Date.parse(data.refreshExpiresAt) - clock.now()).toBeGreaterThanOrEqual(14 * 24 * HOUR);
    expect(data.refreshToken).toMatch(/^rt_dev_/);
    expect(data.refreshToken).not.toContain(data.accessToken);
  });

  it('refresh (a JSON body, no cookie, no Origin) rotates both tokens and slides the expiry', async () => {
    const first = await signIn(server.url, 'L002');
    clock.advance(30 * MINUTE);
    const response = await fetch(`${server.url}/api/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: first.refreshToken }),
    });
    expect(response.status).toBe(200);
    const second = ((await response.json()) as { data: LoginData }).data;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.user).toEqual(first.user);
    expect(Date.parse(second.refreshExpiresAt)).toBe(Date.parse(first.refreshExpiresAt) + 30 * MINUTE);
    expect((await me(server.url, second.accessToken)).status).toBe(200);
    // The next rotation works with the newest token.
    const third = await refresh(server.url, second.refreshToken);
    expect(third.status).toBe(200);
  });

  it('a replayed (already rotated) refresh token → 401, and that whole device is signed out, sockets too', async () => {
    const stolen = await signIn(server.url, 'L003', 'demo', 'Lan’s laptop');
    const other = await signIn(server.url, 'L003', 'demo', 'Lan’s phone');
    const rotated = (await refresh(server.url, stolen.refreshToken)).data;
    const socket = await connectSocket(server.url, rotated.accessToken);
    const dropped = new Promise<string>((resolve) => socket.once('disconnect', resolve));

    const replay = await refresh(server.url, stolen.refreshToken);
    expect(replay.status).toBe(401);
    expect(replay.body.error?.code).toBe('UNAUTHENTICATED');
    expect(replay.body.error?.message).toMatch(/somewhere else/);

    // The device's newest refresh token and every access token it got stop working …
    expect((await refresh(server.url, rotated.refreshToken)).status).toBe(401);
    expect((await me(server.url, rotated.accessToken)).status).toBe(401);
    expect((await me(server.url, stolen.accessToken)).status).toBe(401);
    expect(await dropped).toBe('io server disconnect');
    // … while the user's other device is untouched.
    expect((await me(server.url, other.accessToken)).status).toBe(200);
    expect((await refresh(server.url, other.refreshToken)).status).toBe(200);
  });

  it('refuses unknown, malformed and expired refresh tokens with 401 or 400, in the envelope', async () => {
    expect((await refresh(server.url, 'rt_dev_AAAAAAAAAAAAAAAA.' + 'x'.repeat(43))).status).toBe(401);
    expect((await refresh(server.url, 'cls_not-a-refresh-token')).status).toBe(401);
    const bad = await call(server.url, 'POST', '/api/auth/refresh', { body: { refreshToken: 42 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toBe('VALIDATION_FAILED');

    const idle = await signIn(server.url, 'L004');
    clock.advance(31 * 24 * HOUR);
    const expired = await refresh(server.url, idle.refreshToken);
    expect(expired.status).toBe(401);
    expect(expired.body.error?.message).toMatch(/too long/);
  });

  it('lists the caller’s devices and signs one out; another user’s device id is not found', async () => {
    const laptop = await signIn(server.url, 'L005', 'demo', 'Laptop');
    const phone = await signIn(server.url, 'L005', 'demo', 'Phone');
    const stranger = await signIn(server.url, 'L001');
    const list = await call(server.url, 'GET', '/api/auth/devices', { token: laptop.accessToken });
    expect(list.status).toBe(200);
    const devices = list.data.devices as Array<{ id: string; label: string; current: boolean; createdAt: string; lastSeenAt: string }>;
    expect(devices.map((d) => d.label).sort()).toEqual(['Laptop', 'Phone']);
    expect(devices.find((d) => d.current)?.label).toBe('Laptop');
    const phoneId = devices.find((d) => d.label === 'Phone')!.id;

    const foreign = await call(server.url, 'DELETE', `/api/auth/devices/${phoneId}`, { token: stranger.accessToken });
    expect(foreign.status).toBe(404);
    expect((await refresh(server.url, phone.refreshToken)).status).toBe(200);

    const phoneNow = (await call(server.url, 'GET', '/api/auth/devices', { token: laptop.accessToken })).data.devices.find((d: { label: string }) => d.label === 'Phone');
    const removed = await call(server.url, 'DELETE', `/api/auth/devices/${phoneNow.id}`, { token: laptop.accessToken });
    expect(removed.status).toBe(200);
    expect(removed.data).toEqual({ id: phoneNow.id, signedOut: true });
    const after = (await call(server.url, 'GET', '/api/auth/devices', { token: laptop.accessToken })).data.devices;
    expect(after.map((d: { label: string }) => d.label)).toEqual(['Laptop']);
    expect((await call(server.url, 'DELETE', '/api/auth/devices/not-a-device', { token: laptop.accessToken })).status).toBe(400);
  });

  it(`keeps at most ${MAX_DEVICES_PER_USER} sign-ins per user: one more signs out the least recently seen`, async () => {
    const mentor = 'mentor_001';
    const signIns: LoginData[] = [];
    for (let i = 1; i <= MAX_DEVICES_PER_USER; i++) {
      signIns.push(await signIn(server.url, mentor, 'demo', `Loop ${i}`));
      clock.advance(1000);
    }
    // The first one is seen again now; six more sign-ins then push out the six least recently seen.
    expect((await refresh(server.url, signIns[0]!.refreshToken)).status).toBe(200);
    clock.advance(1000);
    for (let i = 1; i <= 6; i++) signIns.push(await signIn(server.url, mentor, 'demo', `Extra ${i}`));
    const labels = (await call(server.url, 'GET', '/api/auth/devices', { token: signIns.at(-1)!.accessToken })).data.devices.map((d: { label: string }) => d.label);
    expect(labels).toHaveLength(MAX_DEVICES_PER_USER);
    expect(labels).toEqual(expect.arrayContaining(['Loop 1', 'Loop 8', 'Extra 1', 'Extra 6']));
    for (const gone of ['Loop 2', 'Loop 3', 'Loop 4', 'Loop 5', 'Loop 6', 'Loop 7']) expect(labels).not.toContain(gone);
    expect((await refresh(server.url, signIns[1]!.refreshToken)).status).toBe(401);
    expect((await me(server.url, signIns[1]!.accessToken)).status).toBe(401);
  });

  it('names no device it cannot recognise, also one saved as "Unknown device" before (the client says it in its language)', async () => {
    const data = await signIn(server.url, 'L005');
    const at = new Date(clock.now()).toISOString();
    await server.app.store.createDevice(
      { id: 'dev_saved_unknown', user_id: 'L005', label: 'Unknown device', created_at: at, last_seen_at: at, refresh_hash: 'saved', refresh_expires_at: at, retired_hashes: [] },
      { id: 'at_saved_unknown', token_hash: 'saved-unknown', user_id: 'L005', device_id: 'dev_saved_unknown', created_at: at, expires_at: at },
    );
    const devices: Array<{ id: string; label: string; current: boolean }> = (await call(server.url, 'GET', '/api/auth/devices', { token: data.accessToken })).data.devices;
    // This sign-in came with Node's User-Agent ("node"): no browser, no OS.
    expect(devices.find((d) => d.current)?.label).toBe('');
    expect(devices.find((d) => d.id === 'dev_saved_unknown')?.label).toBe('');
  });

  it('logout signs this device out: its refresh token stops working too', async () => {
    const data = await signIn(server.url, 'L004');
    expect((await call(server.url, 'POST', '/api/auth/logout', { token: data.accessToken })).status).toBe(200);
    expect((await refresh(server.url, data.refreshToken)).status).toBe(401);
    expect((await me(server.url, data.accessToken)).status).toBe(401);
  });

  it('a password change signs out every device; the device that changed it gets a fresh sign-in', async () => {
    const elsewhere = await signIn(server.url, 'L004', 'demo', 'Old tablet');
    const here = await signIn(server.url, 'L004', 'demo', 'Desk');
    const socket = await connectSocket(server.url, elsewhere.accessToken);
    const dropped = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const weak = await call(server.url, 'POST', '/api/auth/change-password', { token: here.accessToken, body: { currentPassword: 'demo', newPassword: 'short' } });
    expect(weak.status).toBe(400);
    const wrong = await call(server.url, 'POST', '/api/auth/change-password', { token: here.accessToken, body: { currentPassword: 'nope', newPassword: 'a-long-new-password' } });
    expect(wrong.status).toBe(401);
    expect((await me(server.url, elsewhere.accessToken)).status).toBe(200);

    const changed = await call<LoginData>(server.url, 'POST', '/api/auth/change-password', { token: here.accessToken, body: { currentPassword: 'demo', newPassword: 'a-long-new-password' } });
    expect(changed.status).toBe(200);
    expect(await dropped).toBe('io server disconnect');
    for (const old of [elsewhere, here]) {
      expect((await me(server.url, old.accessToken)).status).toBe(401);
      expect((await refresh(server.url, old.refreshToken)).status).toBe(401);
    }
    expect((await me(server.url, changed.data.accessToken)).status).toBe(200);
    const devices = (await call(server.url, 'GET', '/api/auth/devices', { token: changed.data.accessToken })).data.devices;
    expect(devices).toEqual([expect.objectContaining({ label: 'Desk', current: true })]);
    expect((await call(server.url, 'POST', '/api/auth/login', { body: { userId: 'L004', password: 'demo' } })).status).toBe(401);
    expect((await call(server.url, 'POST', '/api/auth/login', { body: { userId: 'L004', password: 'a-long-new-password' } })).status).toBe(200);
  });
});

/**
 * The student's app as the desktop main process and the web client run it: connect with the access
 * token; refused at the handshake or dropped at the token's expiry → renew through the API, connect again.
 */
class StudentApp {
  socket: ClientSocket | null = null;
  refreshes = 0;
  constructor(
    private readonly url: string,
    private tokens: LoginData,
  ) {}

  async start(): Promise<void> {
    try {
      this.socket = await connectSocket(this.url, this.tokens.accessToken);
    } catch (error) {
      if ((error as { data?: { code?: string } }).data?.code !== 'UNAUTHENTICATED') throw error;
      const renewed = await refresh(this.url, this.tokens.refreshToken);
      if (renewed.status !== 200) throw new Error(`refresh refused: ${renewed.status}`, { cause: error });
      this.tokens = renewed.data;
      this.refreshes++;
      this.socket = await connectSocket(this.url, this.tokens.accessToken);
    }
  }

  stop(): void {
    this.socket?.close();
  }
}

describe('a student app signed in yesterday', () => {
  it('still receives a ring without typing a password: its refresh token renews the sign-in', async () => {
    const clock = new ManualClock();
    const server = await startTestServer({ clock });
    try {
      const yesterday = await signIn(server.url, 'L001', 'demo', 'Classroom for Windows');
      clock.advance(25 * HOUR); // the access token is long expired
      expect((await me(server.url, yesterday.accessToken)).status).toBe(401);
      await expect(connectSocket(server.url, yesterday.accessToken)).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });

      const app = new StudentApp(server.url, yesterday);
      await app.start();
      expect(app.refreshes).toBe(1);
      const rings = collect(app.socket!, 'session_notification');
      const mentor = await login(server.url, 'mentor_001');
      const created = await createDemoSession(server.url, mentor);
      await eventually(() => rings.length > 0, 5000, 'no ring');
      expect(rings[0]!.sessionId).toBe(created.sessionId);
      await eventually(async () => (await server.app.store.getNotification(created.sessionId))?.delivered_at !== null, 5000, 'ring not acknowledged');
      app.stop();
    } finally {
      await server.close();
    }
  });
});
