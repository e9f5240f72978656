/**
 * Electron bootstrap: lifecycle and wiring only. The app's state and behaviour live in
 * DesktopApp (desktop-app.ts) and the modules beside it, which take the Electron APIs as
 * parameters; this file builds those parameters. The built bundle runs under the stand-in
 * Electron of tests/desktop (see README, "The desktop app").
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { app, BrowserWindow, desktopCapturer, dialog, ipcMain, Menu, nativeImage, net, Notification, protocol, safeStorage, session, shell, Tray, utilityProcess } from 'electron';
import { autoUpdater } from 'electron-updater';
import { DESKTOP_HOST_ARG } from '@contract/desktop';
import { APP_ORIGIN, APP_SCHEME, APP_SCHEME_PRIVILEGES, installAppProtocol } from './app-protocol';
import { chooseCredentialStore, loadKeytar } from './credentials';
import { DEEP_LINK_SCHEME, DeepLinkQueue, deepLinkFromArgv, parseDeepLink, type DeepLink } from './deep-links';
import { DesktopApp } from './desktop-app';
import { parseRegQueryDword } from './ring-health';
import { desktopText } from './desktop-text';
import { EmbeddedServer, EmbeddedServerSupervisor } from './embedded-server';
import { originOf, registerIpcHandlers } from './ipc';
import { developmentServerUrl, policyFilePath, SettingsStore } from './settings';
import { START_HIDDEN_ARG } from './start-at-login';
import { UpdateController } from './updater';
import { createMainWindow, installPermissionPolicy, isSafeExternalUrl } from './windows';

// A development renderer (electron-vite's dev server) only in an unpackaged build: a packaged
// app's trusted origin — IPC, camera and microphone, the bridge — is never taken from the environment.
const appUrl = (!app.isPackaged && process.env.ELECTRON_RENDERER_URL) || `${APP_ORIGIN}/index.html`;
const appOrigin = originOf(appUrl) ?? APP_ORIGIN;
const log = (message: string, error?: unknown) => console.warn(`[classroom] ${message}${error ? `: ${(error as Error)?.message ?? String(error)}` : ''}`);

// Must precede `ready`: our scheme is standard and secure, so it has an origin CSP can name.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);

const deepLinks = new DeepLinkQueue();
let desktop: DesktopApp | null = null;
/** Links that came before the app was ready (a cold start, a toast clicked after quitting). */
const earlyLinks: DeepLink[] = [];
const openLink = (link: DeepLink) => (desktop ? desktop.handleLink(link) : earlyLinks.push(link));

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const coldStartLink = deepLinkFromArgv(process.argv);
  if (coldStartLink) earlyLinks.push(coldStartLink);
  // Every classroom:// link goes through parseDeepLink: one exact shape, anything else dropped.
  app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME); /* eng-disable PROTOCOL_HANDLER_JS_CHECK */
  app.on('second-instance', (_event, argv) => {
    const link = deepLinkFromArgv(argv);
    if (link) openLink(link);
    else desktop?.showWindow();
  });
  app.on('open-url', (event, url) => {
    event.preventDefault();
    const link = parseDeepLink(url);
    if (link) openLink(link);
  });
  app.on('before-quit', () => desktop?.stop());
  // The tray keeps the app alive with no window: a student must be rung with the window closed.
  app.on('window-all-closed', () => undefined);
  void app.whenReady().then(start).catch((error: unknown) => {
    dialog.showErrorBox(desktopText('en').startFailed, String((error as Error)?.message ?? error));
    app.quit();
  });
}

async function start(): Promise<void> {
  // Before any notification: Windows attributes toasts to the Start-menu shortcut carrying this id.
  if (process.platform === 'win32') app.setAppUserModelId(__CLASSROOM_APP_ID__);
  const userData = app.getPath('userData');
  // A missing file is no file; any other failure (permissions) is the settings store's to report.
  const readText = (file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  };
  const settings = new SettingsStore(
    { policyFile: policyFilePath(process.platform, process.env), settingsFile: path.join(userData, 'settings.json') },
    { read: readText, write: (file, text) => writeFile(file, text) },
    developmentServerUrl(process.env, app.isPackaged),
  );
  const { store: credentials, warning } = await chooseCredentialStore({
    loadKeytar: () => loadKeytar(),
    safeStorage,
    safeStorageFile: path.join(userData, 'credentials.json'),
  });
  if (warning) log(warning);

  installAppProtocol(protocol, (url) => net.fetch(url), path.join(__dirname, '../renderer'), () => settings.current.serverUrl, true);
  installPermissionPolicy(session.defaultSession, appOrigin);
  const openInBrowser = async (url: string) => (isSafeExternalUrl(url) ? (await shell.openExternal(url), true) : false); /* eng-disable OPEN_EXTERNAL_JS_CHECK — https only */
  desktop = new DesktopApp({
    platform: process.platform,
    settings,
    credentials,
    deepLinks,
    systemLanguages: () => app.getPreferredSystemLanguages(),
    fetch: (url, init) => net.fetch(url, init),
    createNotification: (options) => new Notification(options),
    notificationsSupported: () => Notification.isSupported(),
    tray: new Tray(nativeImage.createEmpty()),
    buildMenu: (items) => Menu.buildFromTemplate(items),
    image: (bitmap, size) => nativeImage.createFromBitmap(bitmap, { width: size, height: size }),
    setBadgeCount: (count) => app.setBadgeCount(count),
    createWindow: () => createMainWindow({ BrowserWindow, openExternal: async (url) => void (await openInBrowser(url)) }, { preloadPath: path.join(__dirname, '../preload/index.cjs'), appOrigin, url: appUrl, show: false }),
    startAtLogin: {
      setLoginItemSettings: (item) => app.setLoginItemSettings(item),
      env: process.env,
      homeDir: os.homedir(),
      command: app.isPackaged ? [process.env.APPIMAGE ?? process.execPath] : [process.execPath, app.getAppPath()],
    },
    server: new EmbeddedServerSupervisor(
      (url) =>
        new EmbeddedServer((entry, env) => utilityProcess.fork(entry, [DESKTOP_HOST_ARG], { env, cwd: path.join(userData, 'server-data'), stdio: 'pipe', serviceName: 'Classroom server' }), {
          entry: path.join(__dirname, 'server.js'),
          dataDir: path.join(userData, 'server-data'),
          port: Number(url.port || 80),
          host: url.hostname.replace(/^\[|\]$/g, ''),
          env: { ...process.env, CLASSROOM_DEMO: process.env.CLASSROOM_DEMO ?? (app.isPackaged ? '0' : '1') },
          credentials,
        }),
      log,
    ),
    hostServer: process.env.CLASSROOM_HOST_SERVER === '1',
    captureSources: () => desktopCapturer.getSources({ types: ['screen', 'window'], thumbnailSize: { width: 320, height: 180 } }),
    dock: app.dock,
    appId: __CLASSROOM_APP_ID__,
    readRegistryDword: (key, value) => readRegistryDword(key, value),
    openInBrowser,
    quit: () => app.quit(),
    log,
  });
  session.defaultSession.setDisplayMediaRequestHandler(desktop.picker.handleRequest, { useSystemPicker: true });
  registerIpcHandlers(ipcMain, desktop.ipcHandlers(), appOrigin);
  if (settings.policyProblem) dialog.showErrorBox(desktop.text.policyNotApplied, `${settings.policyProblem}\n${desktop.text.policyFix}`);

  // Started to decline a ring (a toast's button after the app quit): decline from the tray, no window.
  const onlyDeclining = earlyLinks.length > 0 && earlyLinks.every((link) => link.action === 'decline');
  desktop.openWindow(!process.argv.includes(START_HIDDEN_ARG) && !onlyDeclining);
  await desktop.start();
  for (const link of earlyLinks.splice(0)) desktop.handleLink(link);
  if (app.isPackaged) new UpdateController(autoUpdater, { enabled: () => settings.current.autoUpdate, inMeeting: () => desktop?.inMeeting ?? false, onError: (error) => log('update check failed', error) }).start();
}

/** A DWORD under HKCU through `reg query` (Windows' own tool); null when absent. */
function readRegistryDword(key: string, value: string): Promise<number | null> {
  return new Promise((resolve) =>
    execFile('reg', ['query', key, '/v', value], { windowsHide: true, timeout: 5000 }, (error, stdout) => resolve(error ? null : parseRegQueryDword(stdout, value))),
  );
}
