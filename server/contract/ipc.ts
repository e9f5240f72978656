/**
 * Main ⇄ renderer channel map for the desktop app. Channel names carry the `classroom:` prefix and
 * are only ever referenced through these maps, so main and preload cannot drift apart. Every
 * request payload has a zod schema that main checks before a handler runs.
 */
import { z } from 'zod';
import { LoginDataSchema } from './api';
import { LANGUAGE_SETTINGS } from './languages';

/** Main's live line to the server, as the tray shows it. */
export type ConnectionState = 'signed-out' | 'connecting' | 'online' | 'offline' | 'unauthenticated';

export const SettingsSchema = z.object({
  serverUrl: z.string().url().max(2048).refine((url) => /^https?:\/\//.test(url), 'http(s) URL'),
  startAtLogin: z.boolean(),
  startMinimised: z.boolean(),
  notifications: z.boolean(),
  autoUpdate: z.boolean(),
  language: z.enum(LANGUAGE_SETTINGS),
});
export type Settings = z.infer<typeof SettingsSchema>;
export type SettingKey = keyof Settings;

export const SettingChangeSchema = z.discriminatedUnion('key', [
  z.object({ key: z.literal('serverUrl'), value: SettingsSchema.shape.serverUrl }),
  z.object({ key: z.literal('startAtLogin'), value: z.boolean() }),
  z.object({ key: z.literal('startMinimised'), value: z.boolean() }),
  z.object({ key: z.literal('notifications'), value: z.boolean() }),
  z.object({ key: z.literal('autoUpdate'), value: z.boolean() }),
  z.object({ key: z.literal('language'), value: SettingsSchema.shape.language }),
]);
export type SettingChange = z.infer<typeof SettingChangeSchema>;

/**
 * The sign-in the renderer holds in the desktop app: the access token for its REST calls and its
 * socket, never the long-lived refresh token, which stays in main (and the OS keychain).
 */
export const DesktopSessionSchema = LoginDataSchema.pick({ accessToken: true, expiresAt: true, user: true });
export type DesktopSession = z.infer<typeof DesktopSessionSchema>;

/** Why rings would not reach the screen (the window and the tray say so, with the fix). */
export type RingProblem = 'off-in-app' | 'unsupported' | 'off-for-app' | 'off-for-all-apps';
export interface RingHealth {
  canRing: boolean;
  problem: RingProblem | null;
}

export interface DesktopState {
  settings: Settings;
  /** Settings IT has enforced by machine policy: shown, not editable. */
  lockedSettings: SettingKey[];
  session: DesktopSession | null;
  ringHealth: RingHealth;
}

/** A sign-in attempt: the session, or the server's refusal (status + code, for a localized message). */
export type SignInResult = { ok: true; session: DesktopSession } | { ok: false; status: number; code: string; message: string };

/** One screen or window the person may share (desktopCapturer), with its thumbnail as a data URL. */
export interface ScreenSource {
  id: string;
  name: string;
  thumbnail: string;
}

export interface DeepLinkRequest {
  action: 'join';
  sessionId: string;
}

/** renderer → main, request/response (`ipcRenderer.invoke` / `ipcMain.handle`), arguments as a tuple. */
export const IpcInvokeSchemas = {
  'classroom:get-state': z.tuple([]),
  // Lengths only: what the server refuses, it refuses with a message the window can show.
  'classroom:sign-in': z.tuple([z.object({ userId: z.string().max(256), password: z.string().max(1024) }).strict()]),
  'classroom:sign-out': z.tuple([]),
  /** The window's access token was refused (401): main renews the sign-in or ends it. */
  'classroom:session-rejected': z.tuple([]),
  'classroom:set-setting': z.tuple([SettingChangeSchema]),
  'classroom:meeting-state': z.tuple([z.object({ inMeeting: z.boolean() }).strict()]),
  'classroom:open-external': z.tuple([z.string().url().max(2048)]),
  /** The renderer is ready for deep links: it takes those waiting, later ones are pushed. */
  'classroom:take-deep-links': z.tuple([]),
  'classroom:screen-source-chosen': z.tuple([z.object({ requestId: z.number().int().nonnegative(), sourceId: z.string().max(256).nullable() }).strict()]),
} as const;

export interface IpcInvokeResults {
  'classroom:get-state': DesktopState;
  'classroom:sign-in': SignInResult;
  'classroom:sign-out': { ok: true };
  'classroom:session-rejected': { session: DesktopSession | null };
  'classroom:set-setting': { ok: true; settings: Settings };
  'classroom:meeting-state': { ok: true };
  'classroom:open-external': { ok: boolean };
  'classroom:take-deep-links': DeepLinkRequest[];
  'classroom:screen-source-chosen': { ok: true };
}

export type IpcInvokeChannel = keyof typeof IpcInvokeSchemas;
export type IpcInvokeArgs<C extends IpcInvokeChannel> = z.infer<(typeof IpcInvokeSchemas)[C]>;

/** main → renderer pushes (`webContents.send` / `ipcRenderer.on`); the renderer listens to each. */
export interface IpcEvents {
  /** Signed in, renewed, or signed out (tray, expiry, another window): the one sign-in authority is main. */
  'classroom:session-changed': DesktopSession | null;
  /** Open the meeting of this session (notification click, tray, deep link). */
  'classroom:join-session': DeepLinkRequest;
  /** The page asked to share its screen: choose a source (or null) with `screen-source-chosen`. */
  'classroom:pick-screen-source': { requestId: number; sources: ScreenSource[] };
  /** Whether rings can reach the screen changed (a setting, the OS). */
  'classroom:ring-health': RingHealth;
}
export type IpcEventChannel = keyof IpcEvents;
export const IPC_EVENT_CHANNELS: IpcEventChannel[] = ['classroom:session-changed', 'classroom:join-session', 'classroom:pick-screen-source', 'classroom:ring-health'];

/**
 * What the preload exposes as `window.classroom` in the desktop app: purpose-built functions, never
 * `ipcRenderer`. Each `on…` returns its unsubscribe function.
 */
export interface DesktopBridge {
  isDesktop: true;
  platform: string;
  getState(): Promise<DesktopState>;
  signIn(userId: string, password: string): Promise<SignInResult>;
  signOut(): Promise<{ ok: true }>;
  sessionRejected(): Promise<{ session: DesktopSession | null }>;
  setSetting(change: SettingChange): Promise<{ ok: true; settings: Settings }>;
  setMeetingState(inMeeting: boolean): Promise<{ ok: true }>;
  openExternal(url: string): Promise<{ ok: boolean }>;
  takeDeepLinks(): Promise<DeepLinkRequest[]>;
  chooseScreenSource(requestId: number, sourceId: string | null): Promise<{ ok: true }>;
  onSessionChanged(listener: (session: DesktopSession | null) => void): () => void;
  onJoinSession(listener: (request: DeepLinkRequest) => void): () => void;
  onPickScreenSource(listener: (request: { requestId: number; sources: ScreenSource[] }) => void): () => void;
  onRingHealth(listener: (health: RingHealth) => void): () => void;
}
