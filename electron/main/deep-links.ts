/**
 * `classroom://join?session=<sessionId>` and `classroom://decline?session=<sessionId>` deep links:
 * from a cold start (argv), a second instance (`second-instance` argv), macOS `open-url`, or a
 * Windows toast's protocol activation. Anything else is rejected; accepted join links are held
 * until the renderer is ready to act on them (a decline is main's own business).
 */
import { SessionIdSchema } from '@contract/api';

export const DEEP_LINK_SCHEME = 'classroom';
const MAX_LINK_LENGTH = 512;

export const DEEP_LINK_ACTIONS = ['join', 'decline'] as const;

export interface DeepLink {
  action: (typeof DEEP_LINK_ACTIONS)[number];
  sessionId: string;
}

/** The link for an action on a session (toast buttons carry these). */
export const deepLinkUrl = (link: DeepLink) => `${DEEP_LINK_SCHEME}://${link.action}?session=${encodeURIComponent(link.sessionId)}`;

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
  const action = DEEP_LINK_ACTIONS.find((candidate) => candidate === url.hostname);
  if (!action || (url.pathname !== '' && url.pathname !== '/')) return undefined;
  const keys = [...url.searchParams.keys()];
  if (keys.length !== 1 || keys[0] !== 'session') return undefined;
  const sessionId = SessionIdSchema.safeParse(url.searchParams.get('session'));
  return sessionId.success ? { action, sessionId: sessionId.data } : undefined;
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
