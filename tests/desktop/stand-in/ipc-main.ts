/** `ipcMain`: handlers and listeners the page reaches through its preload's ipcRenderer. */
import { EventEmitter } from 'node:events';
import { guardExport } from './runtime';

type Handler = (event: unknown, ...args: unknown[]) => unknown;
const handlers = new Map<string, Handler>();
const listeners = new EventEmitter();

export const ipcMain = guardExport(
  'ipcMain',
  Object.assign(listeners, {
    handle(channel: string, handler: Handler) {
      // Electron's own rule: one handler per channel.
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, handler);
    },
    handleOnce(channel: string, handler: Handler) {
      ipcMain.handle(channel, (event, ...args) => {
        handlers.delete(channel);
        return handler(event, ...args);
      });
    },
    removeHandler(channel: string) {
      handlers.delete(channel);
    },
  }),
);

/** ipcRenderer.invoke: the handler's result, or Electron's rejection texts. */
export async function invokeHandler(channel: string, event: unknown, args: unknown[]): Promise<unknown> {
  const handler = handlers.get(channel);
  if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
  try {
    return structuredClone(await handler(event, ...args));
  } catch (error) {
    throw new Error(`Error invoking remote method '${channel}': ${String(error)}`, { cause: error });
  }
}

export function emitToListeners(channel: string, event: unknown, args: unknown[]): void {
  listeners.emit(channel, event, ...args);
}
