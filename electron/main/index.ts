/**
 * Electron bootstrap: lifecycle and wiring only. Behaviour lives in the modules beside this file,
 * which take the Electron APIs as parameters and are tested under vitest without an Electron
 * binary; nothing here is loaded by a test.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
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
  session,
  shell,
  Tray,
  utilityProcess,
} from 'electron';
import type { LoginData } from '@contract/api';
import type { ConnectionState, Settings } from '@contract/ipc';
import { APP_ORIGIN, APP_SCHEME, APP_SCHEME_PRIVILEGES, contentSecurityPolicy, resolveAppFile } from './app-protocol';
import { MainConnection } from './connection';
import { accessTokenAccount, chooseCredentialStore, loadKeytar, type CredentialStore } from './credentials';
import { DEEP_LINK_SCHEME, DeepLinkQueue, deepLinkFromArgv, parseDeepLink } from './deep-links';
import { EmbeddedServer } from './embedded-server';
import { originOf, registerIpcHandlers } from './ipc';
import { SessionAlerts } from './notifications';
import { applyChange, BUILT_IN_DEFAULTS, effectiveSettings, lockedSettings, parsePolicy, parseUserSettings, policyFilePath, PolicyError, type Policy } from './settings';
import { TrayController } from './tray';
import { UpdateController } from './updater';
import { createMainWindow, installPermissionPolicy, isSafeExternalUrl } from './windows';

const DEV_RENDERER_URL = process.env.ELECTRON_RENDERER_URL;
const RENDERER_DIR = path.join(__dirname, '../renderer');
const appUrl = DEV_RENDERER_URL ?? `${APP_ORIGIN}/index.html`;
const appOrigin = originOf(appUrl) ?? APP_ORIGIN;

// Must precede `ready`: our scheme is standard and secure, so it has an origin CSP can name.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);

const readText = (file: string): string | null => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};

const deepLinks = new DeepLinkQueue();
let window: BrowserWindow | null = null;
let quitting = false;
let inMeeting = false;

function showWindow(): void {
  if (!window) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const coldStartLink = deepLinkFromArgv(process.argv);
  if (coldStartLink) deepLinks.push(coldStartLink);
  // Every classroom:// link goes through parseDeepLink: one exact shape, anything else dropped.
  app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME); /* eng-disable PROTOCOL_HANDLER_JS_CHECK */
  app.on('second-instance', (_event, argv) => {
    const link = deepLinkFromArgv(argv);
    if (link) deepLinks.push(link);
    showWindow();
  });
  app.on('open-url', (event, url) => {
    event.preventDefault();
    const link = parseDeepLink(url);
    if (link) deepLinks.push(link);
  });
  app.on('before-quit', () => {
    quitting = true;
  });
  // The tray keeps the app alive with no window: a student must be rung with the window closed.
  app.on('window-all-closed', () => undefined);
  void app.whenReady().then(start).catch((error: unknown) => {
    dialog.showErrorBox('Classroom could not start', String((error as Error)?.message ?? error));
    app.quit();
  });
}

async function start(): Promise<void> {
  const userData = app.getPath('userData');
  const settingsFile = path.join(userData, 'settings.json');
  const policyFile = policyFilePath(process.platform, process.env);
  let policy: Policy = {};
  try {
    policy = parsePolicy(readText(policyFile), policyFile);
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    dialog.showErrorBox('Classroom: machine policy ignored', `${error.message}\nAsk your IT department to fix it.`);
  }
  let userSettings = parseUserSettings(readText(settingsFile));
  let settings: Settings = effectiveSettings(policy, userSettings);

  const { store: credentials, warning } = await chooseCredentialStore({
    loadKeytar: () => loadKeytar(),
    safeStorage,
    safeStorageFile: path.join(userData, 'credentials.json'),
  });
  if (warning) console.warn(warning);

  // The renderer from our own scheme, with its CSP attached to every response.
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(request.url, RENDERER_DIR);
    if (!file) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('content-security-policy', contentSecurityPolicy(originOf(settings.serverUrl), true));
    headers.set('x-content-type-options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
  // A fixed baseline CSP on every web response too (e.g. the dev server), beneath the full one above.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': ["default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; connect-src *; media-src 'self' blob: mediastream:; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'"],
      },
    });
  });
  installPermissionPolicy(session.defaultSession, appOrigin);
  session.defaultSession.setDisplayMediaRequestHandler(
    (_request, callback) => {
      void desktopCapturer.getSources({ types: ['screen', 'window'] }).then((sources) => callback(sources[0] ? { video: sources[0] } : {}));
    },
    { useSystemPicker: true },
  );

  const embedded = await maybeHostServer(settings, credentials, userData);

  let login = await loadLogin(credentials, settings.serverUrl);
  let connection: ConnectionState = 'signed-out';
  const send = <T>(channel: string, payload: T) => window?.webContents.send(channel, payload);

  const alerts = new SessionAlerts({
    createNotification: (options) => new Notification(options),
    isSupported: () => Notification.isSupported(),
    platform: process.platform,
    enabled: () => settings.notifications,
    openMeeting: (sessionId) => deepLinks.push({ action: 'join', sessionId }),
    text: { title: 'Your mentor has started the session!', join: 'Join' },
  });
  const waiting = new Map<string, string>();

  const tray = new TrayController(new Tray(nativeImage.createEmpty()), {
    buildMenu: (items) => Menu.buildFromTemplate(items),
    image: (bitmap, size) => nativeImage.createFromBitmap(bitmap, { width: size, height: size }),
    setBadgeCount: (count) => app.setBadgeCount(count),
    actions: {
      open: showWindow,
      join: (sessionId) => deepLinks.push({ action: 'join', sessionId }),
      signOut: () => void signOut(),
      quit: () => app.quit(),
    },
  });
  const refreshTray = () => {
    const [next] = waiting.entries();
    tray.update({ connection, unread: alerts.unread, signedIn: login !== null, nextSession: next ? { sessionId: next[0], label: next[1] } : null });
  };

  const main = new MainConnection({
    onState: (state) => {
      connection = state;
      send('classroom:connection-state', state);
      if (state === 'unauthenticated') void signOut();
      refreshTray();
    },
    onNotification: (notification) => {
      waiting.set(notification.sessionId, `${notification.sessionType} — ${notification.mentorName}`);
      alerts.show(notification);
      send('classroom:session-notification', notification);
      refreshTray();
    },
    onSessionEnded: (sessionId) => {
      waiting.delete(sessionId);
      alerts.withdraw(sessionId);
      send('classroom:session-ended', { sessionId });
      refreshTray();
    },
  });
  if (login) main.start(settings.serverUrl, login.accessToken);

  async function signOut(): Promise<void> {
    main.stop();
    await credentials.delete(accessTokenAccount(settings.serverUrl)).catch(() => false);
    login = null;
    waiting.clear();
    refreshTray();
  }

  registerIpcHandlers(
    ipcMain,
    {
      'classroom:get-state': () => ({ connection, settings, lockedSettings: lockedSettings(policy), session: login }),
      'classroom:signed-in': async (data) => {
        login = data;
        await credentials.set(accessTokenAccount(settings.serverUrl), JSON.stringify(data));
        main.start(settings.serverUrl, data.accessToken);
        refreshTray();
        return { ok: true as const };
      },
      'classroom:sign-out': async () => {
        await signOut();
        return { ok: true as const };
      },
      'classroom:set-setting': async (change) => {
        userSettings = applyChange(policy, userSettings, change);
        settings = effectiveSettings(policy, userSettings);
        await writeFile(settingsFile, JSON.stringify(userSettings, null, 2));
        applyLoginItem(settings);
        return { ok: true as const, settings };
      },
      'classroom:meeting-state': ({ inMeeting: now }) => {
        inMeeting = now;
        return { ok: true as const };
      },
      'classroom:open-external': async (url) => {
        if (!isSafeExternalUrl(url)) return { ok: false };
        await shell.openExternal(url); /* eng-disable OPEN_EXTERNAL_JS_CHECK — validated https-only above */
        return { ok: true };
      },
    },
    appOrigin,
  );

  window = createMainWindow(
    // The only URLs let out are plain https ones (isSafeExternalUrl).
    { BrowserWindow, openExternal: (url) => (isSafeExternalUrl(url) ? shell.openExternal(url) : Promise.resolve()) } /* eng-disable OPEN_EXTERNAL_JS_CHECK */,
    { preloadPath: path.join(__dirname, '../preload/index.cjs'), appOrigin, url: appUrl, show: !process.argv.includes(START_HIDDEN_ARG) },
  );
  // Closing the window keeps the app in the tray; Quit (tray or menu) really quits.
  window.on('close', (event) => {
    if (quitting) return;
    event.preventDefault();
    window?.hide();
  });
  window.webContents.on('did-finish-load', () => {
    deepLinks.ready((link) => {
      showWindow();
      send('classroom:join-session', { sessionId: link.sessionId });
    });
  });
  window.webContents.on('did-start-loading', () => deepLinks.notReady());

  applyLoginItem(settings);
  refreshTray();

  if (app.isPackaged) {
    const { autoUpdater } = await import('electron-updater');
    new UpdateController(autoUpdater, { enabled: () => settings.autoUpdate, inMeeting: () => inMeeting }).start();
  }
  app.on('will-quit', () => embedded?.stop());
}

const START_HIDDEN_ARG = '--start-hidden';

function applyLoginItem(settings: Settings): void {
  app.setLoginItemSettings({ openAtLogin: settings.startAtLogin, args: settings.startMinimised ? [START_HIDDEN_ARG] : [] });
}

async function loadLogin(credentials: CredentialStore, serverUrl: string): Promise<LoginData | null> {
  const stored = await credentials.get(accessTokenAccount(serverUrl)).catch(() => null);
  if (!stored) return null;
  try {
    const login = JSON.parse(stored) as LoginData;
    return Date.parse(login.expiresAt) > Date.now() ? login : null;
  } catch {
    return null;
  }
}

/** With the built-in local server URL, this machine hosts the bundled server itself. */
async function maybeHostServer(settings: Settings, credentials: CredentialStore, userData: string): Promise<EmbeddedServer | null> {
  if (settings.serverUrl !== BUILT_IN_DEFAULTS.serverUrl && process.env.CLASSROOM_HOST_SERVER !== '1') return null;
  const url = new URL(settings.serverUrl);
  const server = new EmbeddedServer(
    (entry, env) => utilityProcess.fork(entry, [], { env, stdio: 'pipe', serviceName: 'Classroom server' }),
    {
      entry: path.join(__dirname, 'server.js'),
      dataDir: path.join(userData, 'server-data'),
      port: Number(url.port || 4800),
      host: url.hostname,
      env: { ...process.env, CLASSROOM_DEMO: process.env.CLASSROOM_DEMO ?? (app.isPackaged ? '0' : '1') },
      credentials,
    },
  );
  try {
    await server.start();
    return server;
  } catch (error) {
    console.warn(`Embedded server not started: ${(error as Error).message}`);
    return null;
  }
}
