/**
 * Main ⇄ renderer channel map for the desktop app. Channel names carry the `classroom:` prefix and
 * are only ever referenced through these maps, so main and preload cannot drift apart.
 */
import { z } from 'zod';
import type { SessionNotification } from './api';

export type ConnectionState = 'offline' | 'connecting' | 'online' | 'unauthenticated';

/** renderer → main, request/response (`ipcRenderer.invoke` / `ipcMain.handle`). */
export const IpcInvokeSchemas = {
  'classroom:get-connection-state': z.tuple([]),
  'classroom:sign-in': z.tuple([z.object({ serverUrl: z.string().url().max(2048), accessToken: z.string().min(1).max(512) })]),
  'classroom:sign-out': z.tuple([]),
  'classroom:open-meeting': z.tuple([z.object({ sessionId: z.string().min(1).max(64) })]),
} as const;

export interface IpcInvokeResults {
  'classroom:get-connection-state': ConnectionState;
  'classroom:sign-in': { ok: true };
  'classroom:sign-out': { ok: true };
  'classroom:open-meeting': { ok: true };
}

export type IpcInvokeChannel = keyof typeof IpcInvokeSchemas;
export type IpcInvokeArgs<C extends IpcInvokeChannel> = z.infer<(typeof IpcInvokeSchemas)[C]>;

/** main → renderer pushes (`webContents.send` / `ipcRenderer.on`). */
export interface IpcEvents {
  'classroom:connection-state': ConnectionState;
  'classroom:session-notification': SessionNotification;
  'classroom:session-ended': { sessionId: string };
  'classroom:deep-link-join': { sessionId: string };
}
export type IpcEventChannel = keyof IpcEvents;
