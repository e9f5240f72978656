import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from '../../../server/config';

const defaults = { dataDir: '/tmp/classroom-default', demo: true };
const SECRET = 'a'.repeat(32);

describe('parseConfig', () => {
  it('gives the docs/interface.md §1 defaults', () => {
    expect(parseConfig({}, defaults)).toEqual({
      host: '127.0.0.1',
      port: 4800,
      dataDir: '/tmp/classroom-default',
      store: 'json',
      redisUrl: null,
      demo: true,
      zego: null,
      iceServers: [],
      allowedOrigins: ['classroom-app://app'],
      logLevel: 'info',
      ringTimeoutMs: 180_000,
      auth: { accessTokenTtlMs: 60 * 60_000, refreshTokenTtlMs: 30 * 24 * 60 * 60_000 },
      limits: {
        trustProxy: false,
        allowedHosts: null,
        metricsToken: null,
        metricsListen: null,
        maxConnectionsPerAddress: 256,
        idleTimeoutMs: 30_000,
        requestTimeoutMs: 30_000,
        headersTimeoutMs: 10_000,
        keepAliveTimeoutMs: 5_000,
        loginFailuresPerAddress: 20,
        loginAccountFreeFailures: 10,
        passwordThreads: 2,
      },
    });
  });

  it('reads the security settings, and names the variable of a bad one', () => {
    const config = parseConfig(
      {
        CLASSROOM_TRUST_PROXY: 'loopback, 10.1.0.0/16',
        CLASSROOM_ALLOWED_HOSTS: 'Classroom.School.example,[fd00::5]',
        CLASSROOM_METRICS_TOKEN: 'm'.repeat(32),
        CLASSROOM_METRICS_LISTEN: '127.0.0.1:9464',
        CLASSROOM_MAX_CONNECTIONS_PER_ADDRESS: '1000',
        CLASSROOM_IDLE_TIMEOUT_SECONDS: '20',
        CLASSROOM_ACCESS_TOKEN_MINUTES: '15',
        CLASSROOM_REFRESH_TOKEN_DAYS: '7',
      },
      defaults,
    );
    expect(config.limits).toMatchObject({
      trustProxy: ['127.0.0.0/8', '::1/128', '10.1.0.0/16'],
      allowedHosts: ['classroom.school.example', 'fd00::5'],
      metricsListen: { host: '127.0.0.1', port: 9464 },
      maxConnectionsPerAddress: 1000,
      idleTimeoutMs: 20_000,
    });
    expect(config.auth).toEqual({ accessTokenTtlMs: 15 * 60_000, refreshTokenTtlMs: 7 * 24 * 60 * 60_000 });
    expect(parseConfig({ CLASSROOM_TRUST_PROXY: '2' }, defaults).limits.trustProxy).toBe(2);
    expect(parseConfig({ CLASSROOM_TRUST_PROXY: '0' }, defaults).limits.trustProxy).toBe(false);
    for (const [variable, value] of [
      ['CLASSROOM_TRUST_PROXY', 'everyone'],
      ['CLASSROOM_TRUST_PROXY', '10.0.0.0/99'],
      ['CLASSROOM_TRUST_PROXY', '11'],
      ['CLASSROOM_TRUST_PROXY', '1.2.3'],
      ['CLASSROOM_ALLOWED_HOSTS', 'classroom.school.example:443'],
      ['CLASSROOM_ACCESS_TOKEN_MINUTES', '600'],
      ['CLASSROOM_METRICS_TOKEN', 'short'],
      ['CLASSROOM_METRICS_LISTEN', 'nine'],
      ['CLASSROOM_ALLOWED_HOSTS', 'bad host/'],
      ['CLASSROOM_MAX_CONNECTIONS_PER_ADDRESS', '0'],
    ]) {
      expect(() => parseConfig({ [variable!]: value }, defaults), `${variable}=${value}`).toThrow(new RegExp(`^Configuration error: ${variable}`));
    }
  });

  it('reads every variable', () => {
    const config = parseConfig(
      { ZEGO_APP_ID: '123456789', ZEGO_SERVER_SECRET: SECRET, PORT: '5000', HOST: '0.0.0.0', CLASSROOM_DATA_DIR: '/srv/classroom', CLASSROOM_DEMO: '0', CLASSROOM_LOG_LEVEL: 'warn', CLASSROOM_RING_SECONDS: '45' },
      defaults,
    );
    expect(config).toMatchObject({
      port: 5000,
      host: '0.0.0.0',
      dataDir: '/srv/classroom',
      demo: false,
      zego: { appId: 123456789, serverSecret: SECRET, serverUrl: 'wss://webliveroom123456789-api.zegocloud.com/ws' },
      logLevel: 'warn',
      ringTimeoutMs: 45_000,
    });
    const ice = parseConfig({ CLASSROOM_ICE_SERVERS: '[{"urls":["stun:stun.example.org:3478"]},{"urls":"turn:turn.example.org","username":"u","credential":"c"}]' }, defaults);
    expect(ice.iceServers).toHaveLength(2);
  });

  it.each([
    [{ CLASSROOM_RING_SECONDS: '2' }, 'CLASSROOM_RING_SECONDS must be a whole number of seconds from 5 to 3600'],
    [{ CLASSROOM_RING_SECONDS: 'soon' }, 'CLASSROOM_RING_SECONDS must be a whole number of seconds from 5 to 3600'],
    [{ ZEGO_APP_ID: '1', ZEGO_SERVER_SECRET: 'short' }, 'ZEGO_SERVER_SECRET must be exactly 32 characters (got 5)'],
    [{ ZEGO_APP_ID: 'abc', ZEGO_SERVER_SECRET: SECRET }, 'ZEGO_APP_ID must be a number'],
    [{ ZEGO_APP_ID: '99999999999', ZEGO_SERVER_SECRET: SECRET }, 'ZEGO_APP_ID'],
    [{ ZEGO_APP_ID: '123' }, 'ZEGO_SERVER_SECRET must be set too'],
    [{ ZEGO_SERVER_SECRET: SECRET }, 'ZEGO_APP_ID must be set too'],
    [{ PORT: '99999' }, 'PORT must be a number from 0 to 65535'],
    [{ PORT: 'eighty' }, 'PORT must be a number'],
    [{ CLASSROOM_STORE: 'mongo' }, 'CLASSROOM_STORE must be "json" or "redis"'],
    [{ CLASSROOM_STORE: 'redis' }, 'REDIS_URL must be set when CLASSROOM_STORE=redis'],
    [{ REDIS_URL: 'localhost' }, 'REDIS_URL must look like redis://'],
    [{ CLASSROOM_DEMO: 'maybe' }, 'CLASSROOM_DEMO must be 1 or 0'],
    [{ CLASSROOM_LOG_LEVEL: 'loud' }, 'CLASSROOM_LOG_LEVEL must be one of'],
    [{ CLASSROOM_ICE_SERVERS: 'stun:x' }, 'CLASSROOM_ICE_SERVERS must be a JSON array'],
    [{ CLASSROOM_ALLOWED_ORIGINS: 'classroom-app://app, not an origin' }, 'CLASSROOM_ALLOWED_ORIGINS must be'],
    [{ CLASSROOM_ICE_SERVERS: '[{"urls":"http://x"}]' }, 'CLASSROOM_ICE_SERVERS must be a JSON array'],
    [{ ZEGO_APP_ID: '1', ZEGO_SERVER_SECRET: SECRET, ZEGO_SERVER_URL: 'http://x' }, 'ZEGO_SERVER_URL must be the wss://'],
  ])('refuses %o with one line naming the variable', (vars, expected) => {
    try {
      parseConfig(vars, defaults);
      expect.unreachable('should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain(expected);
      expect(message).not.toContain('\n');
    }
  });

  it('never echoes the secret in its error', () => {
    const secret = 'S3CRET-value-that-is-too-long-for-zego-000';
    expect(() => parseConfig({ ZEGO_APP_ID: '1', ZEGO_SERVER_SECRET: secret }, defaults)).toThrow(/ZEGO_SERVER_SECRET/);
    try {
      parseConfig({ ZEGO_APP_ID: '1', ZEGO_SERVER_SECRET: secret }, defaults);
    } catch (error) {
      expect((error as Error).message).not.toContain(secret);
    }
  });
});

describe('loadConfig with .env.local', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'classroom-env-'));
    await writeFile(path.join(root, '.env.local'), `# as in the seed\nZEGO_APP_ID=42\nZEGO_SERVER_SECRET=${SECRET}\nPORT=4900\n`);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('reads the file, and the environment wins over it', () => {
    expect(loadConfig({}, root, defaults)).toMatchObject({ port: 4900, zego: { appId: 42 } });
    expect(loadConfig({ PORT: '4901' }, root, defaults).port).toBe(4901);
  });

  it('treats an empty assignment as unset', () => {
    expect(loadConfig({ ZEGO_APP_ID: '', ZEGO_SERVER_SECRET: '' }, path.join(root, 'missing'), defaults).zego).toBeNull();
  });
});
