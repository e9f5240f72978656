/**
 * A slow-body attacker's connection (loopback only): a login request's headers promising a
 * 100-byte body, one byte of it, then silence — optionally after one whole keep-alive request.
 * Resolves once the stall is sent, with when the server closed the connection.
 */
import net from 'node:net';

export function stalledBody(url: string, afterKeepAliveRequest: boolean): Promise<{ socket: net.Socket; closedAt: Promise<number> }> {
  const port = Number(new URL(url).port);
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const closedAt = new Promise<number>((done) => socket.once('close', () => done(Date.now())));
    socket.on('error', () => undefined);
    const stall = () => socket.write('POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{');
    socket.once('connect', () => {
      if (!afterKeepAliveRequest) {
        stall();
        return resolve({ socket, closedAt });
      }
      // First a whole keep-alive request, so the socket has served one before it stalls.
      socket.write('GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
      socket.once('data', () => {
        stall();
        resolve({ socket, closedAt });
      });
    });
    socket.once('error', reject);
  });
}
