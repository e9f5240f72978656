/**
 * Throttling password guesses, two ways at once:
 * - **per client address, whatever the user ids**: failed (and still running) attempts from one
 *   address are counted in a window; past the limit the address gets 429 until the window turns.
 *   Successful sign-ins do not count, so a classroom behind one address is not locked out by its
 *   own logins, while a spray of random user ids is stopped after a handful.
 * - **per account, across addresses, with growing delays instead of a lock**: once an account has
 *   collected some failures (from anywhere), an address that has itself failed on it must wait
 *   1 s, 2 s, 4 s … (capped) after its last failure. An address that has not failed on the account
 *   — the owner arriving from home — is not delayed, so guessing cannot lock the owner out.
 * The counts live in a ThrottleState: in memory for one server, in Redis for several nodes.
 */
import { AppError } from './errors';
import type { Clock } from './clock';

export interface LoginThrottleOptions {
  /** Failed or pending attempts one address may make in `addressWindowMs`. */
  addressFailures: number;
  addressWindowMs: number;
  /** Failures on one account (from all addresses) before failed addresses must wait. */
  accountFreeFailures: number;
  /** How long failures on an account are remembered. */
  accountWindowMs: number;
  /** Cap of the growing delay. */
  maxDelayMs: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottleOptions = {
  addressFailures: 20,
  addressWindowMs: 10 * 60_000,
  accountFreeFailures: 10,
  accountWindowMs: 60 * 60_000,
  maxDelayMs: 15 * 60_000,
};

/** Where the counts live; every method is one round trip (atomic where it matters). */
export interface ThrottleState {
  /** Adds one to the address's count in the window and returns the new count. */
  addressAttempt(address: string, windowKey: string, windowMs: number): Promise<number>;
  /** Takes back an attempt that turned out to be a successful sign-in. */
  addressSucceeded(address: string, windowKey: string): Promise<void>;
  /** Failures on the account since `sinceMs`, and when this address last failed on it (null if never). */
  accountState(userId: string, address: string, sinceMs: number): Promise<{ failures: number; addressLastFailureMs: number | null }>;
  accountFailed(userId: string, address: string, atMs: number, windowMs: number): Promise<void>;
  close(): Promise<void>;
}

/** One admitted attempt: report how it went (a wrong password counts; anything else is taken back). */
export interface LoginAttempt {
  finish(wrongPassword: boolean): Promise<void>;
}

const limited = (retryAfterMs: number, message: string) =>
  new AppError(429, 'RATE_LIMITED', message, { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) });

export class LoginThrottle {
  readonly options: LoginThrottleOptions;

  constructor(
    private readonly state: ThrottleState,
    private readonly clock: Clock,
    options: Partial<LoginThrottleOptions> = {},
  ) {
    this.options = { ...DEFAULT_LOGIN_THROTTLE, ...options };
  }

  /** The delay an address that has failed on an account waits, given the account's failures. */
  delayFor(failures: number): number {
    if (failures < this.options.accountFreeFailures) return 0;
    return Math.min(1000 * 2 ** (failures - this.options.accountFreeFailures), this.options.maxDelayMs);
  }

  /** Admits an attempt or throws 429 (with `retryAfterSeconds` in the details) before any hashing. */
  async begin(address: string, userId: string): Promise<LoginAttempt> {
    const now = this.clock();
    const { accountWindowMs, addressWindowMs } = this.options;
    const account = await this.state.accountState(userId, address, now - accountWindowMs);
    if (account.addressLastFailureMs !== null) {
      const readyAt = account.addressLastFailureMs + this.delayFor(account.failures);
      if (now < readyAt) throw limited(readyAt - now, 'Too many wrong passwords for this account: wait a little before trying again.');
    }
    const windowStart = Math.floor(now / addressWindowMs) * addressWindowMs;
    const windowKey = String(windowStart);
    const count = await this.state.addressAttempt(address, windowKey, addressWindowMs);
    if (count > this.options.addressFailures) {
      throw limited(windowStart + addressWindowMs - now, 'Too many failed sign-ins from your network: wait a few minutes and try again.');
    }
    return {
      finish: (wrongPassword) =>
        wrongPassword ? this.state.accountFailed(userId, address, this.clock(), accountWindowMs) : this.state.addressSucceeded(address, windowKey),
    };
  }
}

/** Counts in this process (one server). Entries older than their window are dropped as they are met and on sweep(). */
export class MemoryThrottleState implements ThrottleState {
  private readonly addresses = new Map<string, { windowKey: string; count: number; expiresAt: number }>();
  private readonly accounts = new Map<string, { failures: number[]; byAddress: Map<string, number>; expiresAt: number }>();

  constructor(private readonly clock: Clock) {}

  async addressAttempt(address: string, windowKey: string, windowMs: number): Promise<number> {
    const entry = this.addresses.get(address);
    if (!entry || entry.windowKey !== windowKey) {
      this.addresses.set(address, { windowKey, count: 1, expiresAt: Number(windowKey) + windowMs });
      return 1;
    }
    return ++entry.count;
  }

  async addressSucceeded(address: string, windowKey: string): Promise<void> {
    const entry = this.addresses.get(address);
    if (entry && entry.windowKey === windowKey && entry.count > 0) entry.count--;
  }

  async accountState(userId: string, address: string, sinceMs: number) {
    const entry = this.accounts.get(userId);
    if (!entry) return { failures: 0, addressLastFailureMs: null };
    while (entry.failures.length > 0 && entry.failures[0]! < sinceMs) entry.failures.shift();
    const last = entry.byAddress.get(address);
    return { failures: entry.failures.length, addressLastFailureMs: last !== undefined && last >= sinceMs ? last : null };
  }

  async accountFailed(userId: string, address: string, atMs: number, windowMs: number): Promise<void> {
    let entry = this.accounts.get(userId);
    if (!entry) this.accounts.set(userId, (entry = { failures: [], byAddress: new Map(), expiresAt: 0 }));
    entry.failures.push(atMs);
    entry.byAddress.set(address, atMs);
    entry.expiresAt = atMs + windowMs;
  }

  /** Forgets what has expired (the maintenance pass calls it), so a spray of ids does not grow memory. */
  sweep(): void {
    const now = this.clock();
    for (const [key, entry] of this.addresses) if (entry.expiresAt <= now) this.addresses.delete(key);
    for (const [key, entry] of this.accounts) if (entry.expiresAt <= now) this.accounts.delete(key);
  }

  async close(): Promise<void> {
    this.addresses.clear();
    this.accounts.clear();
  }
}
