/**
 * The load balancer of the two-node layout, for the bench (loopback only): a TCP proxy that hands
 * each new connection to the next node in turn and, when a node refuses, to the next one that
 * answers — as a health-checked balancer in front of a Redis cluster of nodes does once a node
 * is gone. Sockets are WebSocket-only (the desktop app's transport), so no stickiness is needed.
 * BACKENDS=port,port; prints "listening on http://…".
 */
import net from 'node:net';

const backends = (process.env.BACKENDS ?? '').split(',').map(Number).filter((p) => p > 0);
let turn = 0;

function connectUpstream(client: net.Socket, tries: number): void {
  if (tries >= backends.length) {
    client.destroy();
    return;
  }
  const port = backends[turn++ % backends.length]!;
  const upstream = net.connect({ port, host: '127.0.0.1' });
  let connected = false;
  upstream.on('error', () => {
    if (connected) client.destroy();
    else connectUpstream(client, tries + 1); // refused: that node is down, try the next
  });
  upstream.once('connect', () => {
    connected = true;
    client.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
    client.resume();
  });
}

const server = net.createServer({ pauseOnConnect: true }, (client) => {
  client.on('error', () => undefined);
  connectUpstream(client, 0);
});
server.maxConnections = 200_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as net.AddressInfo;
  process.stdout.write(`balancer listening on http://127.0.0.1:${port}\n`);
});
