/**
 * Bench helper, run as its own process: signs N students in over REST and keeps N socket.io-client
 * connections open, acknowledging every `session_notification` and reporting its arrival time to
 * the parent (`performance.timeOrigin + performance.now()`, the same wall clock in both processes).
 */
import { io, type Socket } from 'socket.io-client';

interface Start {
  type: 'start';
  url: string;
  studentIds: string[];
  password: string;
}

const sockets: Socket[] = [];
const now = () => performance.timeOrigin + performance.now();

async function login(url: string, userId: string, password: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId, password }) });
    if (response.ok) return ((await response.json()) as { data: { accessToken: string } }).data.accessToken;
    if (attempt > 3) throw new Error(`login ${userId}: ${response.status}`);
  }
}

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

process.on('message', async (message: Start | { type: 'stop' }) => {
  if (message.type === 'stop') {
    for (const socket of sockets) socket.close();
    process.exit(0);
  }
  const tokens = new Map<string, string>();
  await pool(message.studentIds, 16, async (id) => void tokens.set(id, await login(message.url, id, message.password)));
  let connected = 0;
  await pool(message.studentIds, 200, (id) =>
    new Promise<void>((resolve, reject) => {
      const socket = io(message.url, { auth: { token: tokens.get(id) }, transports: ['websocket'], reconnection: false, forceNew: true });
      socket.on('session_notification', (payload: { sessionId: string }, ack?: (r: unknown) => void) => {
        const at = now();
        ack?.({ received: true });
        process.send!({ type: 'notified', studentId: id, sessionId: payload.sessionId, at });
      });
      socket.once('connect', () => {
        connected++;
        sockets.push(socket);
        resolve();
      });
      socket.once('connect_error', reject);
    }),
  );
  process.send!({ type: 'ready', connected });
});
