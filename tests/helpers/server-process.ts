/** The real server entry (`server/index.ts`, as `npm run serve` runs it) in a child process. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  stdout: string[];
  stderr: string[];
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface ExitedProcess {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The server's environment: the demo accounts unless the test says otherwise; a variable set to undefined is left out. */
type ServerEnv = Record<string, string | undefined>;

function spawnServer(env: ServerEnv) {
  const merged: ServerEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', PORT: '0', CLASSROOM_LOG_LEVEL: 'warn', CLASSROOM_DEMO: '1', ...env };
  // tsx as a loader in this very process (its CLI would add a parent process that SIGKILL cannot pass through).
  return spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: ROOT,
    env: Object.fromEntries(Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined)),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Starts the server and resolves once it prints its listening line. */
export function startServerProcess(env: ServerEnv, timeoutMs = 20_000): Promise<ServerProcess> {
  const child = spawnServer(env);
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => stdout.push(...chunk.split('\n').filter(Boolean)));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => stderr.push(...chunk.split('\n').filter(Boolean)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start: ${stderr.join('\n')}`));
    }, timeoutMs);
    const onData = () => {
      const line = stdout.find((l) => l.includes('listening on'));
      const match = line && /listening on (http:\/\/\S+)/.exec(line);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve({
        child,
        url: match[1]!,
        stdout,
        stderr,
        kill: (signal = 'SIGTERM') => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`server exited before listening: ${stderr.join('\n')}`));
    });
  });
}

/** Runs the entry expecting it to stop by itself (a refused start). */
export function runServerToExit(env: ServerEnv, timeoutMs = 20_000): Promise<ExitedProcess> {
  const child = spawnServer(env);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not exit; stdout: ${stdout}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
