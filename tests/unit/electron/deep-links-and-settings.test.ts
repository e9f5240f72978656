import { describe, expect, it } from 'vitest';
import { DeepLinkQueue, deepLinkFromArgv, deepLinkUrl, parseDeepLink } from '../../../electron/main/deep-links';
import { applyChange, BUILT_IN_DEFAULTS, effectiveSettings, lockedSettings, parsePolicy, parseUserSettings, policyFilePath, PolicyError } from '../../../electron/main/settings';

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
  const policy = parsePolicy(JSON.stringify({ defaults: { serverUrl: 'https://classroom.school.example', startAtLogin: true }, enforced: { autoUpdate: false, notifications: true } }));

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

  it('reports a broken policy file clearly instead of ignoring it', () => {
    expect(() => parsePolicy('{ nope')).toThrow(/not valid JSON/);
    expect(() => parsePolicy(JSON.stringify({ enforced: { autoUpdate: 'no' } }))).toThrow(/enforced\.autoUpdate/);
    expect(() => parsePolicy(JSON.stringify({ enforced: { serverUrl: 'file:///etc/passwd' } }))).toThrow(/serverUrl/);
    expect(() => parsePolicy(JSON.stringify({ surprise: true }))).toThrow(PolicyError);
    expect(parsePolicy(null)).toEqual({});
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
