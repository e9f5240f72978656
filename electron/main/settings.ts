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

const PartialSettingsSchema = SettingsSchema.partial().strict();
const PolicySchema = z.object({ defaults: PartialSettingsSchema.optional(), enforced: PartialSettingsSchema.optional() }).strict();
export type Policy = z.infer<typeof PolicySchema>;

export function policyFilePath(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string {
  if (platform === 'win32') return path.win32.join(env.ProgramData ?? 'C:\\ProgramData', 'Classroom', 'policy.json');
  if (platform === 'darwin') return '/Library/Application Support/Classroom/policy.json';
  return '/etc/classroom/policy.json';
}

export class PolicyError extends Error {
  override name = 'PolicyError';
}

/** Parses the policy file's text; a broken policy is an error IT must see, not a silent ignore. */
export function parsePolicy(text: string | null, file = 'policy.json'): Policy {
  if (text === null) return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PolicyError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = PolicySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PolicyError(`${file}: ${issue.path.join('.') || 'policy'} — ${issue.message}`);
  }
  return parsed.data;
}

/** The user's stored choices, tolerant of an old or hand-edited file (bad keys are dropped). */
export function parseUserSettings(text: string | null): Partial<Settings> {
  if (!text) return {};
  try {
    const raw = JSON.parse(text) as Record<string, unknown>;
    const kept: Partial<Settings> = {};
    for (const key of Object.keys(SettingsSchema.shape) as SettingKey[]) {
      const parsed = SettingsSchema.shape[key].safeParse(raw[key]);
      if (parsed.success) (kept as Record<string, unknown>)[key] = parsed.data;
    }
    return kept;
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
 * The effective settings and their files: the machine policy (read once at start; a broken one is
 * reported, then ignored) and the user's choices (written on every change). In a development
 * build `CLASSROOM_SERVER_URL` points the app at another server (tests, `npm start`); a packaged
 * build never reads it.
 */
export class SettingsStore {
  private user: Partial<Settings>;
  readonly policy: Policy;
  /** Why the machine policy was ignored, for a dialog IT will see. */
  readonly policyProblem: string | null;

  constructor(
    private readonly files: { policyFile: string; settingsFile: string },
    private readonly io: { read(file: string): string | null; write(file: string, text: string): Promise<void> },
    private readonly developmentServerUrl: string | null = null,
  ) {
    let policy: Policy = {};
    let problem: string | null = null;
    try {
      policy = parsePolicy(io.read(files.policyFile), files.policyFile);
    } catch (error) {
      if (!(error instanceof PolicyError)) throw error;
      problem = error.message;
    }
    this.policy = policy;
    this.policyProblem = problem;
    this.user = parseUserSettings(io.read(files.settingsFile));
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
