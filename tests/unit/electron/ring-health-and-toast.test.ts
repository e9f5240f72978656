/**
 * Can it ring? (the Windows registry is an edge we cannot run here: its reader is faked) and the
 * Windows toast's escaping.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { checkRingHealth, parseRegQueryDword } from '../../../electron/main/ring-health';
import { incomingCallToast } from '../../../electron/main/ring-notification';

const APP_ID = 'app.classroom.desktop';

function registry(values: Record<string, number>) {
  const reads: string[] = [];
  return {
    reads,
    read: async (key: string, value: string) => {
      reads.push(`${key}@${value}`);
      return values[`${key}@${value}`] ?? null;
    },
  };
}

describe('can it ring? (fake registry reader)', () => {
  const base = { platform: 'win32' as const, appId: APP_ID, notificationsEnabled: true, isSupported: () => true };

  it('rings when nothing is off', async () => {
    expect(await checkRingHealth({ ...base, readRegistryDword: registry({}).read })).toEqual({ canRing: true, problem: null });
  });

  it("names Windows' per-app switch, read under the app's own AppUserModelID", async () => {
    const reg = registry({ [`HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Notifications\\Settings\\${APP_ID}@Enabled`]: 0 });
    expect(await checkRingHealth({ ...base, readRegistryDword: reg.read })).toEqual({ canRing: false, problem: 'off-for-app' });
  });

  it("names Windows' global switch first", async () => {
    const reg = registry({ 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\PushNotifications@ToastEnabled': 0, [`HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Notifications\\Settings\\${APP_ID}@Enabled`]: 0 });
    expect(await checkRingHealth({ ...base, readRegistryDword: reg.read })).toEqual({ canRing: false, problem: 'off-for-all-apps' });
  });

  it('the app setting and an OS without notifications come before the registry; other OSes never read it', async () => {
    const reg = registry({});
    expect(await checkRingHealth({ ...base, notificationsEnabled: false, readRegistryDword: reg.read })).toEqual({ canRing: false, problem: 'off-in-app' });
    expect(await checkRingHealth({ ...base, isSupported: () => false, readRegistryDword: reg.read })).toEqual({ canRing: false, problem: 'unsupported' });
    expect(await checkRingHealth({ ...base, platform: 'darwin', readRegistryDword: reg.read })).toEqual({ canRing: true, problem: null });
    expect(reg.reads).toEqual([]);
  });

  it("reads `reg query`'s output", () => {
    const output = '\r\nHKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\PushNotifications\r\n    ToastEnabled    REG_DWORD    0x0\r\n\r\n';
    expect(parseRegQueryDword(output, 'ToastEnabled')).toBe(0);
    expect(parseRegQueryDword(output.replace('0x0', '0x1'), 'ToastEnabled')).toBe(1);
    expect(parseRegQueryDword('ERROR: The system was unable to find the specified registry key or value.', 'ToastEnabled')).toBeNull();
  });
});

describe('the Windows incoming-call toast', () => {
  it('stays well-formed XML whatever a mentor name or session type holds', () => {
    const hostile = { sessionId: 'session_a', mentorName: 'Tom & "Jerry" <script>', sessionType: "IELTS <b>Writing</b> & 'more'", startTime: '09:00', endTime: '10:00' };
    const toast = incomingCallToast(hostile, { title: 'Ring & <go>', join: 'Join', decline: 'Decline', locale: 'en-GB' });
    expect(XMLValidator.validate(toast)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(toast) as { toast: { visual: { binding: { text: Array<string | { '#text': string }> } } } };
    const texts = parsed.toast.visual.binding.text.map((t) => (typeof t === 'string' ? t : t['#text']));
    // Read back as text, not markup: nothing a name holds becomes an element or ends an attribute.
    expect(texts).toEqual(['Ring & <go>', 'Tom & "Jerry" <script>', "IELTS <b>Writing</b> & 'more' · 09:00–10:00"]);
  });
});
