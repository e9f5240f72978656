/**
 * The signed-in device, kept across reloads in web mode (localStorage), and its silent renewal:
 * the access token lives at most an hour, so it is renewed with the refresh token a little before
 * it expires and whenever the server answers 401 — one renewal at a time, across tabs too (a
 * second renewal with a token another tab already spent would sign the device out).
 */
import type { Envelope, LoginData } from '@contract/api';
import type { DesktopBridge } from '@contract/ipc';

const KEY = 'classroom.session';
const LOCK = 'classroom.refresh';
/** Renew this long before the access token expires. */
const RENEW_BEFORE_MS = 2 * 60_000;

export type StoredSession = LoginData;

export function loadSession(storage: Storage = window.localStorage, nowMs = Date.now()): StoredSession | null {
  try {
    const raw = storage.getItem(KEY);
    if (!raw) return null;
    const session = JSON.parse(raw) as StoredSession;
    // Kept while the refresh token can still renew it, even with the access token expired.
    const usableUntil = Math.max(Date.parse(session.expiresAt), session.refreshToken ? Date.parse(session.refreshExpiresAt) : 0);
    if (!session.accessToken || !session.user?.id || !(usableUntil > nowMs)) {
      storage.removeItem(KEY);
      return null;
    }
    return session;
  } catch {
    return null;
  }
}

export function saveSession(session: StoredSession, storage: Storage = window.localStorage): void {
  storage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(storage: Storage = window.localStorage): void {
  storage.removeItem(KEY);
}

/** Where the REST client and the socket get their bearer token. */
export interface TokenSource {
  /** A usable access token (renewed first if it is about to expire), or null when signed out. */
  accessToken(): Promise<string | null>;
  /** Renews now (the server refused the token); null when the device can no longer be renewed. */
  renew(): Promise<string | null>;
  dispose(): void;
}

/** One access token as it is, never renewed (a sign-in the window is about to hand back). */
export const fixedToken = (token: string): TokenSource => ({ accessToken: async () => token, renew: async () => null, dispose: () => undefined });

/** Runs `task` holding a lock shared by every tab of this origin (Web Locks), or just runs it. */
function withTabLock<T>(task: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  return locks ? (locks.request(LOCK, task) as Promise<T>) : task();
}

/**
 * The desktop app's tokens: main holds the refresh token and renews (SignInAuthority); a refused
 * token asks main for a renewed sign-in, which main also pushes to the window.
 */
export class DesktopTokens implements TokenSource {
  constructor(
    private readonly session: { accessToken: string },
    private readonly desktop: Pick<DesktopBridge, 'sessionRejected'>,
  ) {}

  async accessToken(): Promise<string | null> {
    return this.session.accessToken;
  }

  async renew(): Promise<string | null> {
    return (await this.desktop.sessionRejected()).session?.accessToken ?? null;
  }

  dispose(): void {}
}

/** The browser's device sign-in, kept in `storage` (localStorage) and renewed here. */
export class DeviceSignIn implements TokenSource {
  private current: StoredSession;
  private renewing: Promise<string | null> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Not renewing on a timer until start() (so React may create and drop instances freely). */
  private disposed = true;
  /** The refresh was refused: this sign-in is over for good. */
  private ended = false;

  constructor(
    session: StoredSession,
    private readonly baseUrl: string,
    private readonly storage: Storage,
    private readonly onSignedOut: () => void,
    private readonly now: () => number = Date.now,
  ) {
    this.current = session;
  }

  /** Renews ahead of expiry from now on (until dispose). */
  start(): void {
    this.disposed = false;
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (this.disposed) return;
    const wait = Math.max(5_000, Date.parse(this.current.expiresAt) - RENEW_BEFORE_MS - this.now());
    this.timer = setTimeout(() => void this.renew(), Math.min(wait, 2 ** 31 - 1));
  }

  async accessToken(): Promise<string | null> {
    if (this.ended) return null;
    if (Date.parse(this.current.expiresAt) - this.now() < 30_000) return this.renew();
    return this.current.accessToken;
  }

  renew(): Promise<string | null> {
    if (this.ended) return Promise.resolve(null);
    this.renewing ??= withTabLock(() => this.renewOnce()).finally(() => (this.renewing = null));
    return this.renewing;
  }

  private async renewOnce(): Promise<string | null> {
    const storage = this.storage;
    const spent = this.current.refreshToken;
    // Another tab may have renewed while we waited for the lock: use its tokens.
    const stored = loadSession(storage, this.now());
    if (stored && stored.refreshToken !== spent && stored.user.id === this.current.user.id) return this.adopt(stored);
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}/api/auth/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ refreshToken: spent }),
      });
    } catch {
      this.schedule(); // offline: keep the sign-in and try again later
      return null;
    }
    const envelope = (await response.json().catch(() => null)) as Envelope<LoginData> | null;
    if (envelope?.success) return this.adopt(envelope.data, true);
    if (response.status === 401 || response.status === 400) {
      clearSession(storage);
      this.ended = true;
      this.dispose();
      this.onSignedOut();
    } else this.schedule();
    return null;
  }

  private adopt(session: StoredSession, save = false): string {
    this.current = session;
    if (save) saveSession(session, this.storage);
    this.schedule();
    return session.accessToken;
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
  }
}
