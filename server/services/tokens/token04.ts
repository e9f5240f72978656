/**
 * ZEGOCLOUD Token04, current variant (AES-256-GCM), minted on the server only.
 *
 * Layout: "04" + base64( expire int64 BE | nonceLength uint16 BE | nonce (12) |
 *                        cipherLength uint16 BE | AES-GCM(ciphertext ‖ 16-byte tag) | mode uint8 = 1 )
 * The plaintext is JSON {app_id, user_id, nonce, ctime, expire, payload}, the key the 32-character
 * server secret. Input checks use ZEGO's own error codes so their docs apply to our messages.
 */
import { createCipheriv, randomBytes, randomInt } from 'node:crypto';

export const Token04ErrorCode = {
  appIdInvalid: 1,
  userIdInvalid: 3,
  secretInvalid: 5,
  effectiveTimeInSecondsInvalid: 6,
} as const;

export class Token04Error extends Error {
  override name = 'Token04Error';
  constructor(
    readonly errorCode: (typeof Token04ErrorCode)[keyof typeof Token04ErrorCode],
    message: string,
  ) {
    super(message);
  }
}

/** ZEGO privilege keys: 1 = login room, 2 = publish stream; 1 = allowed. */
export interface RoomPrivilegePayload {
  room_id: string;
  privilege: { 1: 0 | 1; 2: 0 | 1 };
  stream_id_list: string[] | null;
}

const AES_GCM_MODE = 1;

export interface Token04Input {
  appId: number;
  userId: string;
  secret: string;
  effectiveTimeInSeconds: number;
  /** JSON string; empty for a token without room privileges. */
  payload?: string;
  /** Seconds since the epoch; defaults to now. */
  nowSeconds?: number;
}

export function generateToken04({ appId, userId, secret, effectiveTimeInSeconds, payload = '', nowSeconds }: Token04Input): string {
  if (!Number.isInteger(appId) || appId <= 0 || appId > 0xffffffff) {
    throw new Token04Error(Token04ErrorCode.appIdInvalid, 'appID invalid');
  }
  if (typeof userId !== 'string' || userId.length === 0 || userId.length > 64) {
    throw new Token04Error(Token04ErrorCode.userIdInvalid, 'userID invalid');
  }
  if (typeof secret !== 'string' || Buffer.byteLength(secret) !== 32) {
    throw new Token04Error(Token04ErrorCode.secretInvalid, 'secret must be a 32 byte string');
  }
  if (!Number.isInteger(effectiveTimeInSeconds) || effectiveTimeInSeconds <= 0) {
    throw new Token04Error(Token04ErrorCode.effectiveTimeInSecondsInvalid, 'effectiveTimeInSeconds invalid');
  }

  const ctime = nowSeconds ?? Math.floor(Date.now() / 1000);
  const expire = ctime + effectiveTimeInSeconds;
  const plaintext = JSON.stringify({
    app_id: appId,
    user_id: userId,
    nonce: randomInt(-0x80000000, 0x7fffffff),
    ctime,
    expire,
    payload,
  });

  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(secret, 'utf8'), nonce);
  const encrypted = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);

  const header = Buffer.alloc(8 + 2);
  header.writeBigInt64BE(BigInt(expire), 0);
  header.writeUInt16BE(nonce.length, 8);
  const cipherLength = Buffer.alloc(2);
  cipherLength.writeUInt16BE(encrypted.length, 0);
  const body = Buffer.concat([header, nonce, cipherLength, encrypted, Buffer.from([AES_GCM_MODE])]);
  return `04${body.toString('base64')}`;
}

/** The room-scoped privilege payload docs/interface.md §2 asks for: login room + publish. */
export function roomPrivilegePayload(roomId: string): string {
  const payload: RoomPrivilegePayload = { room_id: roomId, privilege: { 1: 1, 2: 1 }, stream_id_list: null };
  return JSON.stringify(payload);
}
