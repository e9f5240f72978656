/**
 * The main-process connection and OS notifications against the real server and socket.io-client.
 * Only Electron's Notification is a fake (the binary is the edge we cannot run here).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionNotification } from '@contract/api';
import type { ConnectionState } from '@contract/ipc';
import { MainConnection } from '../../electron/main/connection';
import { SessionAlerts, type NotificationLike, type NotificationOptions } from '../../electron/main/notifications';
import { call, createDemoSession, eventually, login } from '../helpers/api-client';
import { startTestServer, startTestServerOnPort, type TestServer } from '../helpers/test-server';

/** FAKE Electron Notification: records what would be shown, lets the test click it. */
class FakeNotification implements NotificationLike {
  static all: FakeNotification[] = [];
  closed = false;
  shown = false;
  private listeners = new Map<string, Array<(...args: unknown[]) => void>>();
  constructor(readonly options: NotificationOptions) {
    FakeNotification.all.push(this);
  }
  on(event: string, listener: (...args: unknown[]) => void) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }
  show() {
    this.shown = true;
  }
  close() {
    this.closed = true;
    for (const l of this.listeners.get('close') ?? []) l();
  }
  emit(event: string) {
    for (const l of this.listeners.get(event) ?? []) l();
  }
}

let server: TestServer | undefined;
const connections: MainConnection[] = [];
afterEach(async () => {
  for (const c of connections.splice(0)) c.stop();
  await server?.close();
  server = undefined;
  FakeNotification.all = [];
});

function desktopApp() {
  const states: ConnectionState[] = [];
  const opened: string[] = [];
  const declined: string[] = [];
  const alerts = new SessionAlerts({
    createNotification: (options) => new FakeNotification(options),
    isSupported: () => true,
    platform: 'darwin',
    enabled: () => true,
    openMeeting: (sessionId) => opened.push(sessionId),
    decline: (sessionId) => declined.push(sessionId),
    text: () => ({ title: 'Your mentor has started the session!', join: 'Join', decline: 'Decline', locale: 'en-GB' }),
  });
  const received: SessionNotification[] = [];
  const connection = new MainConnection(
    {
      onState: (state) => states.push(state),
      onNotification: (n) => {
        received.push(n);
        alerts.show(n);
      },
      onSessionEnded: (sessionId) => alerts.withdraw(sessionId),
    },
    { initialDelayMs: 100, maxDelayMs: 400, jitter: 0.5 },
  );
  connections.push(connection);
  return { connection, states, opened, received, alerts };
}

describe('main-process connection + notifications', () => {
  it('rings a student who comes online after the start, once, and clicking opens that session', async () => {
    server = await startTestServer();
    const mentor = await login(server.url, 'mentor_001');
    const created = await createDemoSession(server.url, mentor);

    const app = desktopApp();
    app.connection.start(server.url, await login(server.url, 'L001'));
    await eventually(() => app.received.length === 1, 5000, 'not rung after coming online');
    expect(app.states).toEqual(['connecting', 'online']);
    const [notification] = FakeNotification.all;
    // The slot (09:00–10:00 in the mentor's zone) in this computer's zone, 24-hour.
    const hhmm = (iso: string, timeZone?: string) => new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(new Date(iso));
    const ring = app.received[0]!;
    expect(hhmm(ring.startsAt, 'Asia/Ho_Chi_Minh')).toBe('09:00');
    expect(notification!.options).toMatchObject({ title: 'Your mentor has started the session!', body: `Nguyễn Văn Minh · Speaking Practice · ${hhmm(ring.startsAt)}–${hhmm(ring.endsAt)}`, actions: [{ type: 'button', text: 'Join' }, { type: 'button', text: 'Decline' }], timeoutType: 'never' });
    expect(notification!.shown).toBe(true);
    expect(app.alerts.unread).toBe(1);

    // The server delivers it again (notify-session-start): acknowledged, but not shown twice.
    const studentToken = (await call(server.url, 'GET', '/api/student/sessions', { token: await login(server.url, 'L001') })).data.sessions[0].token;
    await call(server.url, 'POST', '/api/mentor/notify-session-start', {
      token: mentor,
      body: { studentId: 'L001', roomId: created.roomId, token: studentToken, mentorName: 'x', sessionType: 'Speaking Practice', startTime: '09:00', endTime: '10:00' },
    });
    await eventually(async () => ((await server!.app.store.getNotification(created.sessionId))?.send_count ?? 0) >= 2, 3000);
    await new Promise((r) => setTimeout(r, 200));
    expect(app.received).toHaveLength(1);
    expect(FakeNotification.all).toHaveLength(1);

    notification!.emit('action'); // "Join" on macOS
    expect(app.opened).toEqual([created.sessionId]);
    expect(notification!.closed).toBe(true);
    expect(app.alerts.unread).toBe(0);
  });

  it('withdraws the notification when the mentor ends the session', async () => {
    server = await startTestServer();
    const app = desktopApp();
    app.connection.start(server.url, await login(server.url, 'L001'));
    await eventually(() => app.connection.state === 'online');
    const mentor = await login(server.url, 'mentor_001');
    const created = await createDemoSession(server.url, mentor);
    await eventually(() => FakeNotification.all.length === 1);
    await call(server.url, 'POST', `/api/sessions/${created.sessionId}/end`, { token: mentor });
    await eventually(() => FakeNotification.all[0]!.closed, 3000, 'not withdrawn');
    expect(app.opened).toEqual([]);
  });

  it('reconnects by itself after the server restarts, and reports each state', async () => {
    server = await startTestServer();
    const port = new URL(server.url).port;
    const token = await login(server.url, 'L001');
    const app = desktopApp();
    app.connection.start(server.url, token);
    await eventually(() => app.connection.state === 'online');
    const dataDir = server.dataDir;
    await server.app.close();
    await eventually(() => app.connection.state === 'offline', 5000, 'did not notice the server going');
    // Same port and data folder: the app's URL and its access token stay valid.
    server = await startTestServerOnPort(Number(port), dataDir);
    await eventually(() => app.connection.state === 'online', 10_000, 'did not reconnect');
    expect(app.states).toEqual(['connecting', 'online', 'offline', 'online']);
  });

  it('stops and reports "unauthenticated" when the sign-in is revoked', async () => {
    server = await startTestServer();
    const token = await login(server.url, 'L001');
    const app = desktopApp();
    app.connection.start(server.url, token);
    await eventually(() => app.connection.state === 'online');
    await call(server.url, 'POST', '/api/auth/logout', { token });
    await eventually(() => app.connection.state === 'unauthenticated', 5000, 'still thinks it is signed in');
  });
});
