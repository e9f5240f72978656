/**
 * The desktop runtime harness: Debian's Chromium with a DevTools endpoint, the built main bundle
 * (`out/main/index.js`) as a real Node process under the Electron stand-in (stand-in/), and a line
 * to it — its reports (notifications, tray, windows, failures) and commands (click this
 * notification, that tray item). The test drives the app's real renderer page through the same
 * Chromium.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import type { StandInEvent } from './stand-in/runtime';

const ROOT = path.resolve(__dirname, '../..');
export const MAIN_BUNDLE = path.join(ROOT, 'out', 'main', 'index.js');
const REGISTER = path.join(__dirname, 'stand-in', 'register.cjs');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function tryPort(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as net.AddressInfo;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * A free port to name before it is used (the server must allow the stand-in's origin up front).
 * It is taken below Linux's ephemeral range (32768+), so that another test file's `listen(0)`
 * running in parallel cannot be handed the same port in between.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await tryPort(20_000 + Math.floor(Math.random() * 12_000));
    if (port) return port;
  }
  throw new Error('no free port below the ephemeral range');
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for a condition, polling; throws with `what` when it does not come. */
export async function until<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
}

// ---- Chromium --------------------------------------------------------------------------------

export interface ChromiumInstance {
  cdpUrl: string;
  /** The test's own connection, to drive the app's pages. */
  browser: Browser;
  stop(): Promise<void>;
}

export async function startChromium(): Promise<ChromiumInstance> {
  const profile = tempDir('classroom-desktop-chromium-');
  const child = spawn(
    CHROMIUM,
    [
      '--headless=new',
      '--remote-debugging-port=0',
      `--user-data-dir=${profile}`,
      '--no-sandbox',
      '--use-fake-device-for-media-stream',
      '--allow-loopback-in-peer-connection',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-gpu',
      'about:blank',
    ],
    // Its own process group, so that stopping it stops its helper processes too.
    { stdio: 'ignore', detached: true },
  );
  const portFile = path.join(profile, 'DevToolsActivePort');
  const port = await until('Chromium DevTools port', () => (existsSync(portFile) ? readFileSync(portFile, 'utf8').split('\n')[0] : null), 20_000);
  const cdpUrl = `http://127.0.0.1:${port}`;
  const browser = await chromium.connectOverCDP(cdpUrl);
  return {
    cdpUrl,
    browser,
    async stop() {
      await browser.close().catch(() => undefined);
      const exited = new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve)));
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
      await exited;
      try {
        rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
      } catch {
        // A helper still finishing a write: the folder is in the temp dir and harmless.
      }
    },
  };
}

// ---- the main process under the stand-in ------------------------------------------------------

export interface LaunchOptions {
  userData: string;
  /** The http origin's port standing for classroom-app://app (the server must allow it). */
  appPort: number;
  cdpUrl?: string;
  args?: string[];
  packaged?: boolean;
  platform?: NodeJS.Platform;
  locale?: string;
  env?: Record<string, string>;
  /** Another script to run under the stand-in instead of the app's main bundle. */
  script?: string;
}

export interface DesktopApp {
  process: ChildProcess;
  events: StandInEvent[];
  stderr: () => string;
  /** The first report named `name` (matching `where`), waiting for it. */
  waitFor<T = Record<string, unknown>>(name: string, where?: (data: T) => boolean, timeoutMs?: number): Promise<StandInEvent & { data: T }>;
  command<T = unknown>(name: string, args?: Record<string, unknown>): Promise<T>;
  exited: Promise<number | null>;
  /** Failures the stand-in saw: unimplemented members, broken lifecycle rules, uncaught errors. */
  failures(): StandInEvent[];
  stop(): Promise<void>;
}

export function launchDesktop(options: LaunchOptions): DesktopApp {
  const child = fork(options.script ?? MAIN_BUNDLE, options.args ?? [], {
    cwd: options.userData,
    execArgv: ['--require', REGISTER],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? os.homedir(),
      ...(process.env.DBUS_SESSION_BUS_ADDRESS ? { DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS } : {}),
      STANDIN_USER_DATA: options.userData,
      STANDIN_APP_PORT: String(options.appPort),
      ...(options.cdpUrl ? { STANDIN_CDP_URL: options.cdpUrl } : {}),
      ...(options.packaged ? { STANDIN_PACKAGED: '1' } : {}),
      ...(options.platform ? { STANDIN_PLATFORM: options.platform } : {}),
      ...(options.locale ? { STANDIN_LOCALE: options.locale } : {}),
      ...options.env,
    },
  });
  const events: StandInEvent[] = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => (stderr += chunk));
  child.stdout!.resume();
  let nextCommand = 1;
  const replies = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  child.on('message', (raw) => {
    const message = raw as { kind: string; id?: number; ok?: boolean; value?: unknown; error?: string };
    if (message.kind === 'event') {
      events.push(message as unknown as StandInEvent);
      for (const wake of waiters) wake();
    } else if (message.kind === 'reply' && message.id !== undefined) {
      const waiting = replies.get(message.id);
      replies.delete(message.id);
      if (message.ok) waiting?.resolve(message.value);
      else waiting?.reject(new Error(message.error));
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then(() => {
    for (const waiting of replies.values()) waiting.reject(new Error('the desktop app exited'));
    for (const wake of waiters) wake();
  });

  const app: DesktopApp = {
    process: child,
    events,
    stderr: () => stderr,
    async waitFor(name, where = () => true, timeoutMs = 15_000) {
      const find = () => events.find((event) => event.name === name && where(event.data as never));
      const found = find();
      if (found) return found as never;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no "${name}" from the desktop app within ${timeoutMs} ms; it reported: ${events.map((e) => e.name).join(', ')}\n${stderr.slice(-3000)}`));
        }, timeoutMs);
        const check = () => {
          const event = find();
          if (event) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve(event as never);
          } else if (child.exitCode !== null) {
            clearTimeout(timer);
            waiters.delete(check);
            reject(new Error(`the desktop app exited (${child.exitCode}) before "${name}"; it reported: ${events.map((e) => e.name).join(', ')}\n${stderr.slice(-3000)}`));
          }
        };
        waiters.add(check);
      });
    },
    command(name, args = {}) {
      const id = nextCommand++;
      return new Promise((resolve, reject) => {
        replies.set(id, { resolve: resolve as (value: unknown) => void, reject });
        child.send({ kind: 'command', id, name, args });
      });
    },
    exited,
    // An error dialog counts: a test that expects one reads it from `events` itself.
    failures: () => events.filter((event) => ['stand-in-failure', 'main-uncaught-exception', 'main-unhandled-rejection', 'preload-error', 'error-box'].includes(event.name)),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
  return app;
}

/** The app's main window page in the test's own Chromium connection. */
export async function appPage(chromiumInstance: ChromiumInstance, appPort: number): Promise<Page> {
  const origin = `http://127.0.0.1:${appPort}`;
  return until('the app window page', () => chromiumInstance.browser.contexts().flatMap((context) => context.pages()).find((page) => page.url().startsWith(origin)) ?? null, 20_000);
}

/** A user-data folder with the settings a person (or IT policy) would have chosen. */
export function userDataWith(settings: Record<string, unknown>): string {
  const dir = tempDir('classroom-desktop-user-');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'settings.json'), JSON.stringify(settings));
  return dir;
}
