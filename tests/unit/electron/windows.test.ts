/** The one place windows are made, with FAKE BrowserWindow/WebContents (no Electron binary here). */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { APP_ORIGIN } from '../../../electron/main/app-protocol';
import { createMainWindow, lockDownContents } from '../../../electron/main/windows';

function fakeContents() {
  const handlers = new Map<string, (event: { preventDefault(): void }, url: string) => void>();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  return {
    contents: {
      setWindowOpenHandler: (handler: typeof openHandler) => (openHandler = handler),
      on: (event: string, handler: (event: { preventDefault(): void }, url: string) => void) => handlers.set(event, handler),
    },
    open: (url: string) => openHandler!({ url }),
    navigate(event: string, url: string) {
      const preventDefault = vi.fn();
      handlers.get(event)?.({ preventDefault }, url);
      return preventDefault.mock.calls.length > 0;
    },
  };
}

describe('locked-down windows', () => {
  it('denies every new window, sending only https links to the OS browser', () => {
    const fake = fakeContents();
    const openExternal = vi.fn(async () => undefined);
    lockDownContents(fake.contents as never, APP_ORIGIN, openExternal);
    expect(fake.open('https://help.example.org/')).toEqual({ action: 'deny' });
    expect(fake.open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(fake.open(`${APP_ORIGIN}/index.html`)).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([['https://help.example.org/']]);
  });

  it('keeps navigation and redirects on our own origin, and refuses webviews', () => {
    const fake = fakeContents();
    lockDownContents(fake.contents as never, APP_ORIGIN, vi.fn());
    expect(fake.navigate('will-navigate', `${APP_ORIGIN}/index.html#/inbox`)).toBe(false);
    expect(fake.navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(fake.navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fake.navigate('will-redirect', 'https://evil.example/')).toBe(true);
    expect(fake.navigate('will-attach-webview', 'anything')).toBe(true);
  });

  it('creates the main window with the secure preferences and our preload', () => {
    const constructed: any[] = [];
    class FakeWindow {
      webContents = fakeContents().contents;
      constructor(options: unknown) {
        constructed.push(options);
      }
      once() {}
      loadURL = vi.fn(async () => undefined);
    }
    createMainWindow({ BrowserWindow: FakeWindow as never, openExternal: vi.fn() }, { preloadPath: '/app/out/preload/index.cjs', appOrigin: APP_ORIGIN, url: `${APP_ORIGIN}/index.html` });
    expect(constructed[0].webPreferences).toEqual(
      expect.objectContaining({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, preload: '/app/out/preload/index.cjs' }),
    );
  });

  it('has the three bundles built by `npm run build` (main, sandboxed CommonJS preload, renderer)', () => {
    const out = path.resolve(__dirname, '../../../out');
    for (const file of ['main/index.js', 'main/server.js', 'preload/index.cjs', 'renderer/index.html']) expect(existsSync(path.join(out, file)), file).toBe(true);
  });
});
