/**
 * The only place `webPreferences` are set. Every window is sandboxed, context-isolated, without
 * Node, and may neither open new windows nor navigate away from our own origin. Electron APIs
 * arrive as parameters so this module runs under vitest without an Electron binary.
 */
import type { BrowserWindow, BrowserWindowConstructorOptions, WebContents } from 'electron';

export interface WindowDeps {
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindow;
  openExternal: (url: string) => Promise<void>;
}

export const SECURE_WEB_PREFERENCES = {
  sandbox: true,
  contextIsolation: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  navigateOnDragDrop: false,
  spellcheck: false,
} as const;

/** Only https links leave the app, to the OS browser; everything else is dropped. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}

/** Locks a window's web contents to `appOrigin`. */
export function lockDownContents(contents: WebContents, appOrigin: string, openExternal: (url: string) => Promise<void>): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (new URL(url).origin !== appOrigin) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export function createMainWindow(deps: WindowDeps, options: { preloadPath: string; appOrigin: string; url: string }): BrowserWindow {
  const window = new deps.BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 520,
    show: false,
    title: 'Classroom',
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: options.preloadPath },
  });
  lockDownContents(window.webContents, options.appOrigin, deps.openExternal);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.url);
  return window;
}
