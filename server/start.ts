/**
 * Starting the bundled server from a process entry (`npm run serve`, the Electron embedded server,
 * child-process tests): configuration, listen, one clear line for any start-up problem, clean stop.
 */
import path from 'node:path';
import { createApplication, type Application } from './app';
import { ConfigError, loadConfig, type ConfigDefaults } from './config';
import { DEMO_ACCOUNTS_LINE } from './services/demo-data';
import { DataDirLockedError } from './store/json/data-dir-lock';
import { StoreFileCorruptError } from './store/json/durable-json-file';
import { StoreUnavailableError } from './store/json/json-store';
import { RedisUnavailableError } from './store/redis/redis-store';

/** Errors whose message is the whole story for the operator: printed as one line, no stack. */
const OPERATOR_ERRORS = [ConfigError, DataDirLockedError, StoreFileCorruptError, StoreUnavailableError, RedisUnavailableError];

export function startupErrorLine(error: unknown, port?: number): string {
  if (OPERATOR_ERRORS.some((type) => error instanceof type)) return (error as Error).message;
  const code = (error as NodeJS.ErrnoException).code;
  // The metrics listener (CLASSROOM_METRICS_LISTEN) is the other port we open: name the one that failed.
  const failedPort = (error as { port?: number }).port;
  const metrics = failedPort !== undefined && failedPort !== port;
  const setting = metrics ? 'CLASSROOM_METRICS_LISTEN' : 'PORT';
  const which = metrics ? `${setting} port ${failedPort}` : `PORT ${port ?? ''}`.trim();
  if (code === 'EADDRINUSE') return `${which} is already in use: stop the other program or set ${setting} to a free port.`;
  if (code === 'EACCES') return `${which}: permission denied to listen there; choose a port above 1024.`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return 'HOST is not an address of this machine.';
  return `The server could not start: ${(error as Error).message ?? String(error)}`;
}

export interface StartOptions {
  /** Where `.env.local` is read from; null reads the environment only (the desktop-hosted server). */
  projectRoot: string | null;
  defaults: ConfigDefaults;
  webRoot?: string | null;
  /** Where the one-line messages go (stdout for news, stderr for a failed start). */
  out?: (line: string) => void;
  err?: (line: string) => void;
}

/** Starts and listens, or prints one line and exits with status 1. */
export async function startServer(env: NodeJS.ProcessEnv, options: StartOptions): Promise<Application> {
  const out = options.out ?? ((line) => process.stdout.write(`${line}\n`));
  const err = options.err ?? ((line) => process.stderr.write(`${line}\n`));
  let app: Application | undefined;
  let port: number | undefined;
  let stopping = false;
  // Registered before listening: a stop that arrives while we start is still a clean stop.
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    out(`Stopping (${signal})…`);
    (app?.close() ?? Promise.resolve()).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  // Started by npm (its shell may not pass a signal on) or hosted by the desktop app: stop with
  // whoever started us. Started on its own (nohup, a service manager), a server outlives its shell.
  if (options.projectRoot === null || env.npm_lifecycle_event !== undefined) stopWhenOrphaned(() => stop('parent exited'));

  try {
    const config = loadConfig(env, options.projectRoot, options.defaults);
    port = config.port;
    app = await createApplication(config, { options: { webRoot: options.webRoot ?? null } });
    const url = await app.listen();
    out(`Classroom server listening on ${url} (media engine: ${config.zego ? 'ZEGOCLOUD' : 'built-in peer-to-peer'}; store: ${config.store} in ${config.dataDir})`);
    if (app.demoSeeded) out(DEMO_ACCOUNTS_LINE);
  } catch (error) {
    await app?.close().catch(() => undefined);
    err(`classroom: ${startupErrorLine(error, port)}`);
    process.exit(1);
  }
  return app;
}

/**
 * `npm run serve` puts a shell between npm and us: a SIGTERM sent to npm kills that shell, which
 * does not pass it on, and we would run on as an orphan holding the data-folder lock. Our parent
 * changing (we were re-parented) means whoever started us is gone, so we stop as if signalled.
 */
export function stopWhenOrphaned(stop: () => void, everyMs = 500): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    stop();
  }, everyMs);
  timer.unref();
}

/**
 * The data folder beside the repo; demo accounts (password "demo") only for the newcomer's
 * `npm run serve`. A server started any other way — a service manager, the packaged server.js —
 * starts with no one in it unless CLASSROOM_DEMO=1.
 */
export const repoDefaults = (projectRoot: string, env: NodeJS.ProcessEnv): ConfigDefaults => ({ dataDir: path.join(projectRoot, 'data'), demo: env.npm_lifecycle_event === 'serve' });
