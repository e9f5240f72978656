/**
 * Where the desktop app keeps sign-ins (one per server URL) and, on a host machine, the ZEGO
 * server secret: the OS keychain through keytar (Keychain, Credential Vault, Secret Service).
 * Where no keychain answers, Electron's safeStorage encrypts them into a file instead. Where
 * neither can encrypt, secrets live in memory only — never silently in plaintext — and the user
 * signs in again next launch.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';

export const KEYCHAIN_SERVICE = 'Classroom';

export interface CredentialStore {
  readonly kind: 'keychain' | 'safe-storage' | 'memory';
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
}

/** The part of keytar we use. */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/**
 * keytar is an optional dependency: on Linux it builds against libsecret, and npm skips it where it
 * cannot be built. It is loaded by a name held in a variable so the app builds and type-checks
 * without it; a missing module becomes an error that says so (and the caller falls back).
 */
export async function loadKeytar(moduleName = 'keytar'): Promise<KeytarLike> {
  let loaded: { default?: KeytarLike } & Partial<KeytarLike>;
  try {
    loaded = (await import(/* @vite-ignore */ moduleName)) as typeof loaded;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new Error(`${moduleName}, the optional keychain module, is not installed or not built on this machine`, { cause: error });
    }
    throw error;
  }
  return loaded.default ?? (loaded as KeytarLike);
}

/** The part of Electron's safeStorage we use. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: 'basic_text' means "no real key" — we treat that as unavailable. */
  getSelectedStorageBackend?(): string;
}

export class KeychainCredentialStore implements CredentialStore {
  readonly kind = 'keychain' as const;
  constructor(
    private readonly keytar: KeytarLike,
    private readonly service = KEYCHAIN_SERVICE,
  ) {}
  get(account: string) {
    return this.keytar.getPassword(this.service, account);
  }
  set(account: string, secret: string) {
    return this.keytar.setPassword(this.service, account, secret);
  }
  delete(account: string) {
    return this.keytar.deletePassword(this.service, account);
  }
}

/** Secrets encrypted with safeStorage, in one JSON file of base64 ciphertexts (mode 0600). */
export class SafeStorageCredentialStore implements CredentialStore {
  readonly kind = 'safe-storage' as const;
  constructor(
    private readonly safeStorage: SafeStorageLike,
    private readonly file: string,
  ) {}

  private async readAll(): Promise<Record<string, string>> {
    try {
      return JSON.parse(await readFile(this.file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }

  private async writeAll(entries: Record<string, string>): Promise<void> {
    const temp = `${this.file}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temp, JSON.stringify(entries), { mode: 0o600 });
    await rename(temp, this.file);
  }

  async get(account: string): Promise<string | null> {
    const encrypted = (await this.readAll())[account];
    if (!encrypted) return null;
    try {
      return this.safeStorage.decryptString(Buffer.from(encrypted, 'base64'));
    } catch {
      return null; // encrypted under another OS user or key: as good as absent
    }
  }

  async set(account: string, secret: string): Promise<void> {
    const entries = await this.readAll();
    entries[account] = this.safeStorage.encryptString(secret).toString('base64');
    await this.writeAll(entries);
  }

  async delete(account: string): Promise<boolean> {
    const entries = await this.readAll();
    if (!(account in entries)) return false;
    delete entries[account];
    await this.writeAll(entries);
    return true;
  }
}

export class MemoryCredentialStore implements CredentialStore {
  readonly kind = 'memory' as const;
  private readonly secrets = new Map<string, string>();
  async get(account: string) {
    return this.secrets.get(account) ?? null;
  }
  async set(account: string, secret: string) {
    this.secrets.set(account, secret);
  }
  async delete(account: string) {
    return this.secrets.delete(account);
  }
}

export interface CredentialStoreChoice {
  store: CredentialStore;
  /** Why a weaker store was chosen; null when the keychain works. */
  warning: string | null;
}

/** The best store this machine offers: keychain, else safeStorage, else memory (with a warning). */
export async function chooseCredentialStore(options: {
  loadKeytar: () => Promise<KeytarLike>;
  safeStorage: SafeStorageLike;
  safeStorageFile: string;
}): Promise<CredentialStoreChoice> {
  let keychainProblem: string;
  try {
    const keytar = await options.loadKeytar();
    // A read proves the keychain (e.g. a Secret Service on D-Bus) actually answers.
    await keytar.getPassword(KEYCHAIN_SERVICE, '__probe__');
    return { store: new KeychainCredentialStore(keytar), warning: null };
  } catch (error) {
    keychainProblem = (error as Error).message || String(error);
  }
  const backend = options.safeStorage.getSelectedStorageBackend?.();
  if (options.safeStorage.isEncryptionAvailable() && backend !== 'basic_text') {
    return {
      store: new SafeStorageCredentialStore(options.safeStorage, options.safeStorageFile),
      warning: `The system keychain is unavailable (${keychainProblem}); sign-ins are kept encrypted by the app instead.`,
    };
  }
  return {
    store: new MemoryCredentialStore(),
    warning: `Neither the system keychain (${keychainProblem}) nor app encryption is available; you will need to sign in each time the app starts.`,
  };
}

/** Keychain account of a host machine's ZEGO secret (sign-ins: see sign-in.ts). */
export const ZEGO_SECRET_ACCOUNT = 'zego-server-secret';
