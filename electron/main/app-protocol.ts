/**
 * The packaged renderer is served from `classroom-app://app/…` (never file://): a standard,
 * secure scheme with a real origin, so CSP, permissions and IPC sender checks can name it. Only
 * files inside the renderer folder are served; client routes fall back to index.html. Every
 * response carries the one CSP of `@contract/csp`.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { contentSecurityPolicy } from '@contract/csp';
import { DESKTOP_APP_HOST as APP_HOST, DESKTOP_APP_ORIGIN as APP_ORIGIN, DESKTOP_APP_SCHEME as APP_SCHEME } from '@contract/desktop';
import { originOf } from './ipc';

export { APP_HOST, APP_ORIGIN, APP_SCHEME, contentSecurityPolicy };

/** Privileges to register before `app.ready` (protocol.registerSchemesAsPrivileged). */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true } as const;

/** The file to serve for a request, or null (wrong host, a path escaping the root, bad encoding). */
export function resolveAppFile(requestUrl: string, rootDir: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const root = path.resolve(rootDir);
  const candidate = path.resolve(root, `.${pathname}`);
  if (candidate !== root && !candidate.startsWith(root + path.sep)) return null;
  // Client-side routes (no file extension) get the app shell.
  if (candidate === root || path.extname(candidate) === '') return path.join(root, 'index.html');
  return candidate;
}

export interface ProtocolLike {
  handle(scheme: string, handler: (request: Request) => Promise<Response>): void;
}

/** Serves the renderer folder on our scheme; `serverUrl` is read per response (it can change). */
export function installAppProtocol(protocol: ProtocolLike, fetchFile: (url: string) => Promise<Response>, rendererDir: string, serverUrl: () => string, zego: boolean): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(request.url, rendererDir);
    if (!file) return new Response('Not found', { status: 404 });
    const response = await fetchFile(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('content-security-policy', contentSecurityPolicy(originOf(serverUrl()), zego));
    headers.set('x-content-type-options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}
