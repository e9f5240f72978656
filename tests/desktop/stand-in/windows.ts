/**
 * `BrowserWindow`, its `webContents` and `session.defaultSession`, backed by pages of a real
 * Chromium (Debian's, reached over the DevTools protocol at STANDIN_CDP_URL; the test connects to
 * the same browser to drive the pages). Each window's page gets the real preload (see
 * preload-sandbox.ts) through a small shim that calls the stand-in synchronously, so the bridge
 * behaves as Electron's contextBridge does: plain functions, data and callbacks cross, nothing else.
 * A headless browser has no window manager: visibility and focus are this module's bookkeeping.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import type http from 'node:http';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import ts from 'typescript';
import { emitToListeners, invokeHandler } from './ipc-main';
import { fromChromiumUrl, setBridgeHandler, STAND_IN_PATH, toChromiumUrl } from './protocol';
import { PreloadWorld } from './preload-sandbox';
import { config, electronEvent, fail, guard, lifecycle, report, requireReady } from './runtime';

/**
 * Injected as text, compiled by the TypeScript compiler alone: code compiled the way the rest of
 * the stand-in is (tsx, esbuild with kept names) would call helpers the page does not have.
 */
const PAGE_SHIM = ts.transpileModule(readFileSync(path.join(__dirname, 'page-shim.ts'), 'utf8'), { compilerOptions: { target: ts.ScriptTarget.ES2022, removeComments: true } }).outputText;

// ---- the browser -----------------------------------------------------------------------------

let browserPromise: Promise<{ browser: Browser; context: BrowserContext }> | null = null;
function browser(): Promise<{ browser: Browser; context: BrowserContext }> {
  if (!config.cdpUrl) fail('a BrowserWindow needs Chromium: STANDIN_CDP_URL is not set');
  browserPromise ??= chromium.connectOverCDP(config.cdpUrl).then((connected) => ({ browser: connected, context: connected.contexts()[0]! }));
  return browserPromise;
}

/** At exit: the app's windows go away with it (the browser itself belongs to the test). */
export async function closeWindowsForExit(): Promise<void> {
  await Promise.all([...windows.values()].map((window) => window.webContents.page?.close().catch(() => undefined)));
}

// ---- session.defaultSession --------------------------------------------------------------------

type PermissionCheck = (contents: unknown, permission: string, origin: string, details: unknown) => boolean;
type DisplayMediaHandler = (request: unknown, callback: (streams: { video?: { id: string; name: string } }) => void) => void;

const sessionState = {
  permissionCheck: null as PermissionCheck | null,
  permissionRequest: null as unknown,
  displayMedia: null as DisplayMediaHandler | null,
  displayMediaOptions: null as unknown,
  headersReceived: null as unknown,
};

const defaultSession = guard(
  {
    setPermissionRequestHandler(handler: unknown) {
      sessionState.permissionRequest = handler;
    },
    setPermissionCheckHandler(handler: PermissionCheck) {
      sessionState.permissionCheck = handler;
    },
    setDisplayMediaRequestHandler(handler: DisplayMediaHandler, options?: unknown) {
      sessionState.displayMedia = handler;
      sessionState.displayMediaOptions = options ?? null;
    },
    // Recorded, not applied: the page's responses here come from the stand-in's http origin.
    webRequest: guard(
      {
        onHeadersReceived(listener: unknown) {
          sessionState.headersReceived = listener;
        },
      },
      'WebRequest',
      'session.defaultSession.webRequest',
    ),
  },
  'Session',
  'session.defaultSession',
);

export function getDefaultSession(): typeof defaultSession {
  requireReady('session.defaultSession');
  return defaultSession;
}

// ---- windows ---------------------------------------------------------------------------------

let nextWindowId = 1;
const windows = new Map<number, StandInBrowserWindow>();

interface WindowRecord {
  id: number;
  visible: boolean;
  focused: boolean;
  minimized: boolean;
  destroyed: boolean;
  url: string;
  title: string;
  webPreferences: Record<string, unknown>;
  flashing: boolean;
}

class StandInWebContents extends EventEmitter {
  readonly id: number;
  page: Page | null = null;
  world: PreloadWorld | null = null;
  documentId = 0;
  readonly secret = randomBytes(16).toString('hex');
  openHandler: ((details: { url: string; frameName: string; features: string; disposition: string }) => { action: 'allow' | 'deny' }) | null = null;
  appNavigation = false;
  private readonly pageReady: Promise<Page>;

  constructor(
    readonly owner: StandInBrowserWindow,
    readonly preload: string | null,
  ) {
    super();
    this.id = owner.id;
    this.pageReady = this.openPage();
    this.pageReady.catch((error: unknown) => {
      if (!lifecycle.quitting) report('stand-in-failure', { message: `could not open a page: ${String(error)}` });
    });
  }

  private async openPage(): Promise<Page> {
    const { context } = await browser();
    const page = await context.newPage();
    this.page = page;
    const shimArgs = { endpoint: STAND_IN_PATH, windowId: this.id, secret: this.secret, hasPreload: this.preload !== null };
    await page.addInitScript({ content: `${PAGE_SHIM}\nelectronStandInPageShim(${JSON.stringify(shimArgs)});` });
    // Navigations the page starts itself are offered to will-navigate (loadURL's are not). Only
    // documents are intercepted (DevTools Fetch domain), so the page's other requests — the
    // bridge's synchronous ones among them — go straight through.
    const devtools = await page.context().newCDPSession(page);
    const { frameTree } = (await devtools.send('Page.getFrameTree')) as { frameTree: { frame: { id: string } } };
    const mainFrameId = frameTree.frame.id;
    devtools.on('Fetch.requestPaused', (paused: { requestId: string; frameId?: string; request: { url: string } }) => {
      const continueIt = () => devtools.send('Fetch.continueRequest', { requestId: paused.requestId }).catch(() => undefined);
      if (paused.frameId !== mainFrameId) return void continueIt();
      this.emit('did-start-loading');
      if (this.appNavigation) {
        this.appNavigation = false;
        return void continueIt();
      }
      const url = fromChromiumUrl(paused.request.url);
      const event = electronEvent({ url });
      this.emit('will-navigate', event, url);
      if (!event.defaultPrevented) return void continueIt();
      report('navigation-prevented', { url });
      void devtools.send('Fetch.failRequest', { requestId: paused.requestId, errorReason: 'Aborted' }).catch(() => undefined);
    });
    await devtools.send('Fetch.enable', { patterns: [{ urlPattern: '*', resourceType: 'Document', requestStage: 'Request' }] });
    page.on('domcontentloaded', () => this.emit('dom-ready'));
    page.on('load', () => {
      this.emit('did-finish-load');
      this.owner.firstLoad();
    });
    page.on('popup', (popup) => void this.popup(popup));
    page.on('close', () => this.owner.destroy());
    return page;
  }

  private async popup(popup: Page): Promise<void> {
    const url = fromChromiumUrl(popup.url());
    const decision = this.openHandler?.({ url, frameName: '', features: '', disposition: 'new-window' }) ?? { action: 'allow' };
    report('window-open', { url, action: decision.action });
    if (decision.action === 'deny') await popup.close();
  }

  async loadURL(url: string): Promise<void> {
    const page = await this.pageReady.catch((error: unknown) => {
      if (lifecycle.quitting) return null;
      throw error;
    });
    if (!page) return;
    await this.grantMediaIfAllowed(page, url);
    this.appNavigation = true;
    await page.goto(await toChromiumUrl(url), { waitUntil: 'load' });
  }

  /** The app's permission check decides whether the page may use camera and microphone. */
  private async grantMediaIfAllowed(page: Page, url: string): Promise<void> {
    const origin = new URL(url).origin === 'null' ? url.replace(/^([a-z-]+:\/\/[^/]*).*$/i, '$1') : new URL(url).origin;
    const allowed = sessionState.permissionCheck?.(guard(this, 'WebContents', 'webContents'), 'media', origin, { mediaType: 'video' }) ?? true;
    report('media-permission', { origin, allowed });
    if (allowed) await page.context().grantPermissions(['camera', 'microphone'], { origin: new URL(await toChromiumUrl(url)).origin });
  }

  /** The URL the page's last bridge call came from (DevTools events may lag behind it under load). */
  reportedUrl: string | null = null;

  getURL(): string {
    const url = this.page?.url();
    return fromChromiumUrl(url && url !== 'about:blank' ? url : (this.reportedUrl ?? url ?? ''));
  }

  send(channel: string, ...args: unknown[]): void {
    if (this.owner.destroyed) fail(`webContents.send('${channel}') on a destroyed window (Electron throws "Object has been destroyed")`);
    const heard = this.world?.deliver(channel, args) ?? false;
    report(heard ? 'ipc-sent' : 'ipc-unheard', { channel });
  }

  setWindowOpenHandler(handler: StandInWebContents['openHandler']): void {
    this.openHandler = handler;
  }

  isDestroyed(): boolean {
    return this.owner.destroyed;
  }

  isLoading(): boolean {
    return this.documentId === 0;
  }

  focus(): void {
    this.owner.focus();
  }

  reload(): void {
    this.appNavigation = true;
    void this.page?.reload();
  }

  /** The main frame, as IPC events report it: the URL of the document that called. */
  get mainFrame() {
    return { url: this.reportedUrl ? fromChromiumUrl(this.reportedUrl) : this.getURL(), parent: null, top: null, frameTreeNodeId: 1, processId: 1, routingId: 1 };
  }
}

export class StandInBrowserWindow extends EventEmitter {
  readonly id = nextWindowId++;
  readonly webContents: StandInWebContents;
  readonly record: WindowRecord;
  destroyed = false;
  private shownOnce = false;

  constructor(options: { show?: boolean; title?: string; webPreferences?: Record<string, unknown> } = {}) {
    super();
    requireReady('BrowserWindow');
    const webPreferences = options.webPreferences ?? {};
    this.record = {
      id: this.id,
      visible: options.show !== false,
      focused: options.show !== false,
      minimized: false,
      destroyed: false,
      url: '',
      title: options.title ?? '',
      webPreferences,
      flashing: false,
    };
    this.webContents = new StandInWebContents(this, typeof webPreferences.preload === 'string' ? webPreferences.preload : null);
    windows.set(this.id, this);
    report('window-created', { id: this.id, webPreferences, show: options.show !== false });
  }

  static getAllWindows(): StandInBrowserWindow[] {
    return [...windows.values()].filter((w) => !w.destroyed);
  }

  static fromWebContents(contents: StandInWebContents): StandInBrowserWindow | null {
    return contents.owner ?? null;
  }

  static getFocusedWindow(): StandInBrowserWindow | null {
    return StandInBrowserWindow.getAllWindows().find((w) => w.record.focused) ?? null;
  }

  firstLoad(): void {
    if (this.shownOnce) return;
    this.shownOnce = true;
    this.emit('ready-to-show');
  }

  /** Changes the window's state (typed: a misspelt field does not compile). */
  private update(change: Partial<Pick<WindowRecord, 'visible' | 'focused' | 'minimized'>>): void {
    Object.assign(this.record, change);
  }

  loadURL(url: string): Promise<void> {
    return this.webContents.loadURL(url);
  }

  show(): void {
    this.update({ visible: true, minimized: false, focused: true });
    report('window-shown', { id: this.id });
    this.emit('show');
  }

  hide(): void {
    this.update({ visible: false, focused: false });
    report('window-hidden', { id: this.id });
    this.emit('hide');
  }

  isVisible(): boolean {
    return this.record.visible;
  }

  focus(): void {
    this.update({ focused: true, visible: true });
    this.emit('focus');
  }

  isFocused(): boolean {
    return this.record.focused;
  }

  minimize(): void {
    this.update({ minimized: true, focused: false });
  }

  isMinimized(): boolean {
    return this.record.minimized;
  }

  restore(): void {
    this.record.minimized = false;
  }

  flashFrame(flag: boolean): void {
    this.record.flashing = flag;
    report('window-flash', { id: this.id, flag });
  }

  setTitle(title: string): void {
    this.record.title = title;
  }

  getTitle(): string {
    return this.record.title;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** Asks to close: listeners of 'close' may prevent it (the app keeps itself in the tray that way). */
  close(): boolean {
    if (this.destroyed) return true;
    const event = electronEvent();
    this.emit('close', event);
    if (event.defaultPrevented) return false;
    this.destroy();
    return true;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.record.destroyed = true;
    void this.webContents.page?.close().catch(() => undefined);
    this.emit('closed');
    report('window-closed', { id: this.id });
    if (StandInBrowserWindow.getAllWindows().length === 0 && !lifecycle.quitting) allWindowsClosed();
  }
}

let allWindowsClosed: () => void = () => undefined;
export function onAllWindowsClosed(listener: () => void): void {
  allWindowsClosed = listener;
}

export const BrowserWindow = new Proxy(StandInBrowserWindow, {
  construct(target, args: [ConstructorParameters<typeof StandInBrowserWindow>[0]]) {
    const window = new target(...args);
    const guarded = guard(window, 'BrowserWindow', 'BrowserWindow');
    Object.defineProperty(window, 'webContents', { value: guard(window.webContents, 'WebContents', 'webContents') });
    return guarded;
  },
});

export function windowRecords(): WindowRecord[] {
  return [...windows.values()].map((w) => ({ ...w.record, url: w.webContents.getURL() }));
}

export function closeAllForQuit(): boolean {
  for (const window of StandInBrowserWindow.getAllWindows()) if (!window.close()) return false;
  return true;
}

// ---- the bridge endpoint -----------------------------------------------------------------------

let nextReturned = 0;

function readBody(request: http.IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => {
      try {
        resolve(JSON.parse(text || '{}') as Record<string, unknown>);
      } catch (error) {
        reject(error as Error);
      }
    });
  });
}

function ipcEvent(contents: StandInWebContents) {
  return {
    sender: guard(contents, 'WebContents', 'webContents'),
    senderFrame: contents.mainFrame,
    frameId: 1,
    processId: 1,
    type: 'frame',
  };
}

/**
 * Calls the shim of one document of the page. DevTools may still point at the previous document
 * for a moment (its events lag under load), so the call is retried until that document answers;
 * if the page has moved on to another document, the call is dropped, as Electron drops it.
 */
async function intoDocument(contents: StandInWebContents, documentId: number, call: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (contents.documentId !== documentId || contents.owner.destroyed || !contents.page) return;
    const reached = await contents.page
      .evaluate(`(() => { const shim = window.__electronStandIn; if (!shim || shim.documentId !== ${documentId}) return false; shim.${call}; return true; })()`)
      .catch(() => false);
    if (reached) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  report('stand-in-failure', { message: `could not reach document ${documentId} of window ${contents.id}` });
}

async function bridge(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  const reply = (body: unknown): void => void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const body = await readBody(request);
  const window = windows.get(Number(body.windowId));
  const contents = window?.webContents;
  if (!contents || body.secret !== contents.secret) return void response.writeHead(403).end();
  if (typeof body.href === 'string') contents.reportedUrl = body.href;
  const op = (request.url ?? '').slice(STAND_IN_PATH.length);

  if (op === 'document') {
    // A new document: Electron runs the preload again, in a fresh world.
    contents.documentId++;
    contents.world = contents.preload
      ? new PreloadWorld(contents.preload, {
          invoke: (channel, args) => invokeHandler(channel, ipcEvent(contents), args),
          send: (channel, args) => emitToListeners(channel, ipcEvent(contents), args),
        })
      : null;
    report('preload-ran', { windowId: window.id, documentId: contents.documentId, exposed: Object.keys(contents.world?.exposed ?? {}) });
    return reply({ documentId: contents.documentId, exposed: contents.world?.exposed ?? {} });
  }

  if (op === 'call') {
    if (body.documentId !== contents.documentId || !contents.world) return reply({ error: 'The preload world of this document is gone.' });
    const world = contents.world;
    const fn = world.functions.get(String(body.path));
    if (!fn) return reply({ error: `not a bridge function: ${String(body.path)}` });
    const documentId = contents.documentId;
    const args = (body.args as unknown[]).map((arg) => {
      const callbackId = (arg as { __standInCallback?: number } | null)?.__standInCallback;
      if (callbackId === undefined) return arg;
      return (...values: unknown[]) =>
        void intoDocument(contents, documentId, `callback(${callbackId}, ${JSON.stringify(values)})`);
    });
    let result: unknown;
    try {
      result = fn(...args);
    } catch (error) {
      return reply({ error: String((error as Error)?.message ?? error) });
    }
    if (typeof (result as { then?: unknown })?.then === 'function') {
      const id = ++nextReturned;
      const settle = (ok: boolean, value: unknown) =>
        void intoDocument(contents, documentId, `settle(${id}, ${ok}, ${JSON.stringify(value ?? null)})`);
      (result as Promise<unknown>).then(
        (value) => settle(true, structuredClone(value)),
        (error: unknown) => settle(false, String((error as Error)?.message ?? error)),
      );
      return reply({ promise: id });
    }
    if (typeof result === 'function') {
      const path = `returned:${++nextReturned}`;
      world.functions.set(path, result as (...a: unknown[]) => unknown);
      return reply({ fn: path });
    }
    return reply({ value: structuredClone(result ?? null) });
  }

  if (op === 'display-media') {
    const handler = sessionState.displayMedia;
    if (!handler) return reply({ source: null });
    const source = await new Promise<{ id: string; name: string } | null>((resolve) =>
      handler({ frame: contents.mainFrame, securityOrigin: contents.getURL(), videoRequested: true, audioRequested: Boolean(body.audio), userGesture: true }, (streams) =>
        resolve(streams?.video ? { id: streams.video.id, name: streams.video.name } : null),
      ),
    );
    report('display-media', { source });
    return reply({ source });
  }
  response.writeHead(404).end();
}

setBridgeHandler((request, response) => {
  bridge(request, response).catch((error: unknown) => {
    report('stand-in-failure', { message: `bridge: ${String(error)}` });
    if (!response.headersSent) response.writeHead(500).end(JSON.stringify({ error: String(error) }));
  });
});

