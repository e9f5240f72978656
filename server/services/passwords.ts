/**
 * Password hashing with scrypt from node:crypto (memory-hard, no native dependency).
 * Stored as `scrypt$N$r$p$salt$hash`, so the cost can be raised later without breaking old hashes.
 * The derivation itself is pluggable: the server runs it in a worker pool (password-pool.ts), tools
 * and tests on libuv's thread pool.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export const SCRYPT_COST = { N: 16384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
/** scrypt's memory need is 128·N·r bytes (16 MiB at our cost); the cap leaves room for a raised cost. */
export const SCRYPT_MAX_MEMORY = 64 * 1024 * 1024;

export interface DeriveRequest {
  /** Already NFKC-normalised (one spelling of a password, however it was typed). */
  password: string;
  salt: Buffer;
  N: number;
  r: number;
  p: number;
  keyLength: number;
}
export type Derive = (request: DeriveRequest) => Promise<Buffer>;

/** scrypt on libuv's thread pool. */
export const deriveOnThreadPool: Derive = ({ password, salt, N, r, p, keyLength }) =>
  new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, { N, r, p, maxmem: SCRYPT_MAX_MEMORY }, (error, key) => (error ? reject(error) : resolve(key)));
  });

export async function hashPassword(password: string, derive: Derive = deriveOnThreadPool): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive({ password: password.normalize('NFKC'), salt, ...SCRYPT_COST, keyLength: KEY_LENGTH });
  return `scrypt$${SCRYPT_COST.N}$${SCRYPT_COST.r}$${SCRYPT_COST.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Constant-time check; a malformed stored hash simply fails. */
export async function verifyPassword(password: string, stored: string, derive: Derive = deriveOnThreadPool): Promise<boolean> {
  const [scheme, n, r, p, saltB64, keyB64] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !saltB64 || !keyB64) return false;
  const expected = Buffer.from(keyB64, 'base64');
  const actual = await derive({ password: password.normalize('NFKC'), salt: Buffer.from(saltB64, 'base64'), N: Number(n), r: Number(r), p: Number(p), keyLength: expected.length });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A real hash of a random password, verified against when the user id is unknown so timing does not reveal which ids exist. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
}
