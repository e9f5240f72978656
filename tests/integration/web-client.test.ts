/**
 * The built web client as the server serves it (`npm run build` runs before vitest in `npm test`):
 * app shell at / and on client routes, the envelope still on unknown API paths, the sign-in page's
 * JavaScript within budget with the ZEGO SDK only in a lazy chunk, and no server secret in it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, ApiError } from '../../renderer/src/services/api-client';
import type { TokenSource } from '../../renderer/src/services/auth-storage';
import { call } from '../helpers/api-client';
import { startTestServer, type TestServer } from '../helpers/test-server';

const WEB_ROOT = path.resolve(__dirname, '../../out/renderer');
const SIGN_IN_BUDGET_BYTES = 250 * 1024;

describe('web client served by the bundled server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ options: { webRoot: WEB_ROOT } });
  });
  afterAll(() => server.close());

  it('serves the app shell at / and on client-side routes, with the query intact for the app', async () => {
    for (const route of ['/', '/login', '/schedule', '/meeting?roomId=room_a&token=04ab%2Bc%2F%3D&role=student']) {
      const response = await fetch(`${server.url}${route}`);
      expect(response.status, route).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/text\/html/);
      expect(await response.text()).toContain('<div id="root"></div>');
    }
    const api404 = await call(server.url, 'GET', '/api/not-a-route');
    expect(api404.status).toBe(404);
    expect(api404.body).toMatchObject({ success: false, error: { code: 'NOT_FOUND' } });
  });

  it('loads from any depth (a trailing slash, a deeper path): assets by absolute path, a missing file is a 404, never the app shell', async () => {
    const shell = await (await fetch(`${server.url}/schedule/`)).text();
    const scripts = [...shell.matchAll(/<script[^>]+src="([^"]+)"/g)].map((match) => match[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) {
      expect(src).toMatch(/^\/assets\//);
      const asset = await fetch(new URL(src, `${server.url}/schedule/deeper/`));
      expect([asset.status, asset.headers.get('content-type')]).toEqual([200, expect.stringMatching(/javascript/)]);
    }
    for (const missing of ['/assets/nope.js', '/schedule/assets/index.js', '/favicon.ico']) {
      const response = await call(server.url, 'GET', missing);
      expect([response.status, response.body.error?.code], missing).toEqual([404, 'NOT_FOUND']);
    }
  });

  it('sends a strict CSP with the app shell, and lets only the desktop renderer call across origins', async () => {
    const shell = await fetch(`${server.url}/login`);
    const csp = shell.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(shell.headers.get('x-frame-options')).toBe('DENY');

    const preflight = (origin: string) =>
      fetch(`${server.url}/api/mentor/create-session`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
    const desktop = await preflight('classroom-app://app');
    expect(desktop.headers.get('access-control-allow-origin')).toBe('classroom-app://app');
    expect(desktop.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const stranger = await preflight('https://evil.example');
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('keeps the sign-in page under 250 KB of gzipped JavaScript, the ZEGO SDK in a lazy chunk only', () => {
    const html = readFileSync(path.join(WEB_ROOT, 'index.html'), 'utf8');
    const initial = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
    expect(initial.length).toBeGreaterThan(0);
    const bytes = initial.reduce((sum, file) => sum + gzipSync(readFileSync(path.join(WEB_ROOT, file))).length, 0);
    expect(bytes).toBeLessThanOrEqual(SIGN_IN_BUDGET_BYTES);
    expect(initial.some((file) => /zego/i.test(file))).toBe(false);
    const chunks = readdirSync(path.join(WEB_ROOT, 'assets'));
    expect(chunks.some((file) => /ZegoExpressWebRTC.*\.js$/.test(file))).toBe(true);
    for (const file of initial) expect(readFileSync(path.join(WEB_ROOT, file), 'utf8')).not.toContain('ZegoExpressEngine');
  });

  it('ships no server secret or server-only code in the web client', () => {
    const text = readdirSync(path.join(WEB_ROOT, 'assets'))
      .filter((f) => f.endsWith('.js') && !/ZegoExpressWebRTC/.test(f))
      .map((f) => readFileSync(path.join(WEB_ROOT, 'assets', f), 'utf8'))
      .join('\n');
    for (const marker of ['ZEGO_SERVER_SECRET', 'serverSecret', 'scrypt', 'p2p_signing_key', 'createCipheriv']) expect(text).not.toContain(marker);
  });
});

describe('the renderer’s REST client against the real server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  /** A sign-in that cannot be renewed (as the desktop shell hands the renderer). */
  const fixedToken = (token: string): TokenSource => ({ accessToken: async () => token, renew: async () => null, dispose: () => undefined });

  it('signs in, reads the week, and maps refusals to ApiError with the server’s code', async () => {
    const anonymous = new ApiClient(server.url, null);
    const login = await anonymous.login('mentor_001', 'demo');
    const client = new ApiClient(server.url, fixedToken(login.accessToken));
    expect((await client.mentorWeek()).mentorId).toBe('mentor_001');
    const refused = await anonymous.login('mentor_001', 'nope').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS' });
  });

  it('tells the app when its sign-in is gone (401 on a signed-in call)', async () => {
    let signedOut = 0;
    const client = new ApiClient(server.url, fixedToken('cls_revoked'), () => signedOut++);
    await expect(client.studentSessions()).rejects.toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(signedOut).toBe(1);
  });

  it('retries an idempotent call through a network failure, and does not retry a refusal', async () => {
    const login = await new ApiClient(server.url, null).login('mentor_001', 'demo');
    let attempts = 0;
    let blinked = false;
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async (...args: Parameters<typeof fetch>) => {
      attempts++;
      if (!blinked) {
        blinked = true;
        throw new TypeError('fetch failed'); // the network blinked once
      }
      return realFetch(...args);
    }) as typeof fetch;
    try {
      const client = new ApiClient(server.url, fixedToken(login.accessToken));
      const created = await client.createSession({ mentorId: 'mentor_001', studentId: 'L001', slotId: 'mon-09-10', sessionType: 'Speaking Practice' });
      expect(created.sessionId).toMatch(/^session_/);
      expect(attempts).toBe(2);
      attempts = 0;
      await expect(client.createSession({ mentorId: 'mentor_001', studentId: 'L001', slotId: 'mon-10-11', sessionType: 'x' })).rejects.toMatchObject({ status: 404 });
      expect(attempts).toBe(1);
    } finally {
      globalThis.fetch = realFetch;
    }
  });
});
