/**
 * The packaged renderer is served from `classroom-app://app/…` (never file://): a standard,
 * secure scheme with a real origin, so CSP, permissions and IPC sender checks can name it. Only
 * files inside the renderer folder are served; client routes fall back to index.html.
 */
import path from 'node:path';

export const APP_SCHEME = 'classroom-app';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

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

export { contentSecurityPolicy } from '@contract/csp';
