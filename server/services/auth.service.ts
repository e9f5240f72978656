/**
 * Accounts and access tokens. Tokens are opaque random strings (256 bits); only their SHA-256 is
 * stored, they expire, and logout revokes them.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { LoginData } from '@contract/api';
import type { PublicUser, UserRecord } from '@contract/domain';
import type { ClassroomStore } from '../store/classroom-store';
import { isoAt, type Clock } from './clock';
import { AppError, unauthenticated } from './errors';
import { decoyHash, verifyPassword } from './passwords';

export const DEFAULT_ACCESS_TOKEN_TTL_MS = 12 * 60 * 60 * 1000;

/** Who is calling, as proved by a valid access token. */
export interface Identity {
  user: PublicUser;
  accessTokenId: string;
  expiresAt: string;
}

export const hashAccessToken = (token: string) => createHash('sha256').update(token).digest('hex');
export const toPublicUser = (user: UserRecord): PublicUser => ({ id: user.id, role: user.role, name: user.name });

export class AuthService {
  private readonly revokedListeners: Array<(accessTokenId: string) => void> = [];

  constructor(
    private readonly store: ClassroomStore,
    private readonly clock: Clock,
    private readonly accessTokenTtlMs = DEFAULT_ACCESS_TOKEN_TTL_MS,
  ) {}

  async login(userId: string, password: string): Promise<LoginData> {
    const user = await this.store.getUser(userId);
    // Unknown ids cost a real scrypt too, so response time does not reveal which ids exist.
    const valid = await verifyPassword(password, user?.password_hash ?? (await decoyHash()));
    if (!user || !valid) throw new AppError(401, 'INVALID_CREDENTIALS', 'The user ID or password is wrong.');

    const accessToken = `cls_${randomBytes(32).toString('base64url')}`;
    const now = this.clock();
    const expiresAt = isoAt(now + this.accessTokenTtlMs);
    await this.store.saveAccessToken({
      id: `at_${randomBytes(9).toString('base64url')}`,
      token_hash: hashAccessToken(accessToken),
      user_id: user.id,
      created_at: isoAt(now),
      expires_at: expiresAt,
    });
    return { accessToken, expiresAt, user: toPublicUser(user) };
  }

  /** Resolves a bearer token to an identity, or throws 401. */
  async authenticate(accessToken: string | undefined): Promise<Identity> {
    if (!accessToken || accessToken.length > 512) throw unauthenticated();
    const record = await this.store.findAccessTokenByHash(hashAccessToken(accessToken));
    if (!record) throw unauthenticated();
    if (Date.parse(record.expires_at) <= this.clock()) throw unauthenticated('Your sign-in has expired: sign in again.');
    const user = await this.store.getUser(record.user_id);
    if (!user) throw unauthenticated();
    return { user: toPublicUser(user), accessTokenId: record.id, expiresAt: record.expires_at };
  }

  async logout(identity: Identity): Promise<void> {
    await this.store.deleteAccessToken(identity.accessTokenId);
    for (const listener of this.revokedListeners) listener(identity.accessTokenId);
  }

  /** Called with the id of every revoked access token (the realtime layer drops its sockets). */
  onRevoked(listener: (accessTokenId: string) => void): void {
    this.revokedListeners.push(listener);
  }
}

/** `Authorization: Bearer <token>` → token. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
