/**
 * The web client's silent renewal (renderer/src/services) against the real server: one refresh at
 * a time, two tabs sharing one stored sign-in never replay a spent refresh token, and a REST call
 * answered 401 renews and succeeds without the user noticing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoginData } from '@contract/api';
import { ApiClient } from '../../renderer/src/services/api-client';
import { DeviceSignIn, loadSession, saveSession } from '../../renderer/src/services/auth-storage';
import { call } from '../helpers/api-client';
import { ManualClock, startTestServer, type TestServer } from '../helpers/test-server';

/** localStorage as a browser shares it between tabs of one origin. */
class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

describe('web client: silent renewal', () => {
  let server: TestServer;
  const clock = new ManualClock();
  beforeAll(async () => {
    server = await startTestServer({ clock });
  });
  afterAll(() => server.close());

  /** Signs in as the web client does: the sign-in kept in (this test's) storage. */
  const signIn = async (userId: string) => {
    const session = (await call<LoginData>(server.url, 'POST', '/api/auth/login', { body: { userId, password: 'demo' } })).data;
    const storage = new MemoryStorage();
    saveSession(session, storage);
    return { session, storage };
  };

  it('renews once for many concurrent callers, and a second tab adopts the renewal instead of replaying', async () => {
    const { session, storage } = await signIn('L002');
    let signedOut = 0;
    const tabA = new DeviceSignIn(session, server.url, storage, () => signedOut++, clock.now);
    const tabB = new DeviceSignIn(session, server.url, storage, () => signedOut++, clock.now);
    const tokens = await Promise.all(Array.from({ length: 10 }, () => tabA.renew()));
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).not.toBe(session.accessToken);
    // Tab B still holds the spent refresh token in memory: it must pick up tab A's renewal.
    const fromB = await tabB.renew();
    expect(fromB).toBe(tokens[0]);
    expect(signedOut).toBe(0);
    expect((await call(server.url, 'GET', '/api/auth/me', { token: fromB! })).status).toBe(200);
    // And the device is still renewable (no replay was presented).
    const stored = loadSession(storage, clock.now())!;
    expect((await call(server.url, 'POST', '/api/auth/refresh', { body: { refreshToken: stored.refreshToken } })).status).toBe(200);
  });

  it('a call answered 401 (access token expired) renews the sign-in and succeeds', async () => {
    const { session, storage } = await signIn('L003');
    let signedOut = 0;
    const tokens = new DeviceSignIn(session, server.url, storage, () => signedOut++, () => Date.parse(session.expiresAt) - 10 * 60_000);
    const api = new ApiClient(server.url, tokens, () => signedOut++);
    clock.advance(61 * 60_000);
    try {
      const sessions = await api.studentSessions();
      expect(sessions.sessions).toEqual([]);
      expect(signedOut).toBe(0);
      expect(loadSession(storage, clock.now())!.accessToken).not.toBe(session.accessToken);
    } finally {
      clock.advance(-61 * 60_000);
    }
  });

  it('a device signed out elsewhere ends the web sign-in (storage cleared, signed-out callback)', async () => {
    const { session, storage } = await signIn('L004');
    let signedOut = 0;
    const tokens = new DeviceSignIn(session, server.url, storage, () => signedOut++, clock.now);
    await call(server.url, 'POST', '/api/auth/logout', { token: session.accessToken });
    const api = new ApiClient(server.url, tokens, () => signedOut++);
    await expect(api.studentSessions()).rejects.toMatchObject({ status: 401 });
    expect(signedOut).toBeGreaterThanOrEqual(1);
    expect(loadSession(storage, clock.now())).toBeNull();
  });
});
