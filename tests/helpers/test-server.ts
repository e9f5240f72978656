/**
 * A real server for tests: createApplication on port 0, a real lowdb file in a temp folder, logs
 * captured in memory so tests can read them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createApplication, type AppOptions, type Application } from '../../server/app';
import { parseConfig } from '../../server/config';
import { createLogger } from '../../server/observability/logger';

export class ManualClock {
  private timers: Array<{ atMs: number; callback: () => void }> = [];
  /** Starts on a whole second, as token expiry is in seconds. */
  constructor(public nowMs = Math.floor(Date.now() / 1000) * 1000) {}
  readonly now = () => this.nowMs;
  /** Timers on this clock (used by a server started with `manualTimers`): they fire as `advance` passes them. */
  readonly scheduleAt = (atMs: number, callback: () => void) => {
    const timer = { atMs, callback };
    this.timers.push(timer);
    return () => void (this.timers = this.timers.filter((t) => t !== timer));
  };
  advance(ms: number): void {
    this.nowMs += ms;
    const due = this.timers.filter((t) => t.atMs <= this.nowMs);
    this.timers = this.timers.filter((t) => t.atMs > this.nowMs);
    for (const timer of due) timer.callback();
  }
}

export interface TestServer {
  app: Application;
  url: string;
  dataDir: string;
  logs: string[];
  close(): Promise<void>;
  /** Closes and starts again on the same data folder. */
  restart(): Promise<TestServer>;
}

export interface TestServerOptions {
  env?: Record<string, string>;
  clock?: ManualClock;
  /** Drive the server's timers (session expiry) from the manual clock too. */
  manualTimers?: boolean;
  options?: Partial<AppOptions>;
  dataDir?: string;
  keepDataDir?: boolean;
}

export async function makeTempDir(prefix = 'classroom-test-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

/** Restarts on a known port (reconnect tests), same data folder. */
export function startTestServerOnPort(port: number, dataDir: string): Promise<TestServer> {
  return startTestServer({ dataDir, port });
}

export async function startTestServer(opts: TestServerOptions & { port?: number } = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? (await makeTempDir());
  const config = parseConfig(
    { CLASSROOM_DEMO: '1', ...opts.env, PORT: String(opts.port ?? 0), HOST: '127.0.0.1', CLASSROOM_DATA_DIR: dataDir },
    { dataDir, demo: true },
  );
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const app = await createApplication(config, {
    clock: opts.clock?.now,
    ...(opts.manualTimers && opts.clock ? { scheduleAt: opts.clock.scheduleAt } : {}),
    logger: createLogger('info', sink),
    options: { loginThrottle: null, ...opts.options },
  });
  const url = await app.listen();
  const server: TestServer = {
    app,
    url,
    dataDir,
    logs,
    async close() {
      await app.close();
      if (!opts.keepDataDir && !opts.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
    async restart() {
      await app.close();
      return startTestServer({ ...opts, dataDir });
    },
  };
  return server;
}
