/**
 * The only place `webPreferences` are set. Every window is sandboxed, context-isolated, without
 * Node, and may neither open new windows nor navigate away from our own origin. Electron APIs
 * arrive as parameters so this module runs under vitest without an Electron binary.
 */
import type { BrowserWindow, BrowserWindowConstructorOptions, WebContents } from 'electron';
import { originOf } from './ipc';

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
    if (originOf(url) !== appOrigin) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (originOf(url) !== appOrigin) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Camera, microphone, screen and notifications — for our own pages only; nothing else, for no one. */
const GRANTED_PERMISSIONS = new Set(['media', 'display-capture', 'notifications', 'fullscreen', 'clipboard-sanitized-write']);

export function isPermissionAllowed(permission: string, requestingUrl: string, appOrigin: string): boolean {
  return GRANTED_PERMISSIONS.has(permission) && originOf(requestingUrl) === appOrigin;
}

export interface SessionLike {
  setPermissionRequestHandler(handler: (contents: WebContents, permission: string, callback: (granted: boolean) => void, details: { requestingUrl?: string }) => void): void;
  setPermissionCheckHandler(handler: (contents: WebContents | null, permission: string, requestingOrigin: string) => boolean): void;
}

export function installPermissionPolicy(session: SessionLike, appOrigin: string): void {
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl ?? contents.getURL(), appOrigin));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionAllowed(permission, requestingOrigin, appOrigin));
}

export function createMainWindow(deps: WindowDeps, options: { preloadPath: string; appOrigin: string; url: string; show?: boolean }): BrowserWindow {
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
  if (options.show !== false) window.once('ready-to-show', () => window.show());
  void window.loadURL(options.url);
  return window;
}
