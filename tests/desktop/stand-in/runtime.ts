/**
 * The stand-in's shared state: its settings (from the environment the harness sets), the
 * lifecycle rules it enforces, the control channel to the test (Node's fork IPC), and the guard
 * that turns any Electron member the stand-in does not implement into a loud failure.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadSurface, type ElectronSurface } from './surface';

export const surface: ElectronSurface = loadSurface();

/** What the harness configures (environment variables, all prefixed STANDIN_). */
export const config = {
  userData: required('STANDIN_USER_DATA'),
  packaged: process.env.STANDIN_PACKAGED === '1',
  platform: (process.env.STANDIN_PLATFORM ?? process.platform) as NodeJS.Platform,
  locale: process.env.STANDIN_LOCALE ?? 'en-US',
  cdpUrl: process.env.STANDIN_CDP_URL ?? null,
  /** Port of the http origin that stands for the app's privileged scheme (see windows.ts). */
  appPort: Number(process.env.STANDIN_APP_PORT ?? 0),
  notificationsSupported: process.env.STANDIN_NOTIFICATIONS !== 'unsupported',
  safeStorage: process.env.STANDIN_SAFE_STORAGE !== 'off',
  resourcesPath: process.env.STANDIN_RESOURCES ?? path.join(required('STANDIN_USER_DATA'), 'resources'),
  /** `path=ms,…`: answers to main's requests for these paths reach it that much later (a slow network). */
  slowAnswers: new Map((process.env.STANDIN_SLOW_ANSWERS ?? '').split(',').filter(Boolean).map((entry) => [entry.split('=')[0]!, Number(entry.split('=')[1])] as const)),
};

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Electron stand-in: ${name} is not set (the desktop test harness sets it).`);
  return value;
}

const appPackage = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { name: string; version: string };
export const appVersion = appPackage.version;
export const startedAt = performance.now();

// ---- control channel -------------------------------------------------------------------------

export interface StandInEvent {
  kind: 'event';
  name: string;
  data: unknown;
  /** Milliseconds since this process started. */
  at: number;
}

/** Tells the test what happened (a notification shown, the tray changed, a failure…). */
export function report(name: string, data: unknown = null): void {
  const message: StandInEvent = { kind: 'event', name, data, at: Math.round(performance.now()) };
  if (process.send) process.send(message);
}

type CommandHandler = (args: Record<string, unknown>) => unknown;
const commands = new Map<string, CommandHandler>();

/** A command the test may send (`{kind: 'command', id, name, args}`), answered with a reply. */
export function onCommand(name: string, handler: CommandHandler): void {
  commands.set(name, handler);
}

process.on('message', (raw: unknown) => {
  const message = raw as { kind?: string; id?: number; name?: string; args?: Record<string, unknown> };
  if (message?.kind !== 'command' || typeof message.name !== 'string') return;
  const handler = commands.get(message.name);
  void Promise.resolve()
    .then(() => {
      if (!handler) throw new Error(`unknown stand-in command ${message.name}`);
      return handler(message.args ?? {});
    })
    .then(
      (value) => process.send?.({ kind: 'reply', id: message.id, ok: true, value: value ?? null }),
      (error: unknown) => process.send?.({ kind: 'reply', id: message.id, ok: false, error: String((error as Error)?.message ?? error) }),
    );
});

// ---- failures --------------------------------------------------------------------------------

export class StandInFailure extends Error {
  override name = 'ElectronStandInFailure';
}

/** Records a broken rule or an unimplemented member (so the test fails even if the app swallows it) and throws. */
export function fail(message: string): never {
  report('stand-in-failure', { message });
  process.stderr.write(`[electron stand-in] ${message}\n`);
  throw new StandInFailure(message);
}

process.on('uncaughtException', (error) => {
  report('main-uncaught-exception', { message: String(error?.stack ?? error) });
  process.stderr.write(`[electron stand-in] uncaught exception in main: ${String(error?.stack ?? error)}\n`);
});
process.on('unhandledRejection', (reason) => {
  report('main-unhandled-rejection', { message: String((reason as Error)?.stack ?? reason) });
  process.stderr.write(`[electron stand-in] unhandled rejection in main: ${String((reason as Error)?.stack ?? reason)}\n`);
});

// ---- lifecycle -------------------------------------------------------------------------------

export const lifecycle = { ready: false, quitting: false };

/** Electron's rule: most main-process objects exist only once the app is ready. */
export function requireReady(what: string): void {
  if (!lifecycle.ready) fail(`${what} cannot be used before the app is ready (Electron throws here)`);
}

/** An Electron-style event object handed to listeners (preventDefault works). */
export function electronEvent<T extends object>(extra?: T): { defaultPrevented: boolean; preventDefault(): void } & T {
  const event = {
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
    ...(extra ?? ({} as T)),
  };
  return event;
}

// ---- the guard -------------------------------------------------------------------------------

/** Names probed by module loaders, awaiting and inspection, not by the app. */
const PROBED = new Set(['then', 'toJSON', '__esModule', 'default', 'constructor', 'inspect', 'nodeType', 'asymmetricMatch', '$$typeof']);

/**
 * Wraps an implementation so that reading a member Electron has but the stand-in lacks fails
 * loudly ("not implemented"), and so does reading one Electron does not have at all. `members`
 * is an Electron type name (its instance members) or an explicit list.
 */
export function guard<T extends object>(target: T, members: string | string[], label: string): T {
  const known = new Set(typeof members === 'string' ? Object.keys(surface.types[members] ?? {}) : members);
  return new Proxy(target, {
    get(object, property, receiver) {
      if (typeof property === 'symbol' || property in object) return Reflect.get(object, property, receiver) as unknown;
      if (PROBED.has(property)) return undefined;
      if (known.has(property)) fail(`${label}.${property} is not implemented by the Electron stand-in (Electron ${surface.electronVersion} has it)`);
      fail(`${label}.${property} does not exist in Electron ${surface.electronVersion}`);
    },
  });
}

/** Guards one export of `require('electron')` by what the typings say it has. */
export function guardExport<T extends object>(name: string, target: T): T {
  const info = surface.main[name];
  if (!info) fail(`electron.${name} does not exist in Electron ${surface.electronVersion}`);
  return guard(target, info.kind === 'value' ? info.type : (info.statics ?? []), name);
}
