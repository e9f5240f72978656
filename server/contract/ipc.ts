/**
 * Main ⇄ renderer channel map for the desktop app. Channel names carry the `classroom:` prefix and
 * are only ever referenced through these maps, so main and preload cannot drift apart. Every
 * request payload has a zod schema that main checks before a handler runs.
 */
import { z } from 'zod';
import { LoginDataSchema, SessionIdSchema, type LoginData, type SessionNotification } from './api';

export type ConnectionState = 'signed-out' | 'connecting' | 'online' | 'offline' | 'unauthenticated';

export const SettingsSchema = z.object({
  serverUrl: z.string().url().max(2048).refine((url) => /^https?:\/\//.test(url), 'http(s) URL'),
  startAtLogin: z.boolean(),
  startMinimised: z.boolean(),
  notifications: z.boolean(),
  autoUpdate: z.boolean(),
  language: z.enum(['system', 'en', 'vi']),
});
export type Settings = z.infer<typeof SettingsSchema>;
export type SettingKey = keyof Settings;

export const SettingChangeSchema = z.discriminatedUnion('key', [
  z.object({ key: z.literal('serverUrl'), value: SettingsSchema.shape.serverUrl }),
  z.object({ key: z.literal('startAtLogin'), value: z.boolean() }),
  z.object({ key: z.literal('startMinimised'), value: z.boolean() }),
  z.object({ key: z.literal('notifications'), value: z.boolean() }),
  z.object({ key: z.literal('autoUpdate'), value: z.boolean() }),
  z.object({ key: z.literal('language'), value: z.enum(['system', 'en', 'vi']) }),
]);
export type SettingChange = z.infer<typeof SettingChangeSchema>;

export interface DesktopState {
  connection: ConnectionState;
  settings: Settings;
  /** Settings IT has enforced by machine policy: shown, not editable. */
  lockedSettings: SettingKey[];
  session: LoginData | null;
}

/** renderer → main, request/response (`ipcRenderer.invoke` / `ipcMain.handle`), arguments as a tuple. */
export const IpcInvokeSchemas = {
  'classroom:get-state': z.tuple([]),
  'classroom:signed-in': z.tuple([LoginDataSchema]),
  'classroom:sign-out': z.tuple([]),
  'classroom:set-setting': z.tuple([SettingChangeSchema]),
  'classroom:meeting-state': z.tuple([z.object({ inMeeting: z.boolean() })]),
  'classroom:open-external': z.tuple([z.string().url().max(2048)]),
} as const;

export interface IpcInvokeResults {
  'classroom:get-state': DesktopState;
  'classroom:signed-in': { ok: true };
  'classroom:sign-out': { ok: true };
  'classroom:set-setting': { ok: true; settings: Settings };
  'classroom:meeting-state': { ok: true };
  'classroom:open-external': { ok: boolean };
}

export type IpcInvokeChannel = keyof typeof IpcInvokeSchemas;
export type IpcInvokeArgs<C extends IpcInvokeChannel> = z.infer<(typeof IpcInvokeSchemas)[C]>;

/** main → renderer pushes (`webContents.send` / `ipcRenderer.on`). */
export interface IpcEvents {
  'classroom:connection-state': ConnectionState;
  'classroom:session-notification': SessionNotification;
  'classroom:session-ended': { sessionId: string };
  /** Open the meeting of this session (notification click, tray, deep link). */
  'classroom:join-session': { sessionId: string };
}
export type IpcEventChannel = keyof IpcEvents;
export const IPC_EVENT_CHANNELS: IpcEventChannel[] = ['classroom:connection-state', 'classroom:session-notification', 'classroom:session-ended', 'classroom:join-session'];

export const JoinSessionEventSchema = z.object({ sessionId: SessionIdSchema });

/**
 * What the preload exposes as `window.classroom` in the desktop app: purpose-built functions, never
 * `ipcRenderer`. Each `on…` returns its unsubscribe function.
 */
export interface DesktopBridge {
  isDesktop: true;
  platform: string;
  getState(): Promise<DesktopState>;
  signedIn(login: LoginData): Promise<{ ok: true }>;
  signOut(): Promise<{ ok: true }>;
  setSetting(change: SettingChange): Promise<{ ok: true; settings: Settings }>;
  setMeetingState(inMeeting: boolean): Promise<{ ok: true }>;
  openExternal(url: string): Promise<{ ok: boolean }>;
  onConnectionState(listener: (state: ConnectionState) => void): () => void;
  onSessionNotification(listener: (notification: SessionNotification) => void): () => void;
  onSessionEnded(listener: (event: { sessionId: string }) => void): () => void;
  onJoinSession(listener: (event: { sessionId: string }) => void): () => void;
}
