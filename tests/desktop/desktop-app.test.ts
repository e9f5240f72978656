/**
 * The desktop app at run time: the built `out/main/index.js` as a real Node process under the
 * Electron stand-in (the one faked edge: no Electron binary can be had here — see stand-in/),
 * its real preload in a sandbox, its real renderer in Debian's Chromium, the real server on a free
 * port, a real Secret Service for the keychain. Each test starts its own app process.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import yaml from 'js-yaml';
import { deepLinkUrl, parseDeepLink } from '../../electron/main/deep-links';
import { importDirectory } from '../../server/admin/directory-import';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call, collect, connectSocket, createDemoSession as startDemoSession, DEMO_BOOKING, login } from '../helpers/api-client';
import { startSecretService, type SecretService } from '../helpers/secret-service';
import { makeTempDir, startTestServer, type TestServer } from '../helpers/test-server';
import { JsonClassroomStore } from '../../server/store/json/json-store';
import { appPage, freePort, launchDesktop, startChromium, tempDir, until, userDataWith, type ChromiumInstance, type DesktopApp, type LaunchOptions } from './harness';

let chromium: ChromiumInstance;
let server: TestServer;
let keyring: SecretService;
let appPort: number;
const running: DesktopApp[] = [];
const startedSessions = new Set<string>();

/** The mentor starts the demo booking's session (remembered, so that it is ended after the test). */
async function createDemoSession(...args: Parameters<typeof startDemoSession>) {
  const session = await startDemoSession(...args);
  if (args[0] === server.url) startedSessions.add(session.sessionId);
  return session;
}

beforeAll(async () => {
  appPort = await freePort();
  // The stand-in serves classroom-app://app from an http origin on loopback: the server allows it.
  server = await startTestServer({ env: { CLASSROOM_ALLOWED_ORIGINS: `classroom-app://app,http://127.0.0.1:${appPort}` } });
}, 60_000);

// A keychain and a browser profile of their own per test, as a fresh machine has: what one test's
// app kept (a sign-in, the language) must not reach the next one's.
beforeEach(async () => {
  [keyring, chromium] = await Promise.all([startSecretService(), startChromium()]);
}, 60_000);

afterAll(async () => {
  await Promise.all(running.map((app) => app.stop()));
  await server?.close();
});

afterEach(async () => {
  // A test that failed half-way leaves no live session behind for the next one.
  const mentor = await login(server.url, 'mentor_001');
  const sessions = [...startedSessions];
  startedSessions.clear();
  await Promise.all(sessions.map((id) => call(server.url, 'POST', `/api/sessions/${id}/end`, { token: mentor })));
  const apps = running.splice(0);
  await Promise.all(apps.map((app) => app.stop()));
  await chromium.stop();
  keyring.stop();
  for (const app of apps) {
    // Whatever a test did, the stand-in saw no unimplemented member, broken rule or uncaught error,
    // and main never sent on a channel the renderer does not listen to.
    expect(app.failures().map((f) => JSON.stringify(f.data))).toEqual([]);
    expect(app.events.filter((e) => e.name === 'ipc-unheard').map((e) => e.data)).toEqual([]);
  }
});

function launch(options: Partial<LaunchOptions> & { userData: string }): DesktopApp {
  const app = launchDesktop({
    appPort,
    cdpUrl: chromium.cdpUrl,
    ...options,
    env: { DBUS_SESSION_BUS_ADDRESS: keyring.address, XDG_CONFIG_HOME: path.join(options.userData, 'xdg-config'), ...options.env },
  });
  running.push(app);
  return app;
}

const settingsFor = (extra: Record<string, unknown> = {}) => userDataWith({ serverUrl: server.url, ...extra });

/** The app's route, '/meeting?…' (the desktop renderer routes by hash, as the packaged app does). */
const route = (page: Page) => page.evaluate(() => (window.location.hash ? window.location.hash.slice(1) : window.location.pathname + window.location.search));

async function signInThroughWindow(page: Page, userId: string): Promise<void> {
  await page.getByLabel(/User ID|Mã người dùng/).fill(userId);
  await page.getByLabel(/Password|Mật khẩu/).fill('demo');
  await page.getByRole('button', { name: /^(Sign in|Đăng nhập)$/ }).click();
  await until(`${userId} signed in`, async () => !(await route(page)).startsWith('/login'));
}

const trayState = (app: DesktopApp) => app.command<{ tooltip: string; menu: Array<{ label: string | null; enabled: boolean }> }>('tray-state');
const endSession = async (sessionId: string) => call(server.url, 'POST', `/api/sessions/${sessionId}/end`, { token: await login(server.url, 'mentor_001') });

describe('desktop app under the Electron stand-in (no Electron binary here; everything else real)', { timeout: 60_000 }, () => {
  it('boots in development: tray, a locked-down window, the real renderer through the real preload', async () => {
    const app = launch({ userData: settingsFor() });
    const tray = await app.waitFor('tray-created');
    const window = await app.waitFor<{ webPreferences: Record<string, unknown> }>('window-created');
    console.log(`boot → tray under the stand-in: ${tray.at} ms after process start`);
    expect(window.data.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false, webSecurity: true });

    const page = await appPage(chromium, appPort);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await route(page)).toBe('/login');
    // Served from the app's own scheme (the stand-in reports URLs as Electron would).
    expect(await app.command<Array<{ url: string }>>('windows')).toEqual([expect.objectContaining({ url: expect.stringMatching(/^classroom-app:\/\/app\//) })]);
    // No Node in the page, only the preload's purpose-built functions.
    const page_globals = await page.evaluate(() => {
      const bridge = (window as unknown as { classroom: Record<string, unknown> }).classroom;
      return { process: typeof (window as { process?: unknown }).process, require: typeof (window as { require?: unknown }).require, bridge: Object.values(bridge).map((v) => typeof v).filter((t) => t !== 'function' && t !== 'string' && t !== 'boolean') };
    });
    expect(page_globals).toEqual({ process: 'undefined', require: 'undefined', bridge: [] });

    // The renderer's responses carry the CSP; the scheme handler refuses traversal and other hosts.
    const index = await fetch(`http://127.0.0.1:${appPort}/index.html`);
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(index.headers.get('content-security-policy')).toContain(`connect-src 'self' ${server.url}`);
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    for (const url of ['classroom-app://app/..%2f..%2fpackage.json', 'classroom-app://app/%2e%2e/%2e%2e/package.json', 'classroom-app://evil/index.html', 'classroom-app://app/assets/..%5c..%5cmain%5cindex.js']) {
      expect(await app.command('protocol-request', { url }), url).toMatchObject({ status: 404 });
    }
    expect(await app.command('protocol-request', { url: 'classroom-app://app/index.html' })).toMatchObject({ status: 200 });
    expect(app.events.filter((e) => e.name === 'error-box')).toEqual([]);
  });

  it('boots packaged: no error dialog, stays up, the updater checks its feed, Quit exits cleanly', async () => {
    const feedRequests: string[] = [];
    const feed = http.createServer((request, response) => {
      feedRequests.push(request.url ?? '');
      // The same version as the app: nothing to download.
      response.writeHead(200, { 'content-type': 'text/yaml' }).end(`version: 0.1.0\nfiles:\n  - url: classroom_0.1.0_amd64.deb\n    sha512: ${'A'.repeat(86)}==\n    size: 1\npath: classroom_0.1.0_amd64.deb\nsha512: ${'A'.repeat(86)}==\nreleaseDate: '2026-11-01T00:00:00.000Z'\n`);
    });
    await new Promise<void>((resolve) => feed.listen(0, '127.0.0.1', resolve));
    try {
      const userData = settingsFor();
      const resources = path.join(userData, 'resources');
      mkdirSync(resources, { recursive: true });
      // What electron-builder writes into a deb's resources folder.
      writeFileSync(path.join(resources, 'app-update.yml'), `provider: generic\nurl: http://127.0.0.1:${(feed.address() as { port: number }).port}/\nupdaterCacheDirName: classroom-updater\n`);
      writeFileSync(path.join(resources, 'package-type'), 'deb');
      // A packaged app never takes its trusted origin from the environment.
      const app = launch({ userData, packaged: true, env: { STANDIN_RESOURCES: resources, ELECTRON_RENDERER_URL: 'http://127.0.0.1:9/not-the-app' } });
      await app.waitFor('tray-created');
      await appPage(chromium, appPort);
      await until('the window on the app scheme', async () => (await app.command<Array<{ url: string }>>('windows'))[0]?.url.startsWith('classroom-app://app/'));
      await until('the updater asking its feed', () => feedRequests.some((url) => url.startsWith('/latest-linux.yml')), 15_000);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(app.process.exitCode).toBeNull();
      expect(app.events.filter((e) => e.name === 'error-box')).toEqual([]);
      await app.command('click-tray-item', { label: 'Quit Classroom' });
      expect(await app.exited).toBe(0);
    } finally {
      feed.close();
    }
  });

  it('signs main in with the window; a started session rings as an OS notification in the app language; its end withdraws it; a click opens the meeting', async () => {
    const app = launch({ userData: settingsFor({ language: 'vi' }) });
    const page = await appPage(chromium, appPort);
    await signInThroughWindow(page, 'L001');
    await until('main online', async () => (await trayState(app)).tooltip.includes('Đã kết nối'));

    const mentorToken = await login(server.url, 'mentor_001');
    const started = Date.now();
    const first = await createDemoSession(server.url, mentorToken);
    const ring = await app.waitFor<{ id: number; title: string; body: string }>('notification-shown', undefined, 5000);
    const ringMs = Date.now() - started;
    console.log(`ring → OS notification under the stand-in: ${ringMs} ms`);
    expect(ringMs).toBeLessThan(2000);
    expect(ring.data.title).toBe('Mentor của bạn đã bắt đầu buổi học!');
    expect(ring.data.body).toContain('Nguyễn Văn Minh');
    expect(ring.data.body).toContain('Speaking Practice');
    expect(ring.data.body).toMatch(/\d{2}:\d{2}–\d{2}:\d{2}/);
    expect((await trayState(app)).menu.some((item) => item.label?.startsWith('Tham gia'))).toBe(true);

    await endSession(first.sessionId);
    await app.waitFor('notification-closed', (data: { id: number }) => data.id === ring.data.id, 5000);

    const second = await createDemoSession(server.url, mentorToken);
    const secondRing = await app.waitFor<{ id: number }>('notification-shown', (data) => data.id !== ring.data.id, 5000);
    await app.command('close-window', { id: 1 });
    await app.command('click-notification', { id: secondRing.data.id });
    await until('the meeting route', async () => (await route(page)).startsWith('/meeting'));
    expect(new URLSearchParams((await route(page)).split('?')[1]).get('sessionId')).toBe(second.sessionId);
    expect(await app.command('windows')).toEqual([expect.objectContaining({ visible: true, focused: true })]);
    await endSession(second.sessionId);
  });

  it('a cold-start deep link reaches the meeting route', async () => {
    const userData = settingsFor();
    const first = launch({ userData });
    await signInThroughWindow(await appPage(chromium, appPort), 'L001');
    await first.command('click-tray-item', { label: 'Quit Classroom' });
    expect(await first.exited).toBe(0);

    const session = await createDemoSession(server.url, await login(server.url, 'mentor_001'));
    const app = launch({ userData, args: [`classroom://join?session=${session.sessionId}`] });
    const page = await appPage(chromium, appPort);
    await until('the meeting route after a cold start', async () => (await route(page)).startsWith('/meeting'), 15_000);
    expect(app.process.exitCode).toBeNull();
    await endSession(session.sessionId);
  });

  it('a second instance hands its link over and exits 0; a link during a meeting asks before leaving it', async () => {
    const userData = settingsFor();
    const app = launch({ userData });
    const page = await appPage(chromium, appPort);
    await signInThroughWindow(page, 'L001');
    const session = await createDemoSession(server.url, await login(server.url, 'mentor_001'));

    const second = launch({ userData, cdpUrl: undefined, args: [`classroom://join?session=${session.sessionId}`] });
    expect(await second.exited).toBe(0);
    await app.waitFor('second-instance');
    await until('the meeting route', async () => (await route(page)).startsWith('/meeting'));

    // Another link while in the meeting: the person is asked, and stays when they say no.
    const third = launch({ userData, cdpUrl: undefined, args: ['classroom://join?session=session_other'] });
    expect(await third.exited).toBe(0);
    const question = page.getByRole('alertdialog');
    await question.waitFor();
    await question.getByRole('button', { name: 'Stay in this meeting' }).click();
    await question.waitFor({ state: 'detached' });
    expect((await route(page)).startsWith('/meeting')).toBe(true);
    await endSession(session.sessionId);
  });

  it('closing the window keeps the app in the tray; Open brings it back', async () => {
    const app = launch({ userData: settingsFor() });
    await appPage(chromium, appPort);
    await app.waitFor('window-shown');
    await app.command('close-window', { id: 1 });
    expect(await app.command('windows')).toEqual([expect.objectContaining({ visible: false, destroyed: false })]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(app.process.exitCode).toBeNull();
    await app.command('click-tray-item', { label: 'Open Classroom' });
    expect(await app.command('windows')).toEqual([expect.objectContaining({ visible: true, focused: true })]);
  });

  it('tray Sign out signs the window out and revokes the token; signing out in the window signs main out', async () => {
    const app = launch({ userData: settingsFor() });
    const page = await appPage(chromium, appPort);
    await signInThroughWindow(page, 'L002');
    await until('main online', async () => (await trayState(app)).tooltip.includes('Connected'));
    const token = await page.evaluate(async () => (await (window as unknown as { classroom: { getState(): Promise<{ session: { accessToken: string } | null }> } }).classroom.getState()).session?.accessToken);
    expect(token).toBeTruthy();

    await app.command('click-tray-item', { label: 'Sign out' });
    await until('the window signed out', async () => (await route(page)).startsWith('/login'));
    expect((await call(server.url, 'GET', '/api/auth/me', { token: token! })).status).toBe(401);
    expect((await trayState(app)).menu.map((item) => item.label)).not.toContain('Sign out');

    await signInThroughWindow(page, 'L002');
    await until('main online again', async () => (await trayState(app)).tooltip.includes('Connected'));
    const second = await page.evaluate(async () => (await (window as unknown as { classroom: { getState(): Promise<{ session: { accessToken: string } | null }> } }).classroom.getState()).session?.accessToken);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await until('main signed out', async () => (await trayState(app)).tooltip.includes('Signed out'));
    expect((await call(server.url, 'GET', '/api/auth/me', { token: second! })).status).toBe(401);
  });

  it('hosts the embedded server from the app configuration, never the working folder; stops it when the URL moves and at Quit', async () => {
    const port = await freePort();
    const userData = userDataWith({ serverUrl: `http://127.0.0.1:${port}` });
    // A .env.local in the working folder must not reach the hosted server.
    writeFileSync(path.join(userData, '.env.local'), `ZEGO_APP_ID=123456789\nZEGO_SERVER_SECRET=${'a'.repeat(32)}\n`);
    const app = launch({ userData, env: { CLASSROOM_HOST_SERVER: '1' } });
    const forked = await app.waitFor<{ pid: number }>('utility-process-forked');
    const health = await until('the embedded server', async () => (await call(`http://127.0.0.1:${port}`, 'GET', '/api/health')).data);
    expect(health.engine).toBe('p2p');

    // Pointing the app at another server stops the hosted one.
    const page = await appPage(chromium, appPort);
    await page.evaluate(() => (window as unknown as { classroom: { setSetting(change: unknown): Promise<unknown> } }).classroom.setSetting({ key: 'serverUrl', value: 'https://classroom.school.example' }));
    await app.waitFor('utility-process-exited', (data: { pid: number }) => data.pid === forked.data.pid);
    await page.evaluate((url) => (window as unknown as { classroom: { setSetting(change: unknown): Promise<unknown> } }).classroom.setSetting({ key: 'serverUrl', value: url }), `http://127.0.0.1:${port}`);
    const again = await app.waitFor<{ pid: number }>('utility-process-forked', (data) => data.pid !== forked.data.pid);
    await until('the embedded server again', async () => (await call(`http://127.0.0.1:${port}`, 'GET', '/api/health')).status === 200);

    await app.command('click-tray-item', { label: 'Quit Classroom' });
    expect(await app.exited).toBe(0);
    await until('the embedded server process gone', () => {
      try {
        process.kill(again.data.pid, 0);
        return false;
      } catch {
        return true;
      }
    });
  });

  it('starts at login on Linux through an XDG autostart entry', async () => {
    const userData = settingsFor();
    const app = launch({ userData });
    const page = await appPage(chromium, appPort);
    const entry = path.join(userData, 'xdg-config', 'autostart', 'classroom.desktop');
    expect(existsSync(entry)).toBe(false);
    await page.evaluate(() => (window as unknown as { classroom: { setSetting(change: unknown): Promise<unknown> } }).classroom.setSetting({ key: 'startAtLogin', value: true }));
    const text = readFileSync(entry, 'utf8');
    expect(text).toMatch(/^\[Desktop Entry\]$/m);
    expect(text).toMatch(/^Type=Application$/m);
    expect(text).toMatch(/^Exec=.* --start-hidden$/m);
    await page.evaluate(() => (window as unknown as { classroom: { setSetting(change: unknown): Promise<unknown> } }).classroom.setSetting({ key: 'startAtLogin', value: false }));
    expect(existsSync(entry)).toBe(false);
    expect(app.process.exitCode).toBeNull();
  });

  it('screen sharing asks which screen or window, with names and thumbnails, and Cancel shares nothing', async () => {
    const app = launch({ userData: settingsFor() });
    const page = await appPage(chromium, appPort);
    await signInThroughWindow(page, 'L001');
    const share = () => page.evaluate(() => navigator.mediaDevices.getDisplayMedia({ video: true }).then((stream) => stream.getVideoTracks()[0]!.label, (error: Error) => `refused: ${error.name}`));

    let result = share();
    const picker = page.getByRole('dialog', { name: 'Share your screen' });
    await picker.waitFor();
    expect(await picker.locator('img').count()).toBe(2);
    await picker.getByRole('button', { name: 'Cancel' }).click();
    expect(await result).toBe('refused: NotAllowedError');

    result = share();
    await picker.getByRole('button', { name: /Lesson notes — Editor/ }).click();
    expect(await result).toBe('Lesson notes — Editor');
    expect(app.events.filter((e) => e.name === 'display-media').map((e) => e.data)).toEqual([{ source: null }, { source: { id: 'window:4242:0', name: 'Lesson notes — Editor' } }]);
  });
});

describe('the desktop sign-in lasts on the device (short-lived access tokens, rotating refresh tokens)', { timeout: 60_000 }, () => {
  let shortLived: TestServer;
  const ACCESS_TTL_MS = 3000;
  beforeAll(async () => {
    shortLived = await startTestServer({ env: { CLASSROOM_ALLOWED_ORIGINS: `http://127.0.0.1:${appPort}` }, options: { accessTokenTtlMs: ACCESS_TTL_MS } });
  });
  afterAll(() => shortLived?.close());

  const ringReaches = async (app: DesktopApp, studentId: string) => {
    const shown = app.events.filter((e) => e.name === 'notification-shown').length;
    const mentor = await login(shortLived.url, 'mentor_001');
    const booking = { L001: DEMO_BOOKING, L002: { ...DEMO_BOOKING, studentId: 'L002', slotId: 'tue-14-15', sessionType: 'Pronunciation Coaching' } }[studentId]!;
    const session = await createDemoSession(shortLived.url, mentor, booking);
    await until('the ring on screen', () => app.events.filter((e) => e.name === 'notification-shown').length > shown);
    await call(shortLived.url, 'POST', `/api/sessions/${session.sessionId}/end`, { token: mentor });
  };

  it('a student app signed in "yesterday" still rings without a password; while running it renews before expiry', async () => {
    const userData = userDataWith({ serverUrl: shortLived.url });
    const first = launch({ userData });
    await signInThroughWindow(await appPage(chromium, appPort), 'L001');
    await first.command('click-tray-item', { label: 'Quit Classroom' });
    expect(await first.exited).toBe(0);
    // The stored access token is now dead; the refresh token in the keychain is not.
    await new Promise((resolve) => setTimeout(resolve, ACCESS_TTL_MS + 500));

    const app = launch({ userData });
    await until('main online without a password', async () => (await trayState(app)).tooltip.includes('Connected'));
    await ringReaches(app, 'L001');
    // Two more access-token lives go by with the app running: it renews on its own.
    await new Promise((resolve) => setTimeout(resolve, ACCESS_TTL_MS * 2 + 500));
    expect((await trayState(app)).tooltip).toContain('Connected');
    await ringReaches(app, 'L001');
    const page = await appPage(chromium, appPort);
    const session = await page.evaluate(async () => (await (window as unknown as { classroom: { getState(): Promise<{ session: { expiresAt: string } | null }> } }).classroom.getState()).session);
    expect(Date.parse(session!.expiresAt)).toBeGreaterThan(Date.now());
    // The window never holds the refresh token.
    expect(JSON.stringify(session)).not.toContain('refresh');
  });

  it('when the device is signed out elsewhere, the app says so — an OS notification and the tray — and asks for a sign-in', async () => {
    const app = launch({ userData: userDataWith({ serverUrl: shortLived.url }) });
    const page = await appPage(chromium, appPort);
    await signInThroughWindow(page, 'L002');
    await until('main online', async () => (await trayState(app)).tooltip.includes('Connected'));
    // The student signs this device out from another one (the devices list).
    const other = (await call(shortLived.url, 'POST', '/api/auth/login', { body: { userId: 'L002', password: 'demo' } })).data.accessToken as string;
    const devices = (await call(shortLived.url, 'GET', '/api/auth/devices', { token: other })).data.devices as Array<{ id: string; current: boolean }>;
    for (const device of devices.filter((d) => !d.current)) expect((await call(shortLived.url, 'DELETE', `/api/auth/devices/${device.id}`, { token: other })).status).toBe(200);

    const notice = await app.waitFor<{ body: string }>('notification-shown', (data) => data.body.includes('Sign in again'), 15_000);
    expect(notice.data.body).toBe("Sign in again to receive your mentor's calls.");
    await until('the window back at sign-in', async () => (await route(page)).startsWith('/login'));
    expect((await trayState(app)).menu.map((item) => item.label)).not.toContain('Sign out');
  });
});

describe('what happened to a ring while the app was offline is asked on reconnect (those events went to nobody)', { timeout: 90_000 }, () => {
  it('a session ended while offline, then a ring declined elsewhere while offline: each OS ring and tray entry goes when the line is back', async () => {
    const port = await freePort();
    const dataDir = await makeTempDir();
    const serve = () => startTestServer({ port, dataDir, env: { CLASSROOM_ALLOWED_ORIGINS: `http://127.0.0.1:${appPort}` } });
    let own = await serve();
    try {
      const app = launch({ userData: userDataWith({ serverUrl: own.url }) });
      await signInThroughWindow(await appPage(chromium, appPort), 'L001');
      const online = () => until('main online', async () => (await trayState(app)).tooltip.includes('Connected'), 30_000);
      await online();
      const waiting = async () => (await trayState(app)).menu.some((item) => item.label?.startsWith('Join: '));
      // Each round: a ring on screen, the server away, the ring changed in the store meanwhile, the server back.
      const round = async (change: (store: JsonClassroomStore, sessionId: string) => Promise<unknown>) => {
        const shown = app.events.filter((e) => e.name === 'notification-shown').length;
        const session = await startDemoSession(own.url, await login(own.url, 'mentor_001'));
        await until('the ring on screen', () => app.events.filter((e) => e.name === 'notification-shown').length > shown, 10_000);
        const ring = app.events.filter((e) => e.name === 'notification-shown')[shown] as { data: { id: number } };
        expect(await waiting()).toBe(true);
        await own.close();
        await until('main offline', async () => (await trayState(app)).tooltip.includes('Offline'), 15_000);
        const store = await JsonClassroomStore.open(dataDir);
        await change(store, session.sessionId);
        await store.close();
        own = await serve();
        await online();
        await app.waitFor('notification-closed', (data: { id: number }) => data.id === ring.data.id, 10_000);
        await until('no ring waiting in the tray', async () => !(await waiting()));
        return session.sessionId;
      };
      await round((store, sessionId) => store.endSession(sessionId, new Date().toISOString(), 'ended_by_mentor'));
      const declined = await round((store, sessionId) => store.answerRing(sessionId, 'declined', new Date().toISOString(), 'On another device'));
      await call(own.url, 'POST', `/api/sessions/${declined}/end`, { token: await login(own.url, 'mentor_001') });
    } finally {
      await own.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('a ring rung again while the app is asking is not withdrawn by the older answer (the answer held 3 s on the way)', async () => {
    const port = await freePort();
    const dataDir = await makeTempDir();
    const serve = () => startTestServer({ port, dataDir, env: { CLASSROOM_ALLOWED_ORIGINS: `http://127.0.0.1:${appPort}`, CLASSROOM_RING_SECONDS: '5' } });
    let own = await serve();
    try {
      const app = launch({ userData: userDataWith({ serverUrl: own.url }), env: { STANDIN_SLOW_ANSWERS: '/api/student/sessions=3000' } });
      await signInThroughWindow(await appPage(chromium, appPort), 'L001');
      await until('main online', async () => (await trayState(app)).tooltip.includes('Connected'), 30_000);
      const shown = () => app.events.filter((e) => e.name === 'notification-shown') as Array<{ data: { id: number } }>;
      const session = await startDemoSession(own.url, await login(own.url, 'mentor_001'));
      await until('the ring on screen', () => shown().length === 1, 10_000);
      await own.close();
      await until('main offline', async () => (await trayState(app)).tooltip.includes('Offline'), 15_000);
      await new Promise((resolve) => setTimeout(resolve, 5500)); // the ring runs out while the app is away
      own = await serve();
      // Back online, main asks; the answer ("missed") is on its way when the mentor rings again.
      await app.waitFor('net-fetch-held', (data: { url: string }) => data.url.endsWith('/api/student/sessions'), 30_000);
      expect((await call(own.url, 'POST', `/api/sessions/${session.sessionId}/ring`, { token: await login(own.url, 'mentor_001') })).status).toBe(200);
      await until('the second ring on screen', () => shown().length === 2, 10_000);
      const second = shown()[1]!;
      await new Promise((resolve) => setTimeout(resolve, 3500)); // the held answer has arrived and been read
      expect(app.events.some((e) => e.name === 'notification-closed' && (e.data as { id: number }).id === second.data.id)).toBe(false);
      expect((await trayState(app)).menu.some((item) => item.label?.startsWith('Join: '))).toBe(true);
      await call(own.url, 'POST', `/api/sessions/${session.sessionId}/end`, { token: await login(own.url, 'mentor_001') });
    } finally {
      await own.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('an enrolment code in the desktop app (main signs in; the window routes and chooses the password)', { timeout: 60_000 }, () => {
  it('the code typed in the window leads to choosing a password; main then holds the only sign-in of that user', async () => {
    const report = await importDirectory(server.app.store, { users: { name: 'users.csv', text: 'id,name,role,password,time_zone,slots\nS950,Hồ Xuân Mai,student,,,\n' } }, { nowIso: new Date().toISOString() });
    const code = report.enrolmentCodes[0]!.code;
    const app = launch({ userData: settingsFor() });
    const page = await appPage(chromium, appPort);
    await page.getByLabel(/User ID|Mã người dùng/).fill('S950');
    await page.getByLabel(/^(Password|Mật khẩu)$/).fill(code);
    await page.getByRole('button', { name: /^(Sign in|Đăng nhập)$/ }).click();
    // Main answered the window { ok: false, status: 403, code: 'PASSWORD_SETUP_REQUIRED' }.
    await page.getByRole('heading', { name: /Choose your password|Chọn mật khẩu của bạn/ }).waitFor();
    expect(await route(page)).toBe('/set-password');
    await page.getByLabel(/^(New password|Mật khẩu mới)$/).fill('mai-password-1');
    await page.getByLabel(/Repeat the new password|Nhập lại mật khẩu mới/).fill('mai-password-1');
    await page.getByRole('button', { name: /Save password and sign in|Lưu mật khẩu và đăng nhập/ }).click();
    await until('S950 signed in', async () => (await route(page)) === '/inbox');
    await until('main online', async () => (await trayState(app)).tooltip.includes('Connected'));
    const token = await page.evaluate(async () => (await (window as unknown as { classroom: { getState(): Promise<{ session: { accessToken: string } | null }> } }).classroom.getState()).session?.accessToken);
    // The sign-in the set-password answer made was handed back: one device, main's.
    const devices = await call(server.url, 'GET', '/api/auth/devices', { token: token! });
    expect(devices.data.devices).toHaveLength(1);
    expect(devices.data.devices[0].current).toBe(true);
    expect((await call(server.url, 'POST', '/api/auth/login', { body: { userId: 'S950', password: code } })).status).toBe(401);
  });
});

describe('a ring lands on every OS like a call (main run as win32, darwin, linux under the stand-in)', { timeout: 60_000 }, () => {
  const appId = (yaml.load(readFileSync(path.join(__dirname, '../../electron-builder.yml'), 'utf8')) as { appId: string }).appId;
  const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });
  type Ring = { id: number; title: string; body: string; toastXml?: string; actions?: Array<{ type: string; text: string }>; urgency?: string; sound?: string; silent: boolean; timeoutType?: string };

  async function ringOn(platform: NodeJS.Platform, studentId = 'L001') {
    const userData = settingsFor();
    const app = launch({ userData, platform });
    const page = await appPage(chromium, appPort);
    await signInThroughWindow(page, studentId);
    await until('main online', async () => (await trayState(app)).tooltip.includes('Connected'));
    const session = await createDemoSession(server.url, await login(server.url, 'mentor_001'));
    const ring = await app.waitFor<Ring>('notification-shown', undefined, 5000);
    return { app, page, session, ring, userData };
  }

  it('Windows: the AppUserModelID is the installer\'s appId before the first toast; an incoming-call toast with Join and Decline as protocol links; the taskbar flashes until answered', async () => {
    const { app, session, ring, userData } = await ringOn('win32');
    const aumid = app.events.findIndex((e) => e.name === 'app-user-model-id');
    expect(app.events[aumid]?.data).toEqual({ id: appId });
    expect(aumid).toBeLessThan(app.events.findIndex((e) => e.name === 'notification-shown'));

    expect(XMLValidator.validate(ring.data.toastXml!)).toBe(true);
    const { toast } = xml.parse(ring.data.toastXml!) as { toast: Record<string, any> };
    expect(toast).toMatchObject({ scenario: 'incomingCall', activationType: 'protocol' });
    expect(parseDeepLink(toast.launch)).toEqual({ action: 'join', sessionId: session.sessionId });
    expect(toast.audio).toMatchObject({ src: 'ms-winsoundevent:Notification.Looping.Call', loop: 'true' });
    const texts = toast.visual.binding.text.map((t: string | { '#text': string }) => (typeof t === 'string' ? t : t['#text']));
    expect(texts).toEqual(['Your mentor has started the session!', 'Nguyễn Văn Minh', expect.stringMatching(/^Speaking Practice · \d{2}:\d{2}–\d{2}:\d{2}$/)]);
    const buttons = toast.actions.action as Array<Record<string, string>>;
    expect(buttons.map((b) => [b.content, b.activationType, parseDeepLink(b.arguments!)])).toEqual([
      ['Join', 'protocol', { action: 'join', sessionId: session.sessionId }],
      ['Decline', 'protocol', { action: 'decline', sessionId: session.sessionId }],
    ]);
    await app.waitFor('window-flash', (data: { flag: boolean }) => data.flag);
    expect(app.events.filter((e) => e.name === 'window-flash').map((e) => (e.data as { flag: boolean }).flag)).toEqual([true]);

    // Join from the toast while the app runs: Windows starts the protocol link, a second instance hands it over.
    const second = launch({ userData, platform: 'win32', cdpUrl: undefined, args: [toast.launch] });
    expect(await second.exited).toBe(0);
    await app.waitFor('window-flash', (data: { flag: boolean }) => data.flag === false);
    await endSession(session.sessionId);
  });

  it('Windows: a toast clicked after the app quit opens the meeting (cold start through the deep-link path)', async () => {
    const userData = settingsFor();
    const first = launch({ userData, platform: 'win32' });
    await signInThroughWindow(await appPage(chromium, appPort), 'L001');
    const session = await createDemoSession(server.url, await login(server.url, 'mentor_001'));
    const ring = await first.waitFor<Ring>('notification-shown', undefined, 5000);
    const { toast } = xml.parse(ring.data.toastXml!) as { toast: { actions: { action: Array<{ arguments: string }> } } };
    await first.command('click-tray-item', { label: 'Quit Classroom' });
    expect(await first.exited).toBe(0);
    // The toast stays in the Action Center; its Join button starts the app with its link.
    const app = launch({ userData, platform: 'win32', args: [toast.actions.action[0]!.arguments] });
    const page = await appPage(chromium, appPort);
    await until('the meeting route after a cold start from the toast', async () => (await route(page)).startsWith('/meeting'), 15_000);
    expect(new URLSearchParams((await route(page)).split('?')[1]).get('sessionId')).toBe(session.sessionId);
    expect(app.process.exitCode).toBeNull();
    await endSession(session.sessionId);
  });

  it('Windows: Decline on a toast after the app quit declines from the tray, with no window and no meeting', async () => {
    const userData = settingsFor();
    const first = launch({ userData, platform: 'win32' });
    await signInThroughWindow(await appPage(chromium, appPort), 'L001');
    await first.command('click-tray-item', { label: 'Quit Classroom' });
    expect(await first.exited).toBe(0);
    const session = await createDemoSession(server.url, await login(server.url, 'mentor_001'));
    const mentor = await connectSocket(server.url, await login(server.url, 'mentor_001'));
    const heard = collect(mentor, 'ring_state');

    const app = launch({ userData, platform: 'win32', args: [deepLinkUrl({ action: 'decline', sessionId: session.sessionId })] });
    await until('the mentor hearing the decline', () => heard.some((event) => event.sessionId === session.sessionId && event.ring.state === 'declined'), 15_000);
    mentor.close();
    expect(await app.command('windows')).toEqual([expect.objectContaining({ visible: false })]);
    expect(app.events.filter((e) => e.name === 'notification-shown')).toEqual([]);
    expect(app.process.exitCode).toBeNull();
  });

  it('macOS: Join and Decline actions with sound; the dock bounces until answered, with a badge of waiting rings', async () => {
    const { app, session, ring } = await ringOn('darwin');
    expect(ring.data).toMatchObject({ silent: false, sound: 'Ping', actions: [{ type: 'button', text: 'Join' }, { type: 'button', text: 'Decline' }] });
    expect(ring.data.toastXml).toBeUndefined();
    await app.waitFor('dock-bounce');
    expect(app.events.filter((e) => e.name === 'dock-bounce').map((e) => e.data)).toEqual([{ type: 'critical' }]);
    await until('a badge of one waiting ring', () => (app.events.filter((e) => e.name === 'badge-count').at(-1)?.data as { count: number }).count === 1);

    const mentor = await connectSocket(server.url, await login(server.url, 'mentor_001'));
    const heard = collect(mentor, 'ring_state');
    await app.command('notification-action', { id: ring.data.id, index: 1 });
    await app.waitFor('dock-cancel-bounce');
    // The mentor hears it live, exactly as a Decline in the window.
    await until('the mentor hearing the decline', () => heard.some((event) => event.sessionId === session.sessionId && event.ring.state === 'declined'));
    mentor.close();
    await app.waitFor('net-fetch', (data: { url: string; method: string }) => data.method === 'POST' && data.url.endsWith(`/api/sessions/${session.sessionId}/decline`));
    await until('no badge', () => (app.events.filter((e) => e.name === 'badge-count').at(-1)?.data as { count: number }).count === 0);
    await endSession(session.sessionId);
  });

  it('Linux: critical urgency, the taskbar flashes, the tray shows the waiting ring; Test ring shows a sample; a machine that cannot show notifications is told so in the tray and the window', async () => {
    const { app, session, ring } = await ringOn('linux');
    expect(ring.data).toMatchObject({ urgency: 'critical', timeoutType: 'never', silent: false });
    expect(ring.data.actions).toBeUndefined();
    await app.waitFor('window-flash', (data: { flag: boolean }) => data.flag);
    expect(app.events.filter((e) => e.name === 'window-flash').map((e) => (e.data as { flag: boolean }).flag)).toEqual([true]);
    const tray = await trayState(app);
    expect(tray.tooltip).toContain('1 waiting');
    expect(tray.menu.some((item) => item.label === 'Join: Speaking Practice — Nguyễn Văn Minh')).toBe(true);
    // Declined on another device (the web client): the OS ring here goes away, the flashing stops.
    expect((await call(server.url, 'POST', `/api/sessions/${session.sessionId}/decline`, { token: await login(server.url, 'L001') })).status).toBe(200);
    await app.waitFor('notification-closed', (data: { id: number }) => data.id === ring.data.id);
    await app.waitFor('window-flash', (data: { flag: boolean }) => data.flag === false);
    await endSession(session.sessionId);

    await app.command('click-tray-item', { label: 'Test ring' });
    const sample = await app.waitFor<Ring>('notification-shown', (data) => data.body.includes('Test ring'));
    expect(sample.data.title).toBe('Your mentor has started the session!');

    await app.command('click-tray-item', { label: 'Quit Classroom' });
    expect(await app.exited).toBe(0);
    const deaf = launch({ userData: settingsFor(), platform: 'linux', env: { STANDIN_NOTIFICATIONS: 'unsupported' } });
    await until('the tray saying rings cannot show', async () => (await trayState(deaf)).menu.some((item) => item.label === '⚠ This computer cannot show notifications' && !item.enabled));
    const banner = (await appPage(chromium, appPort)).getByRole('alert');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('This computer cannot show notifications.');
  });
});

describe('the desktop-only screens, in both languages (UPDATE_SCREENSHOTS=1 writes docs/screenshots/desktop-*)', { timeout: 90_000 }, () => {
  const shoot = async (page: Page, name: string) => {
    if (process.env.UPDATE_SCREENSHOTS === '1') await page.screenshot({ path: path.join(__dirname, '../../docs/screenshots', `${name}.png`) });
  };

  it.each([
    ['en', { picker: 'Share your screen', leave: 'Leave this meeting?', stay: 'Stay in this meeting', banner: 'This computer cannot show notifications.' }],
    ['vi', { picker: 'Chia sẻ màn hình', leave: 'Rời buổi học này?', stay: 'Ở lại buổi học này', banner: 'Máy tính này không hiển thị được thông báo.' }],
  ] as const)('%s: the screen picker, the leave-this-meeting question, the cannot-ring banner', async (language, text) => {
    const userData = settingsFor({ language });
    launch({ userData, env: { STANDIN_NOTIFICATIONS: 'unsupported' } });
    const page = await appPage(chromium, appPort);
    await page.setViewportSize({ width: 1280, height: 800 });
    await signInThroughWindow(page, 'L001');
    const banner = page.getByRole('alert').filter({ hasText: text.banner });
    await banner.waitFor();
    await shoot(page, `desktop-cannot-ring-${language}`);

    const sharing = page.evaluate(() => navigator.mediaDevices.getDisplayMedia({ video: true }).then(() => 'shared', () => 'refused'));
    const picker = page.getByRole('dialog', { name: text.picker });
    await picker.waitFor();
    await page.waitForFunction(() => Array.from(document.querySelectorAll('.screen-source img')).every((img) => (img as HTMLImageElement).complete));
    await shoot(page, `desktop-screen-picker-${language}`);
    await page.keyboard.press('Escape');
    expect(await sharing).toBe('refused');

    const session = await createDemoSession(server.url, await login(server.url, 'mentor_001'));
    const ask = launch({ userData, cdpUrl: undefined, args: [`classroom://join?session=${session.sessionId}`] });
    expect(await ask.exited).toBe(0);
    await until('the meeting route', async () => (await route(page)).startsWith('/meeting'));
    const other = launch({ userData, cdpUrl: undefined, args: ['classroom://join?session=session_other'] });
    expect(await other.exited).toBe(0);
    const question = page.getByRole('alertdialog', { name: text.leave });
    await question.waitFor();
    expect(await question.getByRole('button', { name: text.stay }).evaluate((button) => button === document.activeElement)).toBe(true);
    await shoot(page, `desktop-leave-meeting-${language}`);
    await endSession(session.sessionId);
  });
});

describe('the Electron stand-in itself', () => {
  it('fails loudly on an Electron member it does not implement and on a broken lifecycle rule', async () => {
    const dir = tempDir('classroom-stand-in-');
    const script = path.join(dir, 'probe.js');
    writeFileSync(
      script,
      `const { app, BrowserWindow } = require('electron');
       try { new BrowserWindow({}); } catch (e) { console.error('refused:', e.message); }
       app.whenReady().then(() => { try { app.getGPUFeatureStatus(); } catch (e) { console.error('refused:', e.message); } app.exit(0); });`,
    );
    const probe = launchDesktop({ userData: dir, appPort: 0, script });
    expect(await probe.exited).toBe(0);
    expect(probe.failures().map((f) => (f.data as { message: string }).message)).toEqual([
      'BrowserWindow cannot be used before the app is ready (Electron throws here)',
      expect.stringMatching(/^app\.getGPUFeatureStatus is not implemented by the Electron stand-in/),
    ]);
  });
});
