/**
 * No Secret Service on this bus: keytar fails, and the store falls back to Electron safeStorage —
 * here a FAKE safeStorage (the Electron API is the edge we cannot run) that really encrypts — or,
 * with no encryption at all, to memory. Never plaintext on disk.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseCredentialStore, loadKeytar, type SafeStorageLike } from '../../electron/main/credentials';
import { makeTempDir } from '../helpers/test-server';

const key = randomBytes(32);
const fakeSafeStorage = (available: boolean, backend = 'gnome_libsecret'): SafeStorageLike => ({
  isEncryptionAvailable: () => available,
  getSelectedStorageBackend: () => backend,
  encryptString(plain) {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    return Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  },
  decryptString(data) {
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
    decipher.setAuthTag(data.subarray(data.length - 16));
    return Buffer.concat([decipher.update(data.subarray(12, data.length - 16)), decipher.final()]).toString('utf8');
  },
});

describe('credential fallback without a Secret Service', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir('classroom-creds-');
    process.env.DBUS_SESSION_BUS_ADDRESS = `unix:path=${path.join(dir, 'no-bus-here')}`;
  });
  afterAll(() => undefined);

  it('falls back to safeStorage where keytar (optional) is not installed, and says so', async () => {
    // Node's real resolution of a package that is not in node_modules, as on a machine without libsecret.
    const { store, warning } = await chooseCredentialStore({
      loadKeytar: () => loadKeytar('classroom-keytar-not-installed'),
      safeStorage: fakeSafeStorage(true),
      safeStorageFile: path.join(dir, 'without-keytar.json'),
    });
    expect(store.kind).toBe('safe-storage');
    expect(warning).toBe(
      'The system keychain is unavailable (classroom-keytar-not-installed, the optional keychain module, is not installed or not built on this machine); sign-ins are kept encrypted by the app instead.',
    );
  });

  it('falls back to safeStorage, and the file holds no plaintext', async () => {
    const file = path.join(dir, 'credentials.json');
    const { store, warning } = await chooseCredentialStore({ loadKeytar, safeStorage: fakeSafeStorage(true), safeStorageFile: file });
    expect(store.kind).toBe('safe-storage');
    expect(warning).toMatch(/keychain is unavailable/);
    await store.set('access-token:http://127.0.0.1:4800', 'cls_plaintext_must_not_appear');
    expect(readFileSync(file, 'utf8')).not.toContain('cls_plaintext_must_not_appear');
    expect(await store.get('access-token:http://127.0.0.1:4800')).toBe('cls_plaintext_must_not_appear');
    expect(await store.delete('access-token:http://127.0.0.1:4800')).toBe(true);
    expect(await store.get('access-token:http://127.0.0.1:4800')).toBeNull();
  });

  it('keeps secrets in memory only when nothing can encrypt (or only "basic_text" would)', async () => {
    for (const safeStorage of [fakeSafeStorage(false), fakeSafeStorage(true, 'basic_text')]) {
      const file = path.join(dir, `never-${Math.random()}.json`);
      const { store, warning } = await chooseCredentialStore({ loadKeytar, safeStorage, safeStorageFile: file });
      expect(store.kind).toBe('memory');
      expect(warning).toMatch(/sign in each time/);
      await store.set('a', 'secret');
      expect(await store.get('a')).toBe('secret');
      expect(existsSync(file)).toBe(false);
    }
  });
});
