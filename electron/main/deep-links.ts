/**
 * `classroom://join?session=<sessionId>` deep links: from a cold start (argv), a second instance
 * (`second-instance` argv) or macOS `open-url`. Anything else is rejected; accepted links are held
 * until the renderer is ready to act on them.
 */
import { SessionIdSchema } from '@contract/api';

export const DEEP_LINK_SCHEME = 'classroom';
const MAX_LINK_LENGTH = 512;

export interface DeepLink {
  action: 'join';
  sessionId: string;
}

/** The one link shape we act on; undefined for anything else (other hosts, extra parts, tricks). */
export function parseDeepLink(raw: string): DeepLink | undefined {
  if (typeof raw !== 'string' || raw.length > MAX_LINK_LENGTH || !raw.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}://`)) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== `${DEEP_LINK_SCHEME}:` || url.username || url.password || url.port || url.hash) return undefined;
  if (url.hostname !== 'join' || (url.pathname !== '' && url.pathname !== '/')) return undefined;
  const keys = [...url.searchParams.keys()];
  if (keys.length !== 1 || keys[0] !== 'session') return undefined;
  const sessionId = SessionIdSchema.safeParse(url.searchParams.get('session'));
  return sessionId.success ? { action: 'join', sessionId: sessionId.data } : undefined;
}

/** The first acceptable deep link among command-line arguments (Windows/Linux pass it there). */
export function deepLinkFromArgv(argv: readonly string[]): DeepLink | undefined {
  for (const arg of argv) {
    const link = parseDeepLink(arg);
    if (link) return link;
  }
  return undefined;
}

/**
 * Holds links until the renderer says it is ready; it then takes those waiting (in order) and
 * later ones are delivered as they come, until its page reloads.
 */
export class DeepLinkQueue {
  private pending: DeepLink[] = [];
  private deliver: ((link: DeepLink) => void) | null = null;

  push(link: DeepLink): void {
    if (this.deliver) this.deliver(link);
    else this.pending.push(link);
  }

  /** The renderer is ready: returns what waited; what comes later goes to `deliver`. */
  ready(deliver: (link: DeepLink) => void): DeepLink[] {
    this.deliver = deliver;
    const waiting = this.pending;
    this.pending = [];
    return waiting;
  }

  /** The page is (re)loading: hold links again until it is ready. */
  notReady(): void {
    this.deliver = null;
  }
}
