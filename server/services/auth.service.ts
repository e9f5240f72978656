/**
 * Accounts and device sign-ins. A sign-in is a device: a short-lived access token (the bearer for
 * every call and the socket handshake) and a long-lived refresh token that renews it. Tokens are
 * opaque random strings; only their SHA-256 is stored. Every refresh rotates the refresh token; a
 * rotated-out one presented again means a copy exists, so the whole device is signed out.
 * The README's "Security" section describes the model.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Device, LoginData } from '@contract/api';
import type { PublicUser } from '@contract/domain';
import type { AccessTokenRecord, DeviceRecord, UserRecord } from '../store/records';
import type { ClassroomStore } from '../store/classroom-store';
import { isoAt, type Clock } from './clock';
import { AppError, unauthenticated } from './errors';
import type { Logger } from '../observability/logger';
import type { LoginThrottle } from './login-throttle';
import { decoyHash, hashPassword, verifyPassword } from './passwords';

/** docs/interface.md §2: an access token lives at most 60 minutes; renewal is the refresh token's job. */
export const MAX_ACCESS_TOKEN_TTL_MS = 60 * 60 * 1000;
export const DEFAULT_ACCESS_TOKEN_TTL_MS = MAX_ACCESS_TOKEN_TTL_MS;
/** Sliding: a device that renews at least once a month stays signed in. */
export const DEFAULT_REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/**
 * Device sign-ins one user keeps at most: a new one beyond it signs out the least recently seen
 * (a script signing in in a loop cannot grow the store without bound; a person never notices).
 */
export const MAX_DEVICES_PER_USER = 20;

/** Who is calling, as proved by a valid access token. */
export interface Identity {
  user: PublicUser;
  accessTokenId: string;
  /** The device sign-in the token belongs to (null only for tokens issued before device sign-ins). */
  deviceId: string | null;
  expiresAt: string;
}

/** Sign-ins that ended before their time: the realtime layer drops their sockets. */
export interface Revocation {
  deviceIds: string[];
  accessTokenIds: string[];
}

/** Password hashing as the auth service needs it (a worker pool in the server, plain scrypt elsewhere). */
export interface PasswordHasher {
  verify(password: string, storedHash: string, fairnessKey: string): Promise<boolean>;
  hash(password: string, fairnessKey: string): Promise<string>;
}

/** scrypt on libuv's thread pool (node:crypto), for tools and tests without the worker pool. */
export const inlinePasswordHasher: PasswordHasher = {
  verify: (password, storedHash) => verifyPassword(password, storedHash),
  hash: (password) => hashPassword(password),
};

/** Where a sign-in comes from: its label, and the client address for fair hashing. */
export interface SignInContext {
  deviceLabel?: string | undefined;
  userAgent?: string | undefined;
  address: string;
}

export interface AuthOptions {
  accessTokenTtlMs: number;
  refreshTokenTtlMs: number;
}

export const hashAccessToken = (token: string) => createHash('sha256').update(token).digest('hex');
export const hashRefreshToken = hashAccessToken;
export const toPublicUser = (user: UserRecord): PublicUser => ({ id: user.id, role: user.role, name: user.name });

const REFRESH_TOKEN_PATTERN = /^rt_(dev_[A-Za-z0-9_-]{8,40})\.([A-Za-z0-9_-]{20,100})$/;
const invalidCredentials = () => new AppError(401, 'INVALID_CREDENTIALS', 'The user ID or password is wrong.');
const signedOut = () => unauthenticated('This device is signed out: sign in again.');

/** What a password check is for, as the log names it. */
type PasswordPurpose = 'sign-in' | 'enrolment' | 'password change';

/** A refused (429) address is logged at most this often: a spray writes a line a minute, not one per request. */
const THROTTLED_LOG_EVERY_MS = 60_000;
/** Addresses remembered for that; beyond this many (a spray from a whole network) the memory starts over. */
const THROTTLED_ADDRESSES_KEPT = 10_000;

export class AuthService {
  private readonly revokedListeners: Array<(revocation: Revocation) => void> = [];
  /** Per address: when its last 429 was logged, and how many since then were not. */
  private readonly throttledLogged = new Map<string, { at: number; unlogged: number }>();
  private readonly options: AuthOptions;

  constructor(
    private readonly store: ClassroomStore,
    private readonly clock: Clock,
    options: Partial<AuthOptions> = {},
    private readonly passwords: PasswordHasher = inlinePasswordHasher,
    /** null: no throttling (tools, and tests that are not about it). */
    private readonly throttle: LoginThrottle | null = null,
    /** Where each password check is recorded (who, from where, accepted or refused) — never the password. */
    private readonly logger: Pick<Logger, 'info'> | null = null,
  ) {
    this.options = { accessTokenTtlMs: DEFAULT_ACCESS_TOKEN_TTL_MS, refreshTokenTtlMs: DEFAULT_REFRESH_TOKEN_TTL_MS, ...options };
    if (this.options.accessTokenTtlMs > MAX_ACCESS_TOKEN_TTL_MS) throw new RangeError('An access token may live at most 60 minutes.');
  }

  /**
   * Checks the password, throttled per address and per account (429 before any hashing), with a
   * real hash even for unknown ids so timing does not reveal which exist.
   */
  private async checkPassword(
    userId: string,
    password: string,
    context: SignInContext,
    purpose: PasswordPurpose,
    /** What else the account must be for this purpose (an enrolment code is only one while it is pending). */
    accepts: (user: UserRecord) => boolean = () => true,
  ): Promise<UserRecord> {
    const attempt = await this.throttle?.begin(context.address, userId).catch((error: unknown) => {
      this.logThrottled(userId, context.address, purpose);
      throw error;
    });
    let wrong = false;
    try {
      const user = await this.store.getUser(userId);
      const valid = await this.passwords.verify(password, user?.password_hash ?? (await decoyHash()), context.address);
      const audit = { userId, address: context.address, purpose };
      if (!user || !valid || !accepts(user)) {
        wrong = true;
        this.logger?.info({ event: 'auth.password_refused', ...audit }, 'password refused');
        throw invalidCredentials();
      }
      this.logger?.info({ event: 'auth.password_accepted', ...audit }, 'password accepted');
      return user;
    } finally {
      await attempt?.finish(wrong);
    }
  }

  private logThrottled(userId: string, address: string, purpose: PasswordPurpose): void {
    if (!this.logger) return;
    const now = this.clock();
    const last = this.throttledLogged.get(address);
    if (last && now - last.at < THROTTLED_LOG_EVERY_MS) {
      last.unlogged++;
      return;
    }
    if (this.throttledLogged.size >= THROTTLED_ADDRESSES_KEPT) this.throttledLogged.clear();
    this.throttledLogged.set(address, { at: now, unlogged: 0 });
    this.logger.info({ event: 'auth.throttled', userId, address, purpose, unloggedSinceLast: last?.unlogged ?? 0 }, 'password check refused: too many attempts');
  }

  async login(userId: string, password: string, context: SignInContext): Promise<LoginData> {
    const user = await this.checkPassword(userId, password, context, 'sign-in');
    if (user.enrolment_pending) {
      throw new AppError(403, 'PASSWORD_SETUP_REQUIRED', 'This is a one-time enrolment code: choose your own password to finish signing in.');
    }
    return this.signIn(user, deviceLabel(context));
  }

  /** Spends an enrolment code on choosing a password; the code never works again. */
  async setPasswordWithEnrolmentCode(userId: string, enrolmentCode: string, newPassword: string, context: SignInContext): Promise<LoginData> {
    const user = await this.checkPassword(userId, enrolmentCode, context, 'enrolment', (account) => account.enrolment_pending === true);
    const updated = await this.replacePassword(user, newPassword, context);
    return this.signIn(updated, deviceLabel(context));
  }

  /** A signed-in user's new password signs out every device; this one gets a fresh sign-in. */
  async changePassword(identity: Identity, currentPassword: string, newPassword: string, context: SignInContext): Promise<LoginData> {
    const user = await this.checkPassword(identity.user.id, currentPassword, context, 'password change');
    const current = identity.deviceId ? await this.store.getDevice(identity.deviceId) : undefined;
    const updated = await this.replacePassword(user, newPassword, context);
    return this.signIn(updated, current?.label ?? deviceLabel(context));
  }

  private async replacePassword(user: UserRecord, newPassword: string, context: SignInContext): Promise<UserRecord> {
    if (newPassword.normalize('NFKC').toLowerCase() === user.id.toLowerCase()) {
      throw new AppError(400, 'WEAK_PASSWORD', 'Choose a password that is not your user ID.');
    }
    const devices = await this.store.listDevices(user.id);
    const { enrolment_pending: _spent, ...rest } = user;
    const updated: UserRecord = { ...rest, password_hash: await this.passwords.hash(newPassword, context.address) };
    // The store signs the user out everywhere when the hash changes (one rule for every path); a
    // concurrent spend of the same code or password got there first: this one is refused.
    if (!(await this.store.replaceUserIfPassword(updated, user.password_hash))) throw invalidCredentials();
    this.revoked({ deviceIds: devices.map((d) => d.id), accessTokenIds: [] });
    return updated;
  }

  private newAccessToken(userId: string, deviceId: string, now: number): { token: string; record: AccessTokenRecord } {
    const token = `cls_${randomBytes(32).toString('base64url')}`;
    return {
      token,
      record: {
        id: `at_${randomBytes(9).toString('base64url')}`,
        token_hash: hashAccessToken(token),
        user_id: userId,
        device_id: deviceId,
        created_at: isoAt(now),
        expires_at: isoAt(now + this.options.accessTokenTtlMs),
      },
    };
  }

  private newRefreshToken(deviceId: string): string {
    return `rt_${deviceId}.${randomBytes(32).toString('base64url')}`;
  }

  private async signIn(user: UserRecord, label: string): Promise<LoginData> {
    const now = this.clock();
    const deviceId = `dev_${randomBytes(12).toString('base64url')}`;
    const refreshToken = this.newRefreshToken(deviceId);
    const access = this.newAccessToken(user.id, deviceId, now);
    const device: DeviceRecord = {
      id: deviceId,
      user_id: user.id,
      label,
      created_at: isoAt(now),
      last_seen_at: isoAt(now),
      refresh_hash: hashRefreshToken(refreshToken),
      refresh_expires_at: isoAt(now + this.options.refreshTokenTtlMs),
      retired_hashes: [],
    };
    await this.store.createDevice(device, access.record);
    const devices = await this.store.listDevices(user.id);
    if (devices.length > MAX_DEVICES_PER_USER) {
      const byLastSeen = (a: DeviceRecord, b: DeviceRecord) => a.last_seen_at.localeCompare(b.last_seen_at) || a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id);
      const oldest = devices.filter((d) => d.id !== deviceId).sort(byLastSeen).slice(0, devices.length - MAX_DEVICES_PER_USER);
      for (const stale of oldest) await this.signOutDevice(stale.id);
    }
    return { accessToken: access.token, expiresAt: access.record.expires_at, user: toPublicUser(user), refreshToken, refreshExpiresAt: device.refresh_expires_at };
  }

  /** Renews a device sign-in: a new access token and a new refresh token (the presented one is spent). */
  async refresh(refreshToken: string): Promise<LoginData> {
    const match = REFRESH_TOKEN_PATTERN.exec(refreshToken);
    if (!match) throw signedOut();
    const deviceId = match[1]!;
    const presentedHash = hashRefreshToken(refreshToken);
    const device = await this.store.getDevice(deviceId);
    if (!device) throw signedOut();
    const now = this.clock();
    if (device.refresh_hash === presentedHash && Date.parse(device.refresh_expires_at) <= now) {
      await this.signOutDevice(deviceId);
      throw unauthenticated('This sign-in was not used for too long: sign in again.');
    }
    const user = await this.store.getUser(device.user_id);
    if (!user) throw signedOut();

    const next = this.newRefreshToken(deviceId);
    const access = this.newAccessToken(user.id, deviceId, now);
    const refreshExpiresAt = isoAt(now + this.options.refreshTokenTtlMs);
    const outcome = await this.store.rotateRefreshToken(deviceId, presentedHash, { refresh_hash: hashRefreshToken(next), refresh_expires_at: refreshExpiresAt, last_seen_at: isoAt(now) }, access.record);
    if (outcome === 'retired') {
      // Only a copy of the device's token can present a spent one: whoever holds it, the device is signed out.
      await this.signOutDevice(deviceId);
      throw unauthenticated('This sign-in was used from somewhere else, so this device was signed out: sign in again.');
    }
    if (outcome !== 'rotated') throw signedOut();
    return { accessToken: access.token, expiresAt: access.record.expires_at, user: toPublicUser(user), refreshToken: next, refreshExpiresAt };
  }

  /** Resolves a bearer token to an identity, or throws 401. */
  async authenticate(accessToken: string | undefined): Promise<Identity> {
    if (!accessToken || accessToken.length > 512) throw unauthenticated();
    const record = await this.store.findAccessTokenByHash(hashAccessToken(accessToken));
    if (!record) throw unauthenticated();
    if (Date.parse(record.expires_at) <= this.clock()) throw unauthenticated('Your sign-in has expired: sign in again.');
    const user = await this.store.getUser(record.user_id);
    if (!user) throw unauthenticated();
    return { user: toPublicUser(user), accessTokenId: record.id, deviceId: record.device_id ?? null, expiresAt: record.expires_at };
  }

  /** Signs the calling device out (its refresh token and access tokens stop working). */
  async logout(identity: Identity): Promise<void> {
    if (identity.deviceId) await this.signOutDevice(identity.deviceId);
    await this.store.deleteAccessToken(identity.accessTokenId);
    this.revoked({ deviceIds: [], accessTokenIds: [identity.accessTokenId] });
  }

  async listDevices(identity: Identity): Promise<Device[]> {
    const devices = await this.store.listDevices(identity.user.id);
    return devices
      .sort((a, b) => b.last_seen_at.localeCompare(a.last_seen_at))
      .map((d) => ({ id: d.id, label: storedDeviceLabel(d.label), createdAt: d.created_at, lastSeenAt: d.last_seen_at, current: d.id === identity.deviceId }));
  }

  /** Signs out one of the caller's devices; someone else's device id is "not found", as an unknown one is. */
  async signOutOwnDevice(identity: Identity, deviceId: string): Promise<void> {
    const device = await this.store.getDevice(deviceId);
    if (!device || device.user_id !== identity.user.id) throw new AppError(404, 'NOT_FOUND', 'There is no such device signed in to your account.');
    await this.signOutDevice(deviceId);
  }

  async signOutDevice(deviceId: string): Promise<boolean> {
    const deleted = await this.store.deleteDevice(deviceId);
    this.revoked({ deviceIds: [deviceId], accessTokenIds: [] });
    return deleted;
  }

  /** Signs a user out on every device (the admin command, a password reset). */
  async signOutEverywhere(userId: string): Promise<string[]> {
    const deviceIds = await this.store.deleteUserDevices(userId);
    this.revoked({ deviceIds, accessTokenIds: [] });
    return deviceIds;
  }

  private revoked(revocation: Revocation): void {
    if (revocation.deviceIds.length + revocation.accessTokenIds.length === 0) return;
    for (const listener of this.revokedListeners) listener(revocation);
  }

  /** Called with every sign-in that is revoked (the realtime layer drops its sockets). */
  onRevoked(listener: (revocation: Revocation) => void): void {
    this.revokedListeners.push(listener);
  }
}

/** `Authorization: Bearer <token>` → token. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** Devices signed in before labels could be empty were saved as 'Unknown device' (English only); they read as unknown too. */
export const storedDeviceLabel = (label: string) => (label === 'Unknown device' ? '' : label);

/**
 * A readable name for a device: the client's own label, or "Chrome · Windows" from its User-Agent
 * (names, no words: read the same in every language); '' when neither says, and the client shows
 * its own word for an unknown device.
 */
export function deviceLabel(context: Pick<SignInContext, 'deviceLabel' | 'userAgent'>): string {
  if (context.deviceLabel) return context.deviceLabel;
  const ua = context.userAgent ?? '';
  const app = /Electron\//.test(ua) ? 'Classroom' : /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrom(e|ium)\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : null;
  const os = /Windows/.test(ua) ? 'Windows' : /iPhone|iPad/.test(ua) ? 'iOS' : /Mac OS X|Macintosh/.test(ua) ? 'macOS' : /Android/.test(ua) ? 'Android' : /Linux/.test(ua) ? 'Linux' : null;
  if (app && os) return `${app} · ${os}`;
  return app ?? os ?? '';
}
