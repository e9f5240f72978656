/**
 * The desktop app's one authority for who is signed in. Main signs in (the window hands over
 * the typed user ID and password), keeps the sign-in in the OS keychain — the long-lived refresh
 * token never reaches a renderer — renews the short-lived access token before it expires and
 * whenever the server refuses it, signs out on the server and locally, and tells everyone who
 * cares (the window, the live connection, the tray) through one callback.
 *
 * The REST shapes are the server's (docs/interface.md, device sign-ins): login and refresh answer
 * `{accessToken, expiresAt, refreshToken, refreshExpiresAt, user}`; a rotated refresh token works
 * once.
 */
import { LoginDataSchema } from '@contract/api';
import type { DesktopSession, SignInResult } from '@contract/ipc';
import type { CredentialStore } from './credentials';

export interface StoredSignIn extends DesktopSession {
  refreshToken?: string;
  refreshExpiresAt?: string;
}

/** Why the session changed: the window and tray react differently to a sign-out and an expiry. */
export type SessionChange = 'restored' | 'signed-in' | 'renewed' | 'signed-out' | 'expired' | 'switched';

export interface SignInDeps {
  credentials: CredentialStore;
  /** Electron's net.fetch in the app (system proxy and certificates), global fetch in tests. */
  fetch(url: string, init: RequestInit): Promise<Response>;
  serverUrl(): string;
  now(): number;
  onChange(session: DesktopSession | null, why: SessionChange): void;
  log(message: string, error?: unknown): void;
}

/** One keychain entry per server: a sign-in belongs to the server that issued it. */
export const signInAccount = (serverUrl: string) => `sign-in:${new URL(serverUrl).origin}`;

const REQUEST_TIMEOUT_MS = 10_000;
const RETRY_DELAYS_MS = [5_000, 30_000, 120_000, 300_000];

const publicPart = ({ accessToken, expiresAt, user }: StoredSignIn): DesktopSession => ({ accessToken, expiresAt, user });

const RefreshableSchema = LoginDataSchema.extend({
  refreshToken: LoginDataSchema.shape.accessToken.optional(),
  refreshExpiresAt: LoginDataSchema.shape.expiresAt.optional(),
});

export class SignInAuthority {
  private stored: StoredSignIn | null = null;
  private timer: NodeJS.Timeout | null = null;
  private renewing: Promise<boolean> | null = null;
  private failedRenewals = 0;

  constructor(private readonly deps: SignInDeps) {}

  /** The window's part of the sign-in, while its access token is good. */
  get session(): DesktopSession | null {
    return this.stored && this.accessValid() ? publicPart(this.stored) : null;
  }

  /** At start: the stored sign-in, renewed if its access token has run out; an expired one is said so. */
  async restore(): Promise<void> {
    const raw = await this.deps.credentials.get(signInAccount(this.deps.serverUrl())).catch((error: unknown) => {
      this.deps.log('could not read the stored sign-in', error);
      return null;
    });
    if (!raw) return;
    let parsed: StoredSignIn;
    try {
      parsed = RefreshableSchema.parse(JSON.parse(raw));
    } catch (error) {
      this.deps.log('the stored sign-in is unreadable; signing out', error);
      await this.forget();
      return;
    }
    this.stored = parsed;
    if (this.accessValid()) {
      this.schedule();
      this.deps.onChange(this.session, 'restored');
    } else if (!(await this.renew())) return;
  }

  /** The server URL changed: the sign-in of that server (if one is stored) takes over. */
  async switchServer(): Promise<void> {
    this.stored = null;
    this.setTimer(null);
    this.deps.onChange(null, 'switched');
    await this.restore();
  }

  async signIn(userId: string, password: string): Promise<SignInResult> {
    let response: Response;
    try {
      response = await this.request('POST', '/api/auth/login', { userId, password });
    } catch (error) {
      this.deps.log('sign-in request failed', error);
      return { ok: false, status: 0, code: 'NETWORK_ERROR', message: 'Cannot reach the server.' };
    }
    const envelope = (await response.json().catch(() => null)) as { success?: boolean; data?: unknown; error?: { code?: string; message?: string } } | null;
    if (!response.ok || !envelope?.success) {
      return { ok: false, status: response.status, code: envelope?.error?.code ?? 'INTERNAL_ERROR', message: envelope?.error?.message ?? `The server answered ${response.status}.` };
    }
    await this.keep(RefreshableSchema.parse(envelope.data));
    this.deps.onChange(this.session, 'signed-in');
    return { ok: true, session: this.session! };
  }

  /** Signs out here at once, then on the server (best effort: the token is revoked there too). */
  async signOut(): Promise<void> {
    const token = this.stored?.accessToken;
    await this.forget();
    this.deps.onChange(null, 'signed-out');
    if (!token) return;
    await this.request('POST', '/api/auth/logout', undefined, token).catch((error: unknown) => this.deps.log('server sign-out failed (the token still expires on its own)', error));
  }

  /** A call on the signed-in person's behalf; a refused access token is renewed once and the call repeated. */
  async authorized(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response | null> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const token = this.session?.accessToken;
      if (!token) {
        if (attempt === 0 && this.stored && (await this.renew())) continue;
        return null;
      }
      const response = await this.request(method, path, body, token);
      if (response.status !== 401 || attempt === 1 || !(await this.renew())) return response;
    }
    return null;
  }

  /**
   * A fresh access token through the refresh token (rotated by the server). False when the sign-in
   * is over (refused, or nothing to renew with): then the change is 'expired'. A network failure
   * keeps the sign-in and tries again later.
   */
  renew(): Promise<boolean> {
    this.renewing ??= this.renewOnce().finally(() => (this.renewing = null));
    return this.renewing;
  }

  private async renewOnce(): Promise<boolean> {
    const refreshToken = this.stored?.refreshToken;
    if (!refreshToken || (this.stored?.refreshExpiresAt && Date.parse(this.stored.refreshExpiresAt) <= this.deps.now())) {
      await this.expire();
      return false;
    }
    let response: Response;
    try {
      response = await this.request('POST', '/api/auth/refresh', { refreshToken });
    } catch (error) {
      return this.retryLater('renewal could not reach the server', error);
    }
    if (response.status >= 500) return this.retryLater(`renewal failed with ${response.status}`);
    const envelope = (await response.json().catch(() => null)) as { success?: boolean; data?: unknown } | null;
    if (!response.ok || !envelope?.success) {
      this.deps.log(`renewal refused (${response.status}); the sign-in is over`);
      await this.expire();
      return false;
    }
    await this.keep(RefreshableSchema.parse(envelope.data));
    this.deps.onChange(this.session, 'renewed');
    return true;
  }

  private async retryLater(message: string, error?: unknown): Promise<boolean> {
    this.deps.log(message, error);
    const delay = RETRY_DELAYS_MS[Math.min(this.failedRenewals++, RETRY_DELAYS_MS.length - 1)]!;
    this.setTimer(delay);
    if (this.accessValid()) return true;
    return false;
  }

  private accessValid(): boolean {
    return !!this.stored && Date.parse(this.stored.expiresAt) > this.deps.now();
  }

  private async keep(signIn: StoredSignIn): Promise<void> {
    this.stored = signIn;
    this.failedRenewals = 0;
    this.schedule();
    await this.deps.credentials.set(signInAccount(this.deps.serverUrl()), JSON.stringify(signIn)).catch((error: unknown) => this.deps.log('could not store the sign-in; it lasts until the app quits', error));
  }

  private async forget(): Promise<void> {
    this.stored = null;
    this.setTimer(null);
    await this.deps.credentials.delete(signInAccount(this.deps.serverUrl())).catch((error: unknown) => this.deps.log('could not remove the stored sign-in', error));
  }

  private async expire(): Promise<void> {
    if (!this.stored) return;
    await this.forget();
    this.deps.onChange(null, 'expired');
  }

  /** Renews five minutes before the access token runs out (a short-lived one, at 80 % of its life). */
  private schedule(): void {
    if (!this.stored) return;
    const left = Date.parse(this.stored.expiresAt) - this.deps.now();
    this.setTimer(Math.max(0, left * 0.8, left - 5 * 60_000));
  }

  private setTimer(delayMs: number | null): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (delayMs === null) return;
    // setTimeout's limit is about 24.8 days; a longer wait just checks again then.
    this.timer = setTimeout(() => void this.renew(), Math.min(delayMs, 2 ** 31 - 1));
    this.timer.unref?.();
  }

  private request(method: 'GET' | 'POST', path: string, body: unknown, bearer?: string): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    return this.deps.fetch(`${this.deps.serverUrl().replace(/\/$/, '')}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  }
}
