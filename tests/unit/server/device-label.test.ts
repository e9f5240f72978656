import { describe, expect, it } from 'vitest';
import { deviceLabel } from '../../../server/services/auth.service';

describe('device labels', () => {
  it('are names only — the browser or app and the OS — so they read the same in English and Vietnamese', () => {
    const chromeLinux = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
    const appWindows = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Classroom/0.1.0 Chrome/138.0.0.0 Electron/45.5.0 Safari/537.36';
    expect(deviceLabel({ userAgent: chromeLinux })).toBe('Chrome · Linux');
    expect(deviceLabel({ userAgent: appWindows })).toBe('Classroom · Windows');
    expect(deviceLabel({ userAgent: chromeLinux, deviceLabel: 'Lan’s laptop' })).toBe('Lan’s laptop');
  });

  it('are empty when neither the client nor its User-Agent names the device (the client says "unknown" in its language)', () => {
    expect(deviceLabel({ userAgent: 'curl/8.5.0' })).toBe('');
    expect(deviceLabel({})).toBe('');
  });
});
