/**
 * `protocol`: privileged schemes (registered before `ready` only) and `protocol.handle` handlers
 * (after `ready` only), whose responses must be `Response` objects.
 *
 * Chromium outside Electron cannot load a custom scheme, so each `scheme://host` the app loads is
 * stood for by an http origin on loopback (`http://127.0.0.1:<port>`) whose every request is
 * answered by the app's own handler, with the URL translated back. The stand-in translates URLs
 * both ways wherever the app sees them (getURL, IPC sender frames, navigation events), so main's
 * code sees exactly the URLs Electron would give it. Paths under `/__electron_stand_in__/` on
 * that origin belong to the stand-in (the preload bridge), never to the app.
 */
import http from 'node:http';
import { Readable } from 'node:stream';
import { config, fail, guardExport, lifecycle, onCommand, report } from './runtime';

export const STAND_IN_PATH = '/__electron_stand_in__/';

type ProtocolHandler = (request: Request) => Response | Promise<Response>;
const privileged = new Map<string, Record<string, boolean>>();
const handlers = new Map<string, ProtocolHandler>();
/** `scheme://host` → the http origin standing for it, and back. */
const toHttp = new Map<string, string>();
const fromHttp = new Map<string, string>();
let bridgeHandler: ((request: http.IncomingMessage, response: http.ServerResponse) => void) | null = null;

export const protocol = guardExport('protocol', {
  registerSchemesAsPrivileged(schemes: Array<{ scheme: string; privileges?: Record<string, boolean> }>) {
    if (lifecycle.ready) fail('protocol.registerSchemesAsPrivileged must be called before the app is ready');
    for (const { scheme, privileges } of schemes) privileged.set(scheme, privileges ?? {});
    report('schemes-privileged', schemes);
  },
  handle(scheme: string, handler: ProtocolHandler) {
    if (!lifecycle.ready) fail('protocol.handle cannot be used before the app is ready');
    if (handlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`);
    handlers.set(scheme, handler);
  },
  unhandle(scheme: string) {
    handlers.delete(scheme);
  },
  isProtocolHandled(scheme: string) {
    return handlers.has(scheme);
  },
});

/** The test asks the app's scheme handler directly (e.g. for a host no page would load). */
onCommand('protocol-request', async ({ url }) => {
  const scheme = String(url).slice(0, String(url).indexOf(':'));
  const handler = handlers.get(scheme);
  if (!handler) throw new Error(`no protocol.handle handler for ${scheme}`);
  const response = await handler(new Request(String(url)));
  if (!(response instanceof Response)) fail(`protocol.handle(${scheme}) handler returned ${typeof response}, not a Response`);
  return { status: response.status, contentType: response.headers.get('content-type') };
});

export function schemePrivileges(scheme: string): Record<string, boolean> | undefined {
  return privileged.get(scheme);
}

/** The stand-in's bridge endpoint lives on every mapped origin. */
export function setBridgeHandler(handler: typeof bridgeHandler): void {
  bridgeHandler = handler;
}

async function answer(origin: string, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  if (request.url?.startsWith(STAND_IN_PATH)) {
    if (!bridgeHandler) throw new Error('no bridge');
    return bridgeHandler(request, response);
  }
  const scheme = origin.slice(0, origin.indexOf(':'));
  const handler = handlers.get(scheme);
  if (!handler) {
    response.writeHead(404).end(`net::ERR_UNKNOWN_URL_SCHEME (${scheme} has no protocol.handle handler)`);
    return;
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers.set(name, value);
  const result = await handler(new Request(`${origin}${request.url ?? '/'}`, { method: request.method, headers }));
  if (!(result instanceof Response)) {
    report('stand-in-failure', { message: `protocol.handle(${scheme}) handler returned ${typeof result}, not a Response` });
    response.writeHead(500).end('net::ERR_UNEXPECTED');
    return;
  }
  const out: Record<string, string> = {};
  result.headers.forEach((value, name) => (out[name] = value));
  response.writeHead(result.status, out);
  if (result.body) Readable.fromWeb(result.body as import('node:stream/web').ReadableStream).pipe(response);
  else response.end();
}

const servers: http.Server[] = [];

/** The http origin standing for `scheme://host` (started on first use). */
export async function httpOriginFor(schemeOrigin: string): Promise<string> {
  const known = toHttp.get(schemeOrigin);
  if (known) return known;
  const server = http.createServer((request, response) => {
    answer(schemeOrigin, request, response).catch((error: unknown) => {
      report('stand-in-failure', { message: `protocol handler for ${schemeOrigin} threw: ${String(error)}` });
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  servers.push(server);
  // The first mapped origin gets the port the harness chose (so the test server can allow it).
  const port = toHttp.size === 0 ? config.appPort : 0;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  const httpOrigin = `http://127.0.0.1:${address.port}`;
  toHttp.set(schemeOrigin, httpOrigin);
  fromHttp.set(httpOrigin, schemeOrigin);
  return httpOrigin;
}

function originAndRest(url: string): [string, string] | null {
  const match = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)(.*)$/i.exec(url);
  return match ? [match[1]!, match[2]!] : null;
}

/** A URL as Chromium loads it (a privileged-scheme URL becomes its http stand-in). */
export async function toChromiumUrl(url: string): Promise<string> {
  const parts = originAndRest(url);
  if (!parts) return url;
  const scheme = parts[0].slice(0, parts[0].indexOf(':'));
  if (!privileged.has(scheme)) return url;
  return `${await httpOriginFor(parts[0])}${parts[1] || '/'}`;
}

/** A URL as Electron would report it (the http stand-in becomes the privileged-scheme URL again). */
export function fromChromiumUrl(url: string): string {
  const parts = originAndRest(url);
  const schemeOrigin = parts && fromHttp.get(parts[0]);
  return schemeOrigin ? `${schemeOrigin}${parts![1]}` : url;
}

export function closeProtocolServers(): void {
  for (const server of servers) server.close();
}
