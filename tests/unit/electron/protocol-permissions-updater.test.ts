import { EventEmitter } from 'node:events';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { APP_ORIGIN, contentSecurityPolicy, resolveAppFile } from '../../../electron/main/app-protocol';
import { UpdateController, type AutoUpdaterLike } from '../../../electron/main/updater';
import { installPermissionPolicy, isPermissionAllowed, isSafeExternalUrl, SECURE_WEB_PREFERENCES } from '../../../electron/main/windows';

const ROOT = path.resolve('/opt/classroom/out/renderer');

describe('classroom-app:// protocol', () => {
  it('serves files inside the renderer folder, and the shell for client routes', () => {
    expect(resolveAppFile(`${APP_ORIGIN}/assets/index-abc.js`, ROOT)).toBe(path.join(ROOT, 'assets/index-abc.js'));
    expect(resolveAppFile(`${APP_ORIGIN}/`, ROOT)).toBe(path.join(ROOT, 'index.html'));
    expect(resolveAppFile(`${APP_ORIGIN}/meeting?roomId=room_a&token=04a%2Bb`, ROOT)).toBe(path.join(ROOT, 'index.html'));
  });

  it.each([`${APP_ORIGIN}/../../../etc/passwd`, `${APP_ORIGIN}/%2e%2e/%2e%2e/etc/passwd.txt`])('keeps dot segments inside the folder: %s', (url) => {
    const file = resolveAppFile(url, ROOT);
    expect(file === null || file.startsWith(ROOT + path.sep)).toBe(true);
  });

  it.each([
    `${APP_ORIGIN}/..%2f..%2f..%2fetc/passwd`,
    `${APP_ORIGIN}/assets/..%2f..%2f..%2f..%2fetc%2fshadow.txt`,
    `${APP_ORIGIN}/assets/%00.js`,
    `${APP_ORIGIN}/%E0%A4%A`,
    'classroom-app://evil/assets/index.js',
    'file:///etc/passwd',
    'not a url',
  ])('refuses %s', (url) => {
    expect(resolveAppFile(url, ROOT)).toBeNull();
  });

  it('builds a CSP that allows only our code and the configured server', () => {
    const csp = contentSecurityPolicy('https://classroom.school.example', false);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self' https://classroom.school.example wss://classroom.school.example");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(contentSecurityPolicy(null, true)).toContain("connect-src 'self' https: wss:");
  });
});

describe('windows and permissions (fake session: no Electron binary here)', () => {
  it('sets the secure web preferences', () => {
    expect(SECURE_WEB_PREFERENCES).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true });
  });

  it('grants camera, microphone, screen and notifications to our own pages only', () => {
    expect(isPermissionAllowed('media', `${APP_ORIGIN}/meeting`, APP_ORIGIN)).toBe(true);
    expect(isPermissionAllowed('display-capture', `${APP_ORIGIN}/meeting`, APP_ORIGIN)).toBe(true);
    expect(isPermissionAllowed('media', 'https://evil.example/', APP_ORIGIN)).toBe(false);
    expect(isPermissionAllowed('geolocation', `${APP_ORIGIN}/`, APP_ORIGIN)).toBe(false);
    expect(isPermissionAllowed('openExternal', `${APP_ORIGIN}/`, APP_ORIGIN)).toBe(false);

    const session = { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() };
    installPermissionPolicy(session, APP_ORIGIN);
    const request = session.setPermissionRequestHandler.mock.calls[0]![0];
    const decisions: boolean[] = [];
    request({ getURL: () => `${APP_ORIGIN}/` }, 'media', (granted: boolean) => decisions.push(granted), { requestingUrl: `${APP_ORIGIN}/meeting` });
    request({ getURL: () => 'https://evil.example' }, 'media', (granted: boolean) => decisions.push(granted), {});
    expect(decisions).toEqual([true, false]);
    expect(session.setPermissionCheckHandler.mock.calls[0]![0](null, 'media', 'https://evil.example')).toBe(false);
  });

  it('lets only plain https links out to the OS browser', () => {
    expect(isSafeExternalUrl('https://docs.example.org/help')).toBe(true);
    for (const url of ['http://example.org', 'file:///etc/passwd', 'smb://share/x', 'javascript:alert(1)', 'https://user:pw@example.org', 'ms-msdt:foo']) {
      expect(isSafeExternalUrl(url)).toBe(false);
    }
  });
});

describe('updates (fake electron-updater)', () => {
  function fakeUpdater() {
    const emitter = new EventEmitter() as EventEmitter & AutoUpdaterLike;
    emitter.autoDownload = false;
    emitter.autoInstallOnAppQuit = false;
    emitter.checkForUpdates = vi.fn(async () => null);
    emitter.quitAndInstall = vi.fn();
    return emitter;
  }

  it('never checks when policy turns updates off', () => {
    const updater = fakeUpdater();
    const controller = new UpdateController(updater, { enabled: () => false, inMeeting: () => false });
    controller.start(1000);
    expect(updater.checkForUpdates).not.toHaveBeenCalled();
    controller.stop();
  });

  it('checks when allowed, installs on quit, and never restarts during a meeting', () => {
    const updater = fakeUpdater();
    let inMeeting = true;
    const ready = vi.fn();
    const controller = new UpdateController(updater, { enabled: () => true, inMeeting: () => inMeeting, onReady: ready });
    controller.start(1000);
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(1);
    expect(updater.autoInstallOnAppQuit).toBe(true);
    expect(controller.restartToUpdate()).toBe(false); // nothing downloaded yet
    updater.emit('update-downloaded');
    expect(ready).toHaveBeenCalled();
    expect(controller.restartToUpdate()).toBe(false); // in a meeting
    expect(updater.quitAndInstall).not.toHaveBeenCalled();
    inMeeting = false;
    expect(controller.restartToUpdate()).toBe(true);
    expect(updater.quitAndInstall).toHaveBeenCalledTimes(1);
    controller.stop();
  });
});
