/**
 * The bundled server hosted by the desktop app (a mentor's machine or a classroom host), in its own
 * utility process. Its ZEGO secret comes from the environment or the OS keychain — never from a
 * file in the app bundle — and it is handed only to that process, never to a renderer.
 */
import { mkdir } from 'node:fs/promises';
import { ZEGO_SECRET_ACCOUNT, type CredentialStore } from './credentials';

export interface ServerProcessLike {
  stdout: NodeJS.ReadableStream | null;
  stderr: NodeJS.ReadableStream | null;
  on(event: 'exit', listener: (code: number | null) => void): unknown;
  kill(): boolean;
}

export type ForkServer = (entry: string, env: Record<string, string>) => ServerProcessLike;

export interface EmbeddedServerOptions {
  entry: string;
  dataDir: string;
  port: number;
  host: string;
  /** The app's own environment (ZEGO_APP_ID, ZEGO_SERVER_SECRET may be set by IT). */
  env: NodeJS.ProcessEnv;
  credentials: CredentialStore;
}

/** The server process's environment: only what it needs, the secret from env or keychain. */
export async function embeddedServerEnvironment(options: EmbeddedServerOptions): Promise<Record<string, string>> {
  const env: Record<string, string> = {
    PORT: String(options.port),
    HOST: options.host,
    CLASSROOM_DATA_DIR: options.dataDir,
    CLASSROOM_DEMO: options.env.CLASSROOM_DEMO ?? '0',
    CLASSROOM_LOG_LEVEL: options.env.CLASSROOM_LOG_LEVEL ?? 'info',
  };
  for (const key of ['PATH', 'SystemRoot', 'TEMP', 'TMP', 'HOME', 'ZEGO_SERVER_URL', 'CLASSROOM_ICE_SERVERS'] as const) {
    const value = options.env[key];
    if (value) env[key] = value;
  }
  const appId = options.env.ZEGO_APP_ID;
  if (appId) {
    const secret = options.env.ZEGO_SERVER_SECRET ?? (await options.credentials.get(ZEGO_SECRET_ACCOUNT));
    env.ZEGO_APP_ID = appId;
    if (secret) env.ZEGO_SERVER_SECRET = secret;
  }
  return env;
}

export class EmbeddedServer {
  private child: ServerProcessLike | null = null;

  constructor(
    private readonly fork: ForkServer,
    private readonly options: EmbeddedServerOptions,
  ) {}

  /** Starts the server and resolves with its URL once it listens; rejects with its one-line reason. */
  async start(timeoutMs = 30_000): Promise<string> {
    await mkdir(this.options.dataDir, { recursive: true });
    const child = this.fork(this.options.entry, await embeddedServerEnvironment(this.options));
    this.child = child;
    return new Promise<string>((resolve, reject) => {
      // Read until the listening line, then only drained (a pipe nobody reads would stall the server).
      let untilListening: string | null = '';
      // A refused start is one line on stderr ("classroom: PORT 4800 is already in use: …"); a crash ends with a stack.
      let stderrTail = '';
      const timer = setTimeout(() => reject(new Error('The embedded server did not start in time.')), timeoutMs);
      child.stdout?.setEncoding('utf8');
      child.stdout?.on('data', (chunk: string) => {
        if (untilListening === null) return;
        untilListening += chunk;
        const match = /listening on (http:\/\/\S+)/.exec(untilListening);
        if (!match) return;
        untilListening = null;
        clearTimeout(timer);
        resolve(match[1]!);
      });
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (chunk: string) => {
        stderrTail = (stderrTail + chunk).slice(-4096);
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        this.child = null;
        const lines = stderrTail.split('\n').map((line) => line.trim()).filter(Boolean);
        const reason = lines.findLast((line) => line.startsWith('classroom:')) ?? lines.find((line) => /Error/.test(line)) ?? '';
        reject(new Error(`The embedded server stopped (exit ${code})${reason ? ` — ${reason.slice(0, 500)}` : '.'}`));
      });
    });
  }

  stop(): void {
    this.child?.kill();
    this.child = null;
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** This machine hosts the server when the app points at a loopback http URL it should serve itself. */
export function hostedServerUrl(serverUrl: string, hostWanted: boolean): string | null {
  if (!hostWanted) return null;
  try {
    const url = new URL(serverUrl);
    return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname) ? url.origin : null;
  } catch {
    return null;
  }
}

/**
 * Keeps the hosted server in step with the settings: started when the app points at this machine,
 * stopped when the server URL moves elsewhere, and at quit.
 */
export class EmbeddedServerSupervisor {
  private server: EmbeddedServer | null = null;
  private hosting: string | null = null;

  constructor(
    private readonly create: (url: URL) => EmbeddedServer,
    private readonly log: (message: string) => void,
  ) {}

  async reconcile(url: string | null): Promise<void> {
    if (url === this.hosting) return;
    this.stop();
    if (!url) return;
    const server = this.create(new URL(url));
    this.server = server;
    this.hosting = url;
    try {
      await server.start();
    } catch (error) {
      this.log(`Embedded server not started: ${(error as Error).message}`);
      if (this.server === server) this.stop();
    }
  }

  stop(): void {
    this.server?.stop();
    this.server = null;
    this.hosting = null;
  }
}
