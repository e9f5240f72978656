/**
 * IPC from renderers, typed by the channel map in server/contract/ipc.ts. Every message is checked
 * twice before a handler runs: the sender frame must be our own top-level app page, and the
 * payload must match the channel's schema. Electron's ipcMain arrives as a parameter.
 */
import { IpcInvokeSchemas, type IpcInvokeArgs, type IpcInvokeChannel, type IpcInvokeResults } from '@contract/ipc';

export interface SenderFrameLike {
  url: string;
  /** Only the top frame of our window may call (no iframes, no other pages). */
  parent: unknown | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: { senderFrame: SenderFrameLike | null }, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export type IpcHandlers = { [C in IpcInvokeChannel]: (...args: IpcInvokeArgs<C>) => Promise<IpcInvokeResults[C]> | IpcInvokeResults[C] };

export class IpcRefusedError extends Error {
  override name = 'IpcRefusedError';
}

/**
 * `scheme://host[:port]` of a URL. URL.origin is "null" for custom schemes such as our
 * classroom-app://, so it cannot be used to compare them.
 */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.host ? `${parsed.protocol}//${parsed.host}` : null;
  } catch {
    return null;
  }
}

/** True when the frame is the top frame of a page from our app origin. */
export function isTrustedSender(frame: SenderFrameLike | null, appOrigin: string): boolean {
  if (!frame || frame.parent) return false;
  return originOf(frame.url) === appOrigin;
}

export function registerIpcHandlers(ipcMain: IpcMainLike, handlers: IpcHandlers, appOrigin: string): () => void {
  const channels = Object.keys(IpcInvokeSchemas) as IpcInvokeChannel[];
  for (const channel of channels) {
    ipcMain.handle(channel, async (event, ...args) => {
      if (!isTrustedSender(event.senderFrame, appOrigin)) throw new IpcRefusedError(`${channel}: refused, not sent by the app's own page`);
      const parsed = IpcInvokeSchemas[channel].safeParse(args);
      if (!parsed.success) throw new IpcRefusedError(`${channel}: refused, malformed payload`);
      const handler = handlers[channel] as (...a: unknown[]) => unknown;
      return handler(...(parsed.data as unknown[]));
    });
  }
  return () => channels.forEach((channel) => ipcMain.removeHandler(channel));
}
