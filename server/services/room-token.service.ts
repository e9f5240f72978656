/**
 * Hands out a participant's room token for a session: the stored one while it has life left, a
 * freshly minted one (stored in `session_tokens`) when it is missing or near expiry.
 */
import { randomBytes } from 'node:crypto';
import type { Role } from '@contract/domain';
import type { SessionRecord, SessionTokenRecord } from '../store/records';
import type { ClassroomStore } from '../store/classroom-store';
import { isoAt, type Clock } from './clock';
import type { RoomTokenIssuer } from './tokens/room-tokens';

/** Re-mint when less than this is left, so a client never joins with a token about to die. */
export const REMINT_WINDOW_MS = 5 * 60 * 1000;

export class RoomTokenService {
  constructor(
    private readonly store: ClassroomStore,
    readonly issuer: RoomTokenIssuer,
    private readonly clock: Clock,
    /** Upper bound of one token's life; a longer session renews through the join endpoint. */
    private readonly maxTokenTtlMs: number,
  ) {}

  /** A new token record for the user, valid until the session ends (or the cap). */
  mint(session: SessionRecord, userId: string, role: Role): SessionTokenRecord {
    const nowMs = this.clock();
    const expiresAtMs = Math.min(Date.parse(session.expires_at), nowMs + this.maxTokenTtlMs);
    const minted = this.issuer.mint({ userId, role, roomId: session.room_id, sessionId: session.id, nowMs, expiresAtMs });
    return {
      id: `stok_${randomBytes(9).toString('base64url')}`,
      session_id: session.id,
      user_id: userId,
      user_role: role,
      token: minted.token,
      expires_at: isoAt(minted.expiresAtMs),
    };
  }

  /** The user's current token for the session, re-minted (and stored) when missing or near expiry. */
  async current(session: SessionRecord, userId: string, role: Role): Promise<SessionTokenRecord> {
    const stored = await this.store.getSessionToken(session.id, userId);
    const nowMs = this.clock();
    const sessionEndMs = Date.parse(session.expires_at);
    if (stored) {
      const tokenEndMs = Date.parse(stored.expires_at);
      // Fine if it lasts past the window, or already lasts as long as the session itself.
      if (tokenEndMs - nowMs > REMINT_WINDOW_MS || tokenEndMs >= sessionEndMs) return stored;
    }
    const fresh = this.mint(session, userId, role);
    await this.store.putSessionToken(fresh);
    return fresh;
  }
}
