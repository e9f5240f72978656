/**
 * Settings per user, under a machine-wide policy IT controls. The policy file has `defaults`
 * (a starting point users may change) and `enforced` (values users cannot override):
 *   effective = built-in defaults ← policy.defaults ← the user's choices ← policy.enforced
 * Windows: %ProgramData%\Classroom\policy.json, macOS: /Library/Application Support/Classroom/policy.json,
 * Linux: /etc/classroom/policy.json.
 */
import path from 'node:path';
import { z } from 'zod';
import { SettingsSchema, type SettingChange, type SettingKey, type Settings } from '@contract/ipc';

export const BUILT_IN_DEFAULTS: Settings = {
  serverUrl: 'http://127.0.0.1:4800',
  startAtLogin: false,
  startMinimised: true,
  notifications: true,
  autoUpdate: true,
  language: 'system',
};

const POLICY_SECTIONS = ['defaults', 'enforced'] as const;
export type Policy = Partial<Record<(typeof POLICY_SECTIONS)[number], Partial<Settings>>>;

export function policyFilePath(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string {
  if (platform === 'win32') return path.win32.join(env.ProgramData ?? 'C:\\ProgramData', 'Classroom', 'policy.json');
  if (platform === 'darwin') return '/Library/Application Support/Classroom/policy.json';
  return '/etc/classroom/policy.json';
}

export class PolicyError extends Error {
  override name = 'PolicyError';
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The known, valid settings of `raw`; each other key is passed to `reject` with the reason. */
function validSettings(raw: Record<string, unknown>, reject: (key: string, why: string) => void = () => undefined): Partial<Settings> {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    // Own keys only: "constructor" or "__proto__" in a file must read as unknown, not as Object's.
    const schema = Object.hasOwn(SettingsSchema.shape, key) ? (SettingsSchema.shape as Record<string, z.ZodType>)[key] : undefined;
    const parsed = schema?.safeParse(value);
    if (parsed?.success) kept[key] = parsed.data;
    else reject(key, parsed ? parsed.error.issues[0]!.message : 'not a setting');
  }
  return kept as Partial<Settings>;
}

/**
 * Reads the policy file's text setting by setting: each valid setting applies, and each one that
 * is not (an unknown name, a bad value) is left out and reported — a typo beside
 * `enforced.autoUpdate: false` must not undo it. Only a file that is not JSON at all is ignored whole.
 */
export function parsePolicy(text: string | null, file = 'policy.json'): { policy: Policy; problems: string[] } {
  if (text === null) return { policy: {}, problems: [] };
  let json: unknown;
  try {
    // Windows tools write UTF-8 with a byte-order mark (PowerShell 5's `Out-File -Encoding utf8`).
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { policy: {}, problems: [`${file} is not valid JSON: ${(error as Error).message}`] };
  }
  if (!isObject(json)) return { policy: {}, problems: [`${file}: a policy is an object with "defaults" and/or "enforced"`] };
  const policy: Policy = {};
  const problems: string[] = [];
  for (const [section, settings] of Object.entries(json)) {
    if (!(POLICY_SECTIONS as readonly string[]).includes(section)) {
      problems.push(`${file}: ${section} — not a policy section ("defaults" or "enforced")`);
      continue;
    }
    if (!isObject(settings)) {
      problems.push(`${file}: ${section} — must be an object of settings`);
      continue;
    }
    policy[section as keyof Policy] = validSettings(settings, (key, why) => problems.push(`${file}: ${section}.${key} — ${why}`));
  }
  return { policy, problems };
}

/** The user's stored choices, tolerant of an old or hand-edited file (bad keys are dropped). */
export function parseUserSettings(text: string | null): Partial<Settings> {
  if (!text) return {};
  try {
    const raw: unknown = JSON.parse(text);
    return isObject(raw) ? validSettings(raw) : {};
  } catch {
    return {};
  }
}

export function effectiveSettings(policy: Policy, user: Partial<Settings>): Settings {
  return { ...BUILT_IN_DEFAULTS, ...policy.defaults, ...user, ...policy.enforced };
}

export function lockedSettings(policy: Policy): SettingKey[] {
  return Object.keys(policy.enforced ?? {}) as SettingKey[];
}

/** Applies a user's change unless IT enforced that setting; returns the new user choices. */
export function applyChange(policy: Policy, user: Partial<Settings>, change: SettingChange): Partial<Settings> {
  if (lockedSettings(policy).includes(change.key)) {
    throw new PolicyError(`${change.key} is set by your organisation and cannot be changed here.`);
  }
  return { ...user, [change.key]: change.value };
}

/**
 * The effective settings and their files: the machine policy (read once at start; what cannot be
 * applied is reported) and the user's choices (written on every change). In a development
 * build `CLASSROOM_SERVER_URL` points the app at another server (tests, `npm start`); a packaged
 * build never reads it.
 */
export class SettingsStore {
  private user: Partial<Settings>;
  readonly policy: Policy;
  /** What of the machine policy could not be applied and why, for a dialog IT will see. */
  readonly policyProblem: string | null;

  constructor(
    private readonly files: { policyFile: string; settingsFile: string },
    private readonly io: { read(file: string): string | null; write(file: string, text: string): Promise<void> },
    private readonly developmentServerUrl: string | null = null,
  ) {
    let policyText: string | null = null;
    const unreadable: string[] = [];
    try {
      policyText = io.read(files.policyFile);
    } catch (error) {
      unreadable.push(`${files.policyFile} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    const { policy, problems } = parsePolicy(policyText, files.policyFile);
    this.policy = policy;
    this.policyProblem = unreadable.length + problems.length > 0 ? [...unreadable, ...problems].join('\n') : null;
    let userText: string | null = null;
    try {
      userText = io.read(files.settingsFile);
    } catch {
      // an unreadable settings file is the user's own: start from the defaults
    }
    this.user = parseUserSettings(userText);
  }

  get current(): Settings {
    const settings = effectiveSettings(this.policy, this.user);
    return this.developmentServerUrl ? { ...settings, serverUrl: this.developmentServerUrl } : settings;
  }

  get locked(): SettingKey[] {
    return lockedSettings(this.policy);
  }

  /** Applies and saves a user's change; refused (PolicyError) when IT enforces that setting. */
  async change(change: SettingChange): Promise<Settings> {
    this.user = applyChange(this.policy, this.user, change);
    await this.io.write(this.files.settingsFile, JSON.stringify(this.user, null, 2));
    return this.current;
  }
}

/** `CLASSROOM_SERVER_URL` for development builds only (see SettingsStore). */
export function developmentServerUrl(env: NodeJS.ProcessEnv, packaged: boolean): string | null {
  if (packaged || !env.CLASSROOM_SERVER_URL) return null;
  const parsed = SettingsSchema.shape.serverUrl.safeParse(env.CLASSROOM_SERVER_URL);
  return parsed.success ? parsed.data : null;
}
