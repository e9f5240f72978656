/**
 * "Can it ring?" What the app can find out about whether its rings will reach the screen, so a
 * student is never left in the tray for weeks without being rung and without knowing:
 * the app's own setting, Electron's `Notification.isSupported()` (Linux without a notification
 * service), and on Windows the per-app and global toast switches in the registry
 * (HKCU\Software\Microsoft\Windows\CurrentVersion\Notifications\Settings\<AppUserModelID> Enabled,
 * HKCU\Software\Microsoft\Windows\CurrentVersion\PushNotifications ToastEnabled). Focus Assist and
 * macOS's notification settings have no API an app can read: for those, the tray's "Test ring".
 */
import type { RingHealth } from '@contract/ipc';

export interface RingHealthDeps {
  platform: NodeJS.Platform;
  appId: string;
  notificationsEnabled: boolean;
  isSupported(): boolean;
  /** A REG_DWORD under HKCU, or null when absent or unreadable. */
  readRegistryDword(key: string, value: string): Promise<number | null>;
}

const WINDOWS_NOTIFICATIONS = 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion';

export async function checkRingHealth(deps: RingHealthDeps): Promise<RingHealth> {
  if (!deps.notificationsEnabled) return { canRing: false, problem: 'off-in-app' };
  if (!deps.isSupported()) return { canRing: false, problem: 'unsupported' };
  if (deps.platform === 'win32') {
    if ((await deps.readRegistryDword(`${WINDOWS_NOTIFICATIONS}\\PushNotifications`, 'ToastEnabled')) === 0) return { canRing: false, problem: 'off-for-all-apps' };
    if ((await deps.readRegistryDword(`${WINDOWS_NOTIFICATIONS}\\Notifications\\Settings\\${deps.appId}`, 'Enabled')) === 0) return { canRing: false, problem: 'off-for-app' };
  }
  return { canRing: true, problem: null };
}

/** `reg query` output → the DWORD's value (Windows only; null when the value is not there). */
export function parseRegQueryDword(output: string, value: string): number | null {
  const match = new RegExp(`^\\s*${value}\\s+REG_DWORD\\s+0x([0-9a-f]+)\\s*$`, 'im').exec(output);
  return match ? Number.parseInt(match[1]!, 16) : null;
}
