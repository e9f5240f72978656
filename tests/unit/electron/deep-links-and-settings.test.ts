import { describe, expect, it } from 'vitest';
import { DeepLinkQueue, deepLinkFromArgv, deepLinkUrl, parseDeepLink } from '../../../electron/main/deep-links';
import { applyChange, BUILT_IN_DEFAULTS, effectiveSettings, lockedSettings, parsePolicy, parseUserSettings, policyFilePath, PolicyError, SettingsStore } from '../../../electron/main/settings';

describe('deep links', () => {
  it('accepts classroom://join?session=<id> and classroom://decline?session=<id>, and writes them back', () => {
    expect(parseDeepLink('classroom://join?session=session_abc-123_XY')).toEqual({ action: 'join', sessionId: 'session_abc-123_XY' });
    expect(parseDeepLink('CLASSROOM://join/?session=session_a')).toEqual({ action: 'join', sessionId: 'session_a' });
    expect(parseDeepLink('classroom://decline?session=session_b')).toEqual({ action: 'decline', sessionId: 'session_b' });
    for (const link of [{ action: 'join', sessionId: 'session_x-1' }, { action: 'decline', sessionId: 'session_y_2' }] as const) expect(parseDeepLink(deepLinkUrl(link))).toEqual(link);
  });

  it.each([
    'classroom://join?session=../../etc/passwd',
    'classroom://join?session=session_a&redirect=https://evil.example',
    'classroom://join?session=session_a#frag',
    'classroom://evil.example/join?session=session_a',
    'classroom://leave?session=session_a',
    'classroom://decline?session=session_a&reason=x',
    'classroom://user:pw@join?session=session_a',
    'classroom://join:8080?session=session_a',
    'classroom://join/extra?session=session_a',
    'classroom://join?session=',
    'classroom://join?session=<script>alert(1)</script>',
    'classroom://join?session=session_%00a',
    'classroomx://join?session=session_a',
    'https://join?session=session_a',
    'javascript:alert(1)//classroom://join?session=session_a',
    `classroom://join?session=session_${'a'.repeat(600)}`,
    '',
  ])('rejects %s', (link) => {
    expect(parseDeepLink(link)).toBeUndefined();
  });

  it('finds the link among command-line arguments (Windows/Linux second instance)', () => {
    expect(deepLinkFromArgv(['/opt/Classroom/classroom', '--flag', 'classroom://join?session=session_z'])).toEqual({ action: 'join', sessionId: 'session_z' });
    expect(deepLinkFromArgv(['/opt/Classroom/classroom', 'classroom://evil?x=1'])).toBeUndefined();
  });

  it('holds links until the renderer takes them, then delivers in order until the page reloads', () => {
    const queue = new DeepLinkQueue();
    const seen: string[] = [];
    queue.push({ action: 'join', sessionId: 'session_1' });
    queue.push({ action: 'join', sessionId: 'session_2' });
    expect(queue.ready((link) => seen.push(link.sessionId)).map((link) => link.sessionId)).toEqual(['session_1', 'session_2']);
    queue.push({ action: 'join', sessionId: 'session_3' });
    expect(seen).toEqual(['session_3']);
    queue.notReady();
    queue.push({ action: 'join', sessionId: 'session_4' });
    expect(seen).toEqual(['session_3']);
    expect(queue.ready(() => undefined).map((link) => link.sessionId)).toEqual(['session_4']);
  });
});

describe('settings under machine policy', () => {
  const { policy } = parsePolicy(JSON.stringify({ defaults: { serverUrl: 'https://classroom.school.example', startAtLogin: true }, enforced: { autoUpdate: false, notifications: true } }));

  it('layers built-in defaults ← policy defaults ← user ← policy enforced', () => {
    expect(effectiveSettings({}, {})).toEqual(BUILT_IN_DEFAULTS);
    const user = { serverUrl: 'https://other.example', autoUpdate: true, notifications: false, startAtLogin: false };
    expect(effectiveSettings(policy, user)).toEqual({
      ...BUILT_IN_DEFAULTS,
      serverUrl: 'https://other.example', // a policy default the user changed
      startAtLogin: false,
      autoUpdate: false, // enforced beats the user
      notifications: true,
    });
    expect(lockedSettings(policy).sort()).toEqual(['autoUpdate', 'notifications']);
  });

  it('refuses a user change to an enforced setting and accepts others', () => {
    expect(() => applyChange(policy, {}, { key: 'autoUpdate', value: true })).toThrow(PolicyError);
    expect(applyChange(policy, {}, { key: 'language', value: 'vi' })).toEqual({ language: 'vi' });
  });

  it('applies each valid policy setting and reports each one it cannot: a typo does not undo the rest', () => {
    const mixed = parsePolicy(JSON.stringify({ enforced: { autoUpdate: false, startMinimized: true, serverUrl: 'file:///etc/passwd', notifications: 'no' }, surprise: true }));
    expect(mixed.policy).toEqual({ enforced: { autoUpdate: false } });
    expect(mixed.problems).toEqual([
      'policy.json: enforced.startMinimized — not a setting',
      expect.stringMatching(/^policy\.json: enforced\.serverUrl — ./),
      expect.stringMatching(/^policy\.json: enforced\.notifications — ./),
      'policy.json: surprise — not a policy section ("defaults" or "enforced")',
    ]);
    expect(parsePolicy('{ nope')).toEqual({ policy: {}, problems: [expect.stringMatching(/^policy\.json is not valid JSON/)] });
    expect(parsePolicy('[]').problems).toEqual(['policy.json: a policy is an object with "defaults" and/or "enforced"']);
    expect(parsePolicy(null)).toEqual({ policy: {}, problems: [] });
  });

  it('takes a key every object has ("constructor", "__proto__") for an unknown setting, not a crash', () => {
    expect(parsePolicy('{"enforced":{"__proto__":1,"constructor":2,"toString":3,"autoUpdate":false}}')).toEqual({
      policy: { enforced: { autoUpdate: false } },
      problems: ['policy.json: enforced.__proto__ — not a setting', 'policy.json: enforced.constructor — not a setting', 'policy.json: enforced.toString — not a setting'],
    });
  });

  it('reads a policy saved as UTF-8 with a byte-order mark (PowerShell 5 writes one)', () => {
    expect(parsePolicy(`\uFEFF${JSON.stringify({ enforced: { autoUpdate: false } })}`)).toEqual({ policy: { enforced: { autoUpdate: false } }, problems: [] });
  });

  it('reports a policy file it cannot read (permissions) instead of taking it for none', () => {
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const read = (file: string) => {
      if (file.endsWith('policy.json')) throw denied;
      return null;
    };
    const store = new SettingsStore({ policyFile: '/etc/classroom/policy.json', settingsFile: '/home/u/settings.json' }, { read, write: async () => undefined });
    expect(store.policyProblem).toBe('/etc/classroom/policy.json cannot be read (EACCES)');
    expect(store.current).toEqual(BUILT_IN_DEFAULTS);
  });

  it('drops bad values from a hand-edited user file and keeps the good ones', () => {
    expect(parseUserSettings(JSON.stringify({ language: 'vi', autoUpdate: 'yes', serverUrl: 'ftp://x' }))).toEqual({ language: 'vi' });
    expect(parseUserSettings('garbage')).toEqual({});
  });

  it('knows where IT puts the policy on each platform', () => {
    expect(policyFilePath('win32', { ProgramData: 'C:\\ProgramData' })).toBe('C:\\ProgramData\\Classroom\\policy.json');
    expect(policyFilePath('darwin', {})).toBe('/Library/Application Support/Classroom/policy.json');
    expect(policyFilePath('linux', {})).toBe('/etc/classroom/policy.json');
  });
});
