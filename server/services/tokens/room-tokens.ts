/**
 * Room tokens, per user and per room, minted only on the server. With ZEGOCLOUD configured they are
 * Token04; without it they are the built-in peer-to-peer engine's own signed tokens, which our
 * signalling relay checks before letting a socket signal in a room (docs/interface.md §6.1).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { MediaEngineKind, Role } from '@contract/domain';
import type { ZegoConfig } from '../../config';
import { generateToken04, roomPrivilegePayload } from './token04';

export interface RoomTokenRequest {
  userId: string;
  role: Role;
  roomId: string;
  sessionId: string;
  nowMs: number;
  expiresAtMs: number;
}

export interface MintedRoomToken {
  token: string;
  expiresAtMs: number;
}

export interface RoomTokenIssuer {
  readonly engine: MediaEngineKind;
  /** ZEGO App ID; 0 for the built-in engine. */
  readonly appId: number;
  mint(request: RoomTokenRequest): MintedRoomToken;
}

export class ZegoRoomTokenIssuer implements RoomTokenIssuer {
  readonly engine = 'zego' as const;
  readonly appId: number;
  constructor(private readonly zego: ZegoConfig) {
    this.appId = zego.appId;
  }

  mint({ userId, roomId, nowMs, expiresAtMs }: RoomTokenRequest): MintedRoomToken {
    const nowSeconds = Math.floor(nowMs / 1000);
    const effectiveTimeInSeconds = Math.max(1, Math.ceil(expiresAtMs / 1000) - nowSeconds);
    const token = generateToken04({
      appId: this.zego.appId,
      userId,
      secret: this.zego.serverSecret,
      effectiveTimeInSeconds,
      payload: roomPrivilegePayload(roomId),
      nowSeconds,
    });
    return { token, expiresAtMs: (nowSeconds + effectiveTimeInSeconds) * 1000 };
  }
}

/** Claims of a built-in engine token. */
export interface P2pTokenClaims {
  v: 1;
  sid: string;
  rid: string;
  uid: string;
  role: Role;
  iat: number;
  exp: number;
}

export type P2pTokenCheck =
  | { ok: true; claims: P2pTokenClaims }
  | { ok: false; code: 'TOKEN_INVALID' | 'TOKEN_EXPIRED' };

const P2P_PREFIX = 'p2p1';

/** `p2p1.<claims, base64url JSON>.<HMAC-SHA256, base64url>` signed with a key that never leaves the server. */
export class P2pRoomTokenIssuer implements RoomTokenIssuer {
  readonly engine = 'p2p' as const;
  readonly appId = 0;
  private readonly key: Buffer;

  constructor(signingKeyBase64: string) {
    this.key = Buffer.from(signingKeyBase64, 'base64');
    if (this.key.length < 32) throw new Error('The built-in engine signing key must be at least 32 bytes.');
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(`${P2P_PREFIX}.${body}`).digest('base64url');
  }

  mint({ userId, role, roomId, sessionId, nowMs, expiresAtMs }: RoomTokenRequest): MintedRoomToken {
    const claims: P2pTokenClaims = {
      v: 1,
      sid: sessionId,
      rid: roomId,
      uid: userId,
      role,
      iat: Math.floor(nowMs / 1000),
      exp: Math.ceil(expiresAtMs / 1000),
    };
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return { token: `${P2P_PREFIX}.${body}.${this.sign(body)}`, expiresAtMs: claims.exp * 1000 };
  }

  verify(token: string, nowMs: number): P2pTokenCheck {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== P2P_PREFIX) return { ok: false, code: 'TOKEN_INVALID' };
    const [, body, signature] = parts as [string, string, string];
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, code: 'TOKEN_INVALID' };
    let claims: P2pTokenClaims;
    try {
      claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as P2pTokenClaims;
    } catch {
      return { ok: false, code: 'TOKEN_INVALID' };
    }
    if (claims.v !== 1 || typeof claims.exp !== 'number') return { ok: false, code: 'TOKEN_INVALID' };
    if (claims.exp * 1000 <= nowMs) return { ok: false, code: 'TOKEN_EXPIRED' };
    return { ok: true, claims };
  }
}
