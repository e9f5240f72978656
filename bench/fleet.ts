/**
 * Student apps for the bench, run as their own process: each app is the desktop app's own
 * `MainConnection` (electron/main/connection.ts) with its default backoff and jitter — the same
 * code, options and acknowledgements a student's tray app runs, minus the Electron window.
 *
 * Messages from the parent:
 *   connect {url, apps:[{id, token}], concurrency} → 'connected' {connected, failed, elapsedMs}
 *   watch → from now on, note when each app drops and when it is online again
 *   report → 'report' {droppedAt[], onlineAgainAt[], offline}
 *   stop → closes every app and exits
 * and to it, for every ring an app shows: 'notified' {studentId, sessionId, at}.
 */
import { DEFAULT_BACKOFF, MainConnection } from '../electron/main/connection';
import type { ConnectionState } from '../server/contract/ipc';

interface App {
  id: string;
  connection: MainConnection;
  state: ConnectionState;
  droppedAt?: number;
  onlineAgainAt?: number;
}

const now = () => performance.timeOrigin + performance.now();
const apps: App[] = [];
let watching = false;
const CONNECT_DEADLINE_MS = 60_000;

function send(message: object): void {
  process.send!(message);
}

async function connect(url: string, list: Array<{ id: string; token: string }>, concurrency: number): Promise<void> {
  const started = now();
  let next = 0;
  let connected = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, list.length) }, async () => {
      while (next < list.length) {
        const { id, token } = list[next++]!;
        await new Promise<void>((resolve) => {
          let settled = false;
          const app: App = { id, state: 'signed-out', connection: undefined as unknown as MainConnection };
          const timer = setTimeout(() => settle(false), CONNECT_DEADLINE_MS);
          function settle(ok: boolean) {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            if (ok) connected++;
            else failed++;
            resolve();
          }
          app.connection = new MainConnection({
            onState(state) {
              const was = app.state;
              app.state = state;
              if (state === 'online') settle(true);
              if (state === 'unauthenticated') settle(false);
              if (watching && was === 'online' && state !== 'online' && app.droppedAt === undefined) app.droppedAt = now();
              if (watching && state === 'online' && app.droppedAt !== undefined && app.onlineAgainAt === undefined) app.onlineAgainAt = now();
            },
            onNotification(notification) {
              send({ type: 'notified', studentId: id, sessionId: notification.sessionId, at: now() });
            },
            onSessionEnded() {},
          }, DEFAULT_BACKOFF);
          apps.push(app);
          app.connection.start(url, token);
        });
      }
    }),
  );
  send({ type: 'connected', connected, failed, elapsedMs: now() - started });
}

process.on('message', (message: { type: string; url?: string; apps?: Array<{ id: string; token: string }>; concurrency?: number }) => {
  switch (message.type) {
    case 'connect':
      void connect(message.url!, message.apps!, message.concurrency ?? 200);
      break;
    case 'watch':
      watching = true;
      for (const app of apps) {
        app.droppedAt = undefined;
        app.onlineAgainAt = undefined;
      }
      send({ type: 'watching' });
      break;
    case 'report': {
      const dropped = apps.filter((a) => a.droppedAt !== undefined);
      send({
        type: 'report',
        droppedAt: dropped.map((a) => a.droppedAt),
        onlineAgainAt: dropped.filter((a) => a.onlineAgainAt !== undefined).map((a) => a.onlineAgainAt),
        offline: apps.filter((a) => a.state !== 'online').length,
        online: apps.filter((a) => a.state === 'online').length,
      });
      break;
    }
    case 'stop':
      for (const app of apps) app.connection.stop();
      setTimeout(() => process.exit(0), 200);
      break;
  }
});
send({ type: 'up' });
