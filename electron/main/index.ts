/**
 * Electron bootstrap: lifecycle and wiring only. The behaviour lives in the modules beside this
 * file, which take the Electron APIs as parameters and are tested without an Electron binary.
 */
import path from 'node:path';
import { app, BrowserWindow, shell } from 'electron';
import { createMainWindow } from './windows';

const DEV_RENDERER_URL = process.env.ELECTRON_RENDERER_URL;
/** Until the desktop shell hosts its own server, the renderer comes from the dev server or the bundled server. */
const SERVER_URL = process.env.CLASSROOM_SERVER_URL ?? 'http://127.0.0.1:4800';

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void app.whenReady().then(() => {
    const url = DEV_RENDERER_URL ?? SERVER_URL;
    createMainWindow(
      { BrowserWindow, openExternal: (target) => shell.openExternal(target) },
      { preloadPath: path.join(__dirname, '../preload/index.cjs'), appOrigin: new URL(url).origin, url },
    );
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
