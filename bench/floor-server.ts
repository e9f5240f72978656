/**
 * The floor: the least a Socket.IO ring can cost on this machine. A bare Socket.IO server (same
 * library and version as ours) that puts each socket in its student's room and, when
 * `POST /ring?student=ID&session=ID` arrives, emits a `session_notification` to that room and
 * answers. No store, no auth, no tokens, no outbox, no acknowledgement wait. With REDIS_URL it
 * uses the same Redis adapter as ours, so two floor nodes give the cross-node floor.
 *
 * The app's handshake token is taken as its student id, so the desktop app's own connection code
 * connects here unchanged. Prints "listening on http://…" like the real server.
 */
import http from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';

const httpServer = http.createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://floor');
  if (request.method === 'POST' && url.pathname === '/ring') {
    const student = url.searchParams.get('student') ?? '';
    const sessionId = url.searchParams.get('session') ?? '';
    io.to(`student_${student}`).emit('session_notification', { sessionId, roomId: `room_${sessionId}`, token: '', mentorName: 'Floor', sessionType: 'Bench', startTime: '', endTime: '', message: '', expiresAt: '' });
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"success":true,"data":{}}');
    return;
  }
  if (url.pathname === '/api/health') {
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"success":true,"data":{"status":"ok"}}');
    return;
  }
  response.writeHead(404).end();
});

const io = new Server(httpServer, { serveClient: false, pingInterval: 10_000, pingTimeout: 5_000 });
io.on('connection', (socket) => {
  const token: unknown = socket.handshake.auth?.token;
  void socket.join(`student_${typeof token === 'string' ? token : ''}`);
});

async function main() {
  if (process.env.REDIS_URL) {
    const pub = new Redis(process.env.REDIS_URL);
    const sub = pub.duplicate();
    io.adapter(createAdapter(pub, sub));
  }
  httpServer.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    const { port } = httpServer.address() as { port: number };
    process.stdout.write(`floor listening on http://127.0.0.1:${port}\n`);
  });
}
void main();
