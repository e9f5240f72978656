/**
 * The real preload bundle, run the way Electron runs a sandboxed preload: in a context of its
 * own whose `require` knows only 'electron' (contextBridge, ipcRenderer), with a limited
 * `process`. Whatever it exposes through `contextBridge.exposeInMainWorld` is described to the
 * page, and calls cross back through the bridge endpoint (see windows.ts); only plain data and
 * functions cross, as with Electron's context isolation.
 */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { config, fail, guard, report, surface } from './runtime';

/** How an exposed value is described to the page: a function by its path, data as it is. */
export type Described = { fn: string } | { value: unknown } | { object: Record<string, Described> };

export interface IpcBroker {
  /** ipcRenderer.invoke → the main process's ipcMain.handle listener. */
  invoke(channel: string, args: unknown[]): Promise<unknown>;
  /** ipcRenderer.send → ipcMain.on listeners. */
  send(channel: string, args: unknown[]): void;
}

/** One document's preload world: its exposed functions and its ipcRenderer listeners. */
export class PreloadWorld {
  readonly exposed: Record<string, Described> = {};
  readonly functions = new Map<string, (...args: unknown[]) => unknown>();
  private readonly ipcRenderer = new EventEmitter();
  private exposing = true;

  constructor(preloadPath: string, broker: IpcBroker) {
    const ipcRenderer = guard(
      {
        invoke: (channel: string, ...args: unknown[]) => broker.invoke(channel, structuredClone(args)),
        send: (channel: string, ...args: unknown[]) => broker.send(channel, structuredClone(args)),
        on: (channel: string, listener: (...args: unknown[]) => void) => (this.ipcRenderer.on(channel, listener), ipcRenderer),
        once: (channel: string, listener: (...args: unknown[]) => void) => (this.ipcRenderer.once(channel, listener), ipcRenderer),
        removeListener: (channel: string, listener: (...args: unknown[]) => void) => (this.ipcRenderer.removeListener(channel, listener), ipcRenderer),
        off: (channel: string, listener: (...args: unknown[]) => void) => (this.ipcRenderer.removeListener(channel, listener), ipcRenderer),
        removeAllListeners: (channel?: string) => (this.ipcRenderer.removeAllListeners(channel), ipcRenderer),
      },
      'IpcRenderer',
      'ipcRenderer',
    );
    const contextBridge = guard(
      {
        exposeInMainWorld: (key: string, api: unknown) => {
          if (!this.exposing) fail('contextBridge.exposeInMainWorld called after the preload finished');
          if (typeof key !== 'string' || key in this.exposed) fail(`contextBridge.exposeInMainWorld: cannot bind ${String(key)}`);
          this.exposed[key] = this.describe(api, key);
        },
      },
      'ContextBridge',
      'contextBridge',
    );
    const rendererExports: Record<string, unknown> = { contextBridge, ipcRenderer };
    const electron = new Proxy(rendererExports, {
      get(target, property) {
        if (typeof property === 'symbol' || property in target) return Reflect.get(target, property) as unknown;
        if (property === '__esModule' || property === 'default') return undefined;
        if (property in surface.renderer) fail(`electron.${property} (renderer) is not implemented by the Electron stand-in`);
        return fail(`electron.${property} is not available in a sandboxed preload`);
      },
    });

    // A sandboxed preload gets Electron's renderer modules and a few globals — no Node modules.
    const sandboxRequire = (id: string) => {
      if (id === 'electron' || id === 'electron/renderer') return electron;
      const error = new Error(`module not found: ${id}`);
      report('preload-require-refused', { id });
      throw error;
    };
    const limitedProcess = { platform: config.platform, arch: process.arch, type: 'renderer', sandboxed: true, contextIsolated: true, versions: { ...process.versions, electron: surface.electronVersion }, env: {} };
    const context = vm.createContext({ console, setTimeout, clearTimeout, setInterval, clearInterval, queueMicrotask, structuredClone, process: limitedProcess });
    const code = readFileSync(preloadPath, 'utf8');
    const wrapper = vm.runInContext(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, context, { filename: preloadPath }) as (...args: unknown[]) => void;
    const module = { exports: {} };
    try {
      wrapper(module.exports, sandboxRequire, module, preloadPath, path.dirname(preloadPath));
    } catch (error) {
      // Electron prints a preload error to the window's console and loads the page without the bridge.
      report('preload-error', { message: String((error as Error)?.stack ?? error) });
    } finally {
      this.exposing = false;
    }
  }

  private describe(value: unknown, at: string): Described {
    if (typeof value === 'function') {
      this.functions.set(at, value as (...args: unknown[]) => unknown);
      return { fn: at };
    }
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const object: Record<string, Described> = {};
      for (const [key, inner] of Object.entries(value)) object[key] = this.describe(inner, `${at}.${key}`);
      return { object };
    }
    return { value: structuredClone(value) };
  }

  /** main → this document (`webContents.send`); false when nobody in the page listens. */
  deliver(channel: string, args: unknown[]): boolean {
    const event = { sender: null, senderId: 0, ports: [] };
    return this.ipcRenderer.emit(channel, event, ...structuredClone(args));
  }
}
