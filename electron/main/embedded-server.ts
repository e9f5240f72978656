/**
 * The bundled server hosted by the desktop app (a mentor's machine or a classroom host), in its own
 * utility process. Its ZEGO secret comes from the environment or the OS keychain — never from a
 * file in the app bundle — and it is handed only to that process, never to a renderer.
 */
import { ZEGO_SECRET_ACCOUNT, type CredentialStore } from './credentials';

export interface ServerProcessLike {
  stdout: NodeJS.ReadableStream | null;
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
    const child = this.fork(this.options.entry, await embeddedServerEnvironment(this.options));
    this.child = child;
    return new Promise<string>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error('The embedded server did not start in time.')), timeoutMs);
      child.stdout?.setEncoding('utf8');
      child.stdout?.on('data', (chunk: string) => {
        output += chunk;
        const match = /listening on (http:\/\/\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        this.child = null;
        reject(new Error(`The embedded server stopped (exit ${code}).`));
      });
    });
  }

  stop(): void {
    this.child?.kill();
    this.child = null;
  }
}
