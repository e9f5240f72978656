/**
 * Access tokens in the OS keychain through keytar, against a real Secret Service
 * (gnome-keyring on a private D-Bus session bus).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseCredentialStore, loadKeytar } from '../../electron/main/credentials';
import { signInAccount } from '../../electron/main/sign-in';
import { startSecretService, type SecretService } from '../helpers/secret-service';

describe('keychain credentials (real Secret Service)', () => {
  let service: SecretService;
  beforeAll(async () => {
    service = await startSecretService();
    process.env.DBUS_SESSION_BUS_ADDRESS = service.address; // before keytar first talks to D-Bus
  });
  afterAll(() => service.stop());

  const noSafeStorage = { isEncryptionAvailable: () => false, encryptString: () => Buffer.alloc(0), decryptString: () => '' };

  it('chooses the keychain, then sets, reads and deletes a token per server', async () => {
    const { store, warning } = await chooseCredentialStore({ loadKeytar: () => loadKeytar(), safeStorage: noSafeStorage, safeStorageFile: '/nonexistent' });
    expect(store.kind).toBe('keychain');
    expect(warning).toBeNull();

    const school = signInAccount('https://classroom.school.example/any/path');
    const home = signInAccount('http://127.0.0.1:4800');
    await store.set(school, 'cls_school_token');
    await store.set(home, 'cls_home_token');
    expect(await store.get(school)).toBe('cls_school_token');
    expect(await store.get(home)).toBe('cls_home_token');
    await store.set(school, 'cls_school_token_2');
    expect(await store.get(school)).toBe('cls_school_token_2');
    expect(await store.delete(school)).toBe(true);
    expect(await store.get(school)).toBeNull();
    expect(await store.get(home)).toBe('cls_home_token');
    expect(await store.delete(school)).toBe(false);
    await store.delete(home);
  });
});
