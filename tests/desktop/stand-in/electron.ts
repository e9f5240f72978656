/**
 * A stand-in for the `electron` module of the main process, for running the app's built main
 * bundle (`out/main/index.js`) under plain Node where no Electron binary can be had. It is the one
 * faked edge of the desktop runtime suite; everything behind it is real: the app's main code, its
 * preload (in a sandbox), its renderer (in Debian's Chromium), the server, the embedded server
 * process, the keychain.
 *
 * Its surface comes from the installed electron.d.ts (surface.ts): any member the app reads that
 * Electron has and this file lacks fails the run loudly. It enforces Electron's lifecycle rules
 * (see runtime.ts `requireReady` and protocol.ts), runs the single-instance lock between real
 * processes, forks utility processes as real child processes, and reports what the app shows the
 * person (notifications, tray, dialogs, windows) to the test over the fork IPC channel, which can
 * also click them.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ipcMain } from './ipc-main';
import { nativeImage, solidImage } from './native-image';
import { closeProtocolServers, protocol } from './protocol';
import { appVersion, config, electronEvent, fail, guard, guardExport, lifecycle, onCommand, report, requireReady, surface } from './runtime';
import { hasLock, releaseLock, requestLock } from './single-instance';
import { BrowserWindow, closeAllForQuit, closeWindowsForExit, getDefaultSession, onAllWindowsClosed, windowRecords } from './windows';

mkdirSync(config.userData, { recursive: true });
// What Electron sets on `process` in the main process.
Object.assign(process, { type: 'browser', resourcesPath: config.resourcesPath });
Object.defineProperty(process.versions, 'electron', { value: surface.electronVersion, enumerable: true });
if (config.platform !== process.platform) Object.defineProperty(process, 'platform', { value: config.platform });

// ---- app -------------------------------------------------------------------------------------

class StandInApp extends EventEmitter {
  readonly isPackaged = config.packaged;
  readonly name = 'Classroom';
  loginItemSettings: Record<string, unknown> = { openAtLogin: false, openAsHidden: false, args: [] };
  private readonly readyPromise: Promise<void>;
  private markReady!: () => void;
  /** macOS only: Electron leaves `app.dock` undefined elsewhere. */
  readonly dock = config.platform === 'darwin' ? createDock() : undefined;

  constructor() {
    super();
    this.readyPromise = new Promise((resolve) => (this.markReady = resolve));
    // Electron emits `ready` after the main script's first run.
    setImmediate(() => {
      if (lifecycle.quitting) return;
      lifecycle.ready = true;
      report('ready');
      this.emit('ready', electronEvent(), {});
      this.markReady();
    });
  }

  whenReady() {
    return this.readyPromise;
  }
  isReady() {
    return lifecycle.ready;
  }
  getName() {
    return this.name;
  }
  getVersion() {
    return appVersion;
  }
  getAppPath() {
    return path.resolve(__dirname, '../../..');
  }
  getLocale() {
    return config.locale;
  }
  getSystemLocale() {
    return config.locale;
  }
  getPreferredSystemLanguages() {
    return [config.locale];
  }
  getPath(name: string) {
    const paths: Record<string, string> = {
      userData: config.userData,
      appData: path.dirname(config.userData),
      home: os.homedir(),
      temp: os.tmpdir(),
      exe: process.execPath,
      logs: path.join(config.userData, 'logs'),
      sessionData: config.userData,
    };
    const value = paths[name];
    if (!value) fail(`app.getPath('${name}') is not implemented by the Electron stand-in`);
    return value;
  }
  requestSingleInstanceLock(additionalData?: unknown) {
    const got = requestLock(additionalData, (second) => {
      report('second-instance', { argv: second.argv });
      this.emit('second-instance', electronEvent(), second.argv, second.workingDirectory, second.additionalData);
    });
    report('single-instance-lock', { got });
    return got;
  }
  hasSingleInstanceLock() {
    return hasLock();
  }
  releaseSingleInstanceLock() {
    releaseLock();
  }
  setAsDefaultProtocolClient(scheme: string, executable?: string, args?: string[]) {
    report('default-protocol-client', { scheme, executable: executable ?? null, args: args ?? null });
    return true;
  }
  /** macOS and Windows only, as Electron documents: elsewhere it does nothing. */
  setLoginItemSettings(settings: Record<string, unknown>) {
    const honoured = config.platform === 'darwin' || config.platform === 'win32';
    if (honoured) this.loginItemSettings = { ...this.loginItemSettings, ...settings };
    report('login-item-settings', { settings, honoured });
  }
  getLoginItemSettings() {
    return { ...this.loginItemSettings };
  }
  setBadgeCount(count?: number) {
    report('badge-count', { count: count ?? 0 });
    return true;
  }
  setAppUserModelId(id: string) {
    if (config.platform !== 'win32') fail('app.setAppUserModelId is Windows-only');
    report('app-user-model-id', { id });
  }
  focus() {
    report('app-focus');
  }
  relaunch() {
    report('app-relaunch');
  }
  quit() {
    if (lifecycle.quitting) return;
    const beforeQuit = electronEvent();
    this.emit('before-quit', beforeQuit);
    if (beforeQuit.defaultPrevented) return;
    lifecycle.quitting = true;
    if (!closeAllForQuit()) {
      lifecycle.quitting = false;
      return;
    }
    const willQuit = electronEvent();
    this.emit('will-quit', willQuit);
    if (willQuit.defaultPrevented) {
      lifecycle.quitting = false;
      return;
    }
    this.emit('quit', electronEvent(), 0);
    this.exit(0);
  }
  exit(code = 0) {
    lifecycle.quitting = true;
    report('exit', { code });
    releaseLock();
    closeProtocolServers();
    void closeWindowsForExit().finally(() => setTimeout(() => process.exit(code), 50));
  }
}

function createDock() {
  let badge = '';
  return guard(
    {
      bounce(type: 'critical' | 'informational' = 'informational') {
        report('dock-bounce', { type });
        return 1;
      },
      cancelBounce(id: number) {
        report('dock-cancel-bounce', { id });
      },
      setBadge(text: string) {
        badge = text;
        report('dock-badge', { text });
      },
      getBadge() {
        return badge;
      },
      show: () => Promise.resolve(),
      hide() {},
    },
    'Dock',
    'app.dock',
  );
}

const app = guardExport('app', new StandInApp());
// Electron's default with no 'window-all-closed' listener: quit.
onAllWindowsClosed(() => {
  if (app.listenerCount('window-all-closed') > 0) app.emit('window-all-closed');
  else app.quit();
});

// ---- dialogs, shell --------------------------------------------------------------------------

const dialog = guardExport('dialog', {
  showErrorBox(title: string, content: string) {
    report('error-box', { title, content });
    process.stderr.write(`[electron stand-in] error box: ${title}\n${content}\n`);
  },
  async showMessageBox(...args: unknown[]) {
    const options = (args.length > 1 ? args[1] : args[0]) as { message?: string; buttons?: string[] };
    report('message-box', options);
    return { response: 0, checkboxChecked: false };
  },
});

const shell = guardExport('shell', {
  async openExternal(url: string) {
    report('open-external', { url });
  },
});

// ---- notifications ---------------------------------------------------------------------------

let nextNotificationId = 1;
const notifications = new Map<number, StandInNotification>();

class StandInNotification extends EventEmitter {
  readonly id = nextNotificationId++;
  constructor(readonly options: Record<string, unknown> = {}) {
    super();
    requireReady('Notification');
  }
  static isSupported() {
    return config.notificationsSupported;
  }
  get title() {
    return this.options.title;
  }
  get body() {
    return this.options.body;
  }
  show() {
    notifications.set(this.id, this);
    report('notification-shown', { id: this.id, ...this.options });
  }
  close() {
    if (!notifications.delete(this.id)) return;
    report('notification-closed', { id: this.id });
    this.emit('close', electronEvent());
  }
}
const Notification = new Proxy(StandInNotification, {
  construct: (target, args: [Record<string, unknown>]) => guard(new target(...args), 'Notification', 'Notification'),
  get(target, property, receiver) {
    if (typeof property === 'symbol' || property in target) return Reflect.get(target, property, receiver) as unknown;
    if (surface.main.Notification?.statics?.includes(property)) fail(`Notification.${property} is not implemented by the Electron stand-in`);
    return undefined;
  },
});

onCommand('click-notification', ({ id }) => {
  const notification = notifications.get(Number(id));
  if (!notification) throw new Error(`no notification ${String(id)} on screen`);
  notification.emit('click', electronEvent());
});
onCommand('notification-action', ({ id, index }) => {
  const notification = notifications.get(Number(id));
  if (!notification) throw new Error(`no notification ${String(id)} on screen`);
  if (!(notification.options.actions as unknown[] | undefined)?.[Number(index)]) throw new Error(`notification ${String(id)} has no action ${String(index)}`);
  // Electron 45: the details carry the index; the second argument is its deprecated twin.
  notification.emit('action', electronEvent({ actionIndex: Number(index) }), Number(index));
});

// ---- tray and menus --------------------------------------------------------------------------

interface MenuItemLike {
  label?: string;
  type?: string;
  enabled?: boolean;
  click?: (...args: unknown[]) => void;
  submenu?: unknown;
}
class StandInMenu {
  constructor(readonly items: MenuItemLike[]) {}
}
const Menu = guardExport('Menu', {
  buildFromTemplate(template: MenuItemLike[]) {
    return guard(new StandInMenu(template.map((item) => ({ ...item }))), 'Menu', 'menu');
  },
  setApplicationMenu(menu: unknown) {
    report('application-menu', { set: menu !== null });
  },
});

let tray: StandInTray | null = null;
class StandInTray extends EventEmitter {
  tooltip = '';
  menu: StandInMenu | null = null;
  image: unknown = null;
  destroyed = false;
  constructor(image: unknown) {
    super();
    requireReady('Tray');
    this.image = image;
    report('tray-created');
  }
  private changed() {
    report('tray-updated', {
      tooltip: this.tooltip,
      menu: (this.menu?.items ?? []).map((item) => ({ label: item.label ?? null, type: item.type ?? 'normal', enabled: item.enabled !== false })),
    });
  }
  setImage(image: unknown) {
    this.image = image;
  }
  setToolTip(text: string) {
    this.tooltip = text;
    this.changed();
  }
  setContextMenu(menu: StandInMenu | null) {
    this.menu = menu;
    this.changed();
  }
  setTitle() {}
  destroy() {
    this.destroyed = true;
  }
  isDestroyed() {
    return this.destroyed;
  }
}
const Tray = new Proxy(StandInTray, {
  construct: (target, args: [unknown]) => {
    tray = new target(...args);
    return guard(tray, 'Tray', 'Tray');
  },
});

onCommand('tray-state', () => ({ tooltip: tray?.tooltip ?? null, menu: (tray?.menu?.items ?? []).map((item) => ({ label: item.label ?? null, enabled: item.enabled !== false })) }));
onCommand('click-tray-item', ({ label }) => {
  const item = tray?.menu?.items.find((candidate) => candidate.label === label);
  if (!item?.click) throw new Error(`no clickable tray item "${String(label)}"`);
  if (item.enabled === false) throw new Error(`tray item "${String(label)}" is disabled`);
  item.click({}, undefined, {});
});
onCommand('click-tray', () => tray?.emit('click', electronEvent()));
onCommand('windows', () => windowRecords());
onCommand('close-window', ({ id }) => BrowserWindow.getAllWindows().find((w) => w.id === Number(id))?.close());

// ---- safeStorage (an app-held key, like Chromium's OSCrypt with a keyring) -------------------

const safeStorageKey = createHash('sha256').update(`stand-in:${config.userData}`).digest();
const safeStorage = guardExport('safeStorage', {
  isEncryptionAvailable: () => lifecycle.ready && config.safeStorage,
  getSelectedStorageBackend: () => (config.safeStorage ? 'gnome_libsecret' : 'basic_text'),
  encryptString(plain: string) {
    if (!config.safeStorage) throw new Error('Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', safeStorageKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  },
  decryptString(encrypted: Buffer) {
    const decipher = createDecipheriv('aes-256-gcm', safeStorageKey, encrypted.subarray(0, 12));
    decipher.setAuthTag(encrypted.subarray(12, 28));
    return Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]).toString('utf8');
  },
});

// ---- net -------------------------------------------------------------------------------------

const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.wav': 'audio/wav', '.mp3': 'audio/mpeg' };

const net = guardExport('net', {
  /** file: URLs read from disk (with a content type, as Chromium's file loader gives), others over the network. */
  async fetch(input: string, init?: RequestInit) {
    if (!input.startsWith('file:')) {
      report('net-fetch', { url: input, method: init?.method ?? 'GET' });
      const response = await fetch(input, init);
      const holdMs = config.slowAnswers.get(new URL(input).pathname);
      if (holdMs) {
        report('net-fetch-held', { url: input, ms: holdMs });
        await new Promise((resolve) => setTimeout(resolve, holdMs));
      }
      return response;
    }
    const file = fileURLToPath(input);
    try {
      return new Response(readFileSync(file), { status: 200, headers: { 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream' } });
    } catch {
      return new Response(null, { status: 404 });
    }
  },
  /** ClientRequest over Node's http(s), enough for electron-updater's HTTP executor. */
  request(options: string | Record<string, unknown>) {
    const opts = typeof options === 'string' ? { url: options } : options;
    const target = opts.url ? new URL(String(opts.url)) : null;
    const secure = (target?.protocol ?? opts.protocol) === 'https:';
    const request = (secure ? https : http).request({
      method: (opts.method as string) ?? 'GET',
      hostname: target?.hostname ?? (opts.hostname as string) ?? (opts.host as string),
      port: target?.port || (opts.port as number | undefined),
      path: target ? `${target.pathname}${target.search}` : (opts.path as string),
      headers: opts.headers as Record<string, string>,
    });
    const emitter = Object.assign(new EventEmitter(), {
      setHeader: (name: string, value: string) => request.setHeader(name, value),
      write: (chunk: unknown) => request.write(chunk),
      end: (chunk?: unknown) => (chunk === undefined ? request.end() : request.end(chunk)),
      abort: () => request.destroy(),
      followRedirect: () => fail('net ClientRequest.followRedirect is not implemented by the Electron stand-in'),
    });
    report('net-request', { url: target?.toString() ?? `${String(opts.protocol)}//${String(opts.hostname)}:${String(opts.port ?? '')}${String(opts.path)}` });
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && opts.redirect === 'manual' && response.headers.location) {
        emitter.emit('redirect', status, opts.method ?? 'GET', response.headers.location, response.headers);
        response.resume();
        return;
      }
      emitter.emit('response', response);
    });
    request.on('error', (error) => emitter.emit('error', error));
    return guard(emitter, 'ClientRequest', 'ClientRequest');
  },
});

const sessionExport = guardExport('session', {
  get defaultSession() {
    return getDefaultSession();
  },
  fromPartition(partition: string) {
    requireReady('session.fromPartition');
    report('session-from-partition', { partition });
    return guard({ partition }, 'Session', `session(${partition})`);
  },
});

// ---- screen capture --------------------------------------------------------------------------

const desktopCapturer = guardExport('desktopCapturer', {
  async getSources(options: { types: string[]; thumbnailSize?: { width: number; height: number } }) {
    requireReady('desktopCapturer');
    const size = options.thumbnailSize ?? { width: 150, height: 150 };
    const all = [
      { id: 'screen:1:0', name: 'Entire screen', display_id: '1', thumbnail: solidImage(size.width, size.height, [0x2b, 0x6c, 0xb0]), appIcon: null, type: 'screen' },
      { id: 'window:4242:0', name: 'Lesson notes — Editor', display_id: '', thumbnail: solidImage(size.width, size.height, [0xd9, 0x77, 0x06]), appIcon: null, type: 'window' },
    ];
    report('capture-sources', { types: options.types });
    return all.filter((source) => options.types.includes(source.type)).map(({ type: _type, ...source }) => source);
  },
});

// ---- utility processes (real child processes) -------------------------------------------------

const utilityProcess = guardExport('utilityProcess', {
  fork(modulePath: string, args: string[] = [], options: { env?: NodeJS.ProcessEnv; stdio?: 'pipe' | 'inherit' | 'ignore'; cwd?: string; serviceName?: string } = {}) {
    requireReady('utilityProcess.fork');
    const pipe = options.stdio === 'pipe';
    const child: ChildProcess = fork(modulePath, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      execArgv: [],
      stdio: pipe ? ['ignore', 'pipe', 'pipe', 'ipc'] : options.stdio === 'ignore' ? ['ignore', 'ignore', 'ignore', 'ipc'] : ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    report('utility-process-forked', { pid: child.pid, modulePath, serviceName: options.serviceName ?? null, cwd: options.cwd ?? null, envKeys: Object.keys(options.env ?? {}) });
    const wrapper = Object.assign(new EventEmitter(), {
      get pid() {
        return child.pid;
      },
      stdout: child.stdout,
      stderr: child.stderr,
      kill: () => child.kill(),
      postMessage: (message: unknown) => child.send(message as never),
    });
    child.on('spawn', () => wrapper.emit('spawn'));
    child.on('exit', (code) => {
      report('utility-process-exited', { pid: child.pid, code });
      wrapper.emit('exit', code ?? 0);
    });
    child.on('message', (message) => wrapper.emit('message', message));
    // Electron reports a child that cannot start as an exit; here it is also the app's mistake to see.
    child.on('error', (error) => {
      report('stand-in-failure', { message: `utilityProcess.fork(${modulePath}) failed: ${error.message}` });
      wrapper.emit('exit', 1);
    });
    return guard(wrapper, 'UtilityProcess', 'UtilityProcess');
  },
});

// ---- the module ------------------------------------------------------------------------------

const implemented: Record<string, unknown> = {
  app,
  BrowserWindow,
  desktopCapturer,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  net,
  Notification,
  protocol,
  safeStorage,
  session: sessionExport,
  shell,
  Tray,
  utilityProcess,
};

module.exports = new Proxy(implemented, {
  get(target, property) {
    if (typeof property === 'symbol' || property in target) return Reflect.get(target, property) as unknown;
    if (property === '__esModule' || property === 'default' || property === 'then') return undefined;
    if (property in surface.main) fail(`electron.${property} is not implemented by the Electron stand-in`);
    return fail(`electron.${property} does not exist in Electron ${surface.electronVersion}`);
  },
});
