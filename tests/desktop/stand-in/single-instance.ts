/**
 * `app.requestSingleInstanceLock()` between real processes, the way Chromium does it: the first
 * instance owns a lock in the user-data folder and listens on a socket there; a second instance
 * hands its argv and working directory to the first (synchronously, as Electron does, before the
 * call returns false) and the first emits `second-instance`.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { config } from './runtime';

const lockFile = path.join(config.userData, 'SingletonLock');
const socketPath = path.join(config.userData, 'SingletonSocket');

function ownerAlive(): boolean {
  try {
    const pid = Number(readFileSync(lockFile, 'utf8'));
    if (!Number.isInteger(pid) || pid <= 0) return false;
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function takeLock(): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (ownerAlive()) return false;
      rmSync(lockFile, { force: true }); // a crashed owner's lock
    }
  }
  return false;
}

/** The hand-over, run as a child so that it completes before requestSingleInstanceLock returns. */
const HAND_OVER = `
const net = require('node:net');
const socket = net.connect(process.argv[1], () => socket.end(process.argv[2]));
socket.on('data', () => process.exit(0));
socket.on('error', () => process.exit(3));
setTimeout(() => process.exit(4), 5000);
`;

export interface SecondInstance {
  argv: string[];
  workingDirectory: string;
  additionalData: unknown;
}

let held = false;
let server: net.Server | null = null;

/** True when this process got the lock; otherwise the owner has been handed our argv. */
export function requestLock(additionalData: unknown, onSecondInstance: (second: SecondInstance) => void): boolean {
  if (held) return true;
  if (!takeLock()) {
    const payload = JSON.stringify({ argv: process.argv, workingDirectory: process.cwd(), additionalData: additionalData ?? null });
    try {
      execFileSync(process.execPath, ['-e', HAND_OVER, socketPath, payload], { stdio: 'ignore', timeout: 6000 });
    } catch {
      // The owner did not answer; Electron also just returns false.
    }
    return false;
  }
  held = true;
  rmSync(socketPath, { force: true });
  server = net.createServer({ allowHalfOpen: true }, (connection) => {
    let data = '';
    connection.setEncoding('utf8');
    connection.on('data', (chunk: string) => (data += chunk));
    connection.on('end', () => {
      try {
        onSecondInstance(JSON.parse(data) as SecondInstance);
      } finally {
        connection.end('ok');
      }
    });
  });
  server.listen(socketPath);
  server.unref();
  return true;
}

export function hasLock(): boolean {
  return held;
}

export function releaseLock(): void {
  if (!held) return;
  held = false;
  server?.close();
  rmSync(socketPath, { force: true });
  rmSync(lockFile, { force: true });
}
