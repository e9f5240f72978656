/**
 * The embedded server as the desktop app hosts it: the real server entry in its own process
 * (Node's child process standing in for Electron's utilityProcess), its ZEGO secret taken from
 * the keychain store when the environment has none, and handed to that process only.
 */
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryCredentialStore, ZEGO_SECRET_ACCOUNT } from '../../electron/main/credentials';
import { EmbeddedServer, embeddedServerEnvironment, type ForkServer } from '../../electron/main/embedded-server';
import { call } from '../helpers/api-client';
import { makeTempDir } from '../helpers/test-server';

const ROOT = path.resolve(__dirname, '../..');
const SECRET = 'kc-secret-0123456789abcdef012345';
const forkWithNode: ForkServer = (entry, env) => spawn(process.execPath, ['--import', 'tsx', entry], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe('embedded server', () => {
  it('takes the ZEGO secret from the keychain when the environment has none, and passes only what the server needs', async () => {
    const credentials = new MemoryCredentialStore();
    await credentials.set(ZEGO_SECRET_ACCOUNT, SECRET);
    const env = await embeddedServerEnvironment({
      entry: 'x',
      dataDir: '/data',
      port: 0,
      host: '127.0.0.1',
      env: { ZEGO_APP_ID: '42', PATH: '/usr/bin', ELECTRON_RUN_AS_NODE: '1', AWS_SECRET_ACCESS_KEY: 'nope' },
      credentials,
    });
    expect(env).toMatchObject({ ZEGO_APP_ID: '42', ZEGO_SERVER_SECRET: SECRET, CLASSROOM_DATA_DIR: '/data', HOST: '127.0.0.1', CLASSROOM_DEMO: '0' });
    expect(env).not.toHaveProperty('AWS_SECRET_ACCESS_KEY');
    expect(env).not.toHaveProperty('ELECTRON_RUN_AS_NODE');
    // An environment secret (set by IT) wins over the keychain.
    const fromEnv = await embeddedServerEnvironment({ entry: 'x', dataDir: '/d', port: 0, host: '127.0.0.1', env: { ZEGO_APP_ID: '42', ZEGO_SERVER_SECRET: 'e'.repeat(32) }, credentials });
    expect(fromEnv.ZEGO_SERVER_SECRET).toBe('e'.repeat(32));
  });

  it('starts the real server in its own process, with ZEGO from the keychain, and stops it', async () => {
    const dataDir = await makeTempDir('classroom-embedded-');
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const credentials = new MemoryCredentialStore();
    await credentials.set(ZEGO_SECRET_ACCOUNT, SECRET);
    const server = new EmbeddedServer(forkWithNode, { entry: 'server/index.ts', dataDir, port: 0, host: '127.0.0.1', env: { ...process.env, ZEGO_APP_ID: '42', ZEGO_SERVER_SECRET: undefined, CLASSROOM_DEMO: '1' }, credentials });
    cleanup.push(() => server.stop());
    const url = await server.start();
    const health = await call(url, 'GET', '/api/health');
    expect(health.data).toMatchObject({ status: 'ok', engine: 'zego' });
    expect(await (await fetch(`${url}/api/openapi.json`)).text()).not.toContain(SECRET);
  });

  it('reports a server that cannot start (bad configuration) instead of hanging', async () => {
    const dataDir = await makeTempDir('classroom-embedded-');
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const server = new EmbeddedServer(forkWithNode, { entry: 'server/index.ts', dataDir, port: 0, host: '127.0.0.1', env: { PATH: process.env.PATH, ZEGO_APP_ID: 'not-a-number' }, credentials: new MemoryCredentialStore() });
    await expect(server.start(20_000)).rejects.toThrow(/^The embedded server stopped \(exit 1\) — classroom: Configuration error: ZEGO_APP_ID must be a number/);
  });
});
