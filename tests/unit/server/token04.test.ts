/**
 * Token04 checked by an independent decoder written here from the published format — not by
 * calling the encoder back. Then the same decoder on tokens the real server hands out.
 */
import { createDecipheriv } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateToken04, Token04Error } from '../../../server/services/tokens/token04';
import { call, connectSocket, createDemoSession, login, nextEvent } from '../../helpers/api-client';
import { startTestServer, type TestServer } from '../../helpers/test-server';

const SECRET = 'fa94dd0f974cf2e293728a526b028271';

interface DecodedToken04 {
  headerExpire: number;
  nonceLength: number;
  mode: number;
  info: { app_id: number; user_id: string; nonce: number; ctime: number; expire: number; payload: string };
}

/** "04" + base64(int64 expire | uint16 n | nonce[n] | uint16 m | ciphertext‖tag[m] | uint8 mode). */
function decodeToken04(token: string, secret: string): DecodedToken04 {
  expect(token.startsWith('04')).toBe(true);
  const bytes = Buffer.from(token.slice(2), 'base64');
  let offset = 0;
  const headerExpire = Number(bytes.readBigInt64BE(offset));
  offset += 8;
  const nonceLength = bytes.readUInt16BE(offset);
  offset += 2;
  const nonce = bytes.subarray(offset, offset + nonceLength);
  offset += nonceLength;
  const cipherLength = bytes.readUInt16BE(offset);
  offset += 2;
  const cipherAndTag = bytes.subarray(offset, offset + cipherLength);
  offset += cipherLength;
  const mode = bytes.readUInt8(offset);
  offset += 1;
  expect(offset).toBe(bytes.length);

  const tag = cipherAndTag.subarray(cipherAndTag.length - 16);
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(secret, 'utf8'), nonce);
  decipher.setAuthTag(tag);
  const plain = Buffer.concat([decipher.update(cipherAndTag.subarray(0, cipherAndTag.length - 16)), decipher.final()]).toString('utf8');
  return { headerExpire, nonceLength, mode, info: JSON.parse(plain) };
}

describe('generateToken04', () => {
  it('encodes the published layout: expire header, 12-byte nonce, AES-256-GCM, mode 1', () => {
    const payload = JSON.stringify({ room_id: 'room_a', privilege: { 1: 1, 2: 1 }, stream_id_list: null });
    const token = generateToken04({ appId: 123456789, userId: 'L001', secret: SECRET, effectiveTimeInSeconds: 3600, payload, nowSeconds: 1_800_000_000 });
    const decoded = decodeToken04(token, SECRET);
    expect(decoded.mode).toBe(1);
    expect(decoded.nonceLength).toBe(12);
    expect(decoded.headerExpire).toBe(1_800_003_600);
    expect(decoded.info).toMatchObject({ app_id: 123456789, user_id: 'L001', ctime: 1_800_000_000, expire: 1_800_003_600, payload });
    expect(Number.isInteger(decoded.info.nonce)).toBe(true);
    expect(decoded.info.nonce).toBeGreaterThanOrEqual(-(2 ** 31));
    expect(decoded.info.nonce).toBeLessThan(2 ** 31);
  });

  it('never repeats: the same inputs give different tokens (random nonce and IV)', () => {
    const input = { appId: 1, userId: 'u', secret: SECRET, effectiveTimeInSeconds: 60, nowSeconds: 1 };
    expect(generateToken04(input)).not.toBe(generateToken04(input));
  });

  it('fails authentication under the wrong secret (the tag is checked)', () => {
    const token = generateToken04({ appId: 1, userId: 'u', secret: SECRET, effectiveTimeInSeconds: 60 });
    expect(() => decodeToken04(token, 'x'.repeat(32))).toThrow();
  });

  it.each([
    [{ appId: 0 }, 1],
    [{ appId: 1.5 }, 1],
    [{ userId: '' }, 3],
    [{ userId: 'u'.repeat(65) }, 3],
    [{ secret: 'short' }, 5],
    [{ effectiveTimeInSeconds: 0 }, 6],
    [{ effectiveTimeInSeconds: -5 }, 6],
  ])('rejects %o with ZEGO error code %i', (override, code) => {
    const input = { appId: 1, userId: 'u', secret: SECRET, effectiveTimeInSeconds: 60, ...override };
    try {
      generateToken04(input);
      expect.unreachable('should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(Token04Error);
      expect((error as Token04Error).errorCode).toBe(code);
    }
  });
});

describe('room tokens from the server with ZEGOCLOUD configured', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { ZEGO_APP_ID: '987654321', ZEGO_SERVER_SECRET: SECRET } });
  });
  afterAll(() => server.close());

  it('mints a Token04 per user, scoped to the room (login + publish), effective for the session length', async () => {
    const mentor = await login(server.url, 'mentor_001');
    const student = await login(server.url, 'L001');
    const socket = await connectSocket(server.url, student);
    const ring = nextEvent(socket, 'session_notification');
    const created = await createDemoSession(server.url, mentor);
    const studentToken = (await ring)[0].token;
    socket.close();

    expect(created.appId).toBe(987654321);
    const mentorDecoded = decodeToken04(created.token, SECRET);
    const studentDecoded = decodeToken04(studentToken, SECRET);
    for (const [decoded, userId] of [
      [mentorDecoded, 'mentor_001'],
      [studentDecoded, 'L001'],
    ] as const) {
      expect(decoded.info.app_id).toBe(987654321);
      expect(decoded.info.user_id).toBe(userId);
      expect(JSON.parse(decoded.info.payload)).toEqual({ room_id: created.roomId, privilege: { 1: 1, 2: 1 }, stream_id_list: null });
      expect(decoded.info.expire - decoded.info.ctime).toBeGreaterThanOrEqual(3599);
      expect(decoded.info.expire - decoded.info.ctime).toBeLessThanOrEqual(3601);
      expect(decoded.info.expire).toBe(Math.ceil(Date.parse(created.expiresAt) / 1000));
    }

    const joined = await call(server.url, 'POST', `/api/sessions/${created.sessionId}/join`, { token: student });
    expect(joined.data).toMatchObject({ engine: 'zego', appId: 987654321, token: studentToken });
    const health = await call(server.url, 'GET', '/api/health');
    expect(health.data.engine).toBe('zego');
  });
});
