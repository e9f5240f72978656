/**
 * A real Secret Service for keytar tests: a private D-Bus session bus and gnome-keyring-daemon,
 * unlocked with a throwaway password, in a temporary home. Debian packages: dbus, gnome-keyring.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface SecretService {
  address: string;
  stop(): void;
}

export async function startSecretService(): Promise<SecretService> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'classroom-keyring-'));
  const env = { ...process.env, HOME: home, XDG_DATA_HOME: path.join(home, 'data'), XDG_RUNTIME_DIR: home };
  const [address, pid] = execFileSync('dbus-daemon', ['--session', '--fork', '--print-address=1', '--print-pid=1'], { encoding: 'utf8', env })
    .trim()
    .split('\n');
  const keyring: ChildProcess = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
    env: { ...env, DBUS_SESSION_BUS_ADDRESS: address },
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  keyring.stdin!.end('throwaway-password');
  // The daemon registers org.freedesktop.secrets on the bus shortly after it starts.
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    try {
      const names = execFileSync('dbus-send', ['--session', '--dest=org.freedesktop.DBus', '--type=method_call', '--print-reply', '/org/freedesktop/DBus', 'org.freedesktop.DBus.ListNames'], {
        encoding: 'utf8',
        env: { ...env, DBUS_SESSION_BUS_ADDRESS: address },
      });
      if (names.includes('org.freedesktop.secrets')) break;
    } catch {
      // bus not ready yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    address: address!,
    stop() {
      keyring.kill();
      try {
        process.kill(Number(pid));
      } catch {
        // already gone
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}
