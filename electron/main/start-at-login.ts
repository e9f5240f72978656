/**
 * "Start at login": the OS login item on macOS and Windows (Electron's setLoginItemSettings), and
 * on Linux — where that call does nothing — an XDG autostart entry
 * (`$XDG_CONFIG_HOME/autostart/classroom.desktop`, the freedesktop.org Desktop Application
 * Autostart Specification), so an AppImage or deb student is rung after a reboot too.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Settings } from '@contract/ipc';

export const START_HIDDEN_ARG = '--start-hidden';
const ENTRY_NAME = 'classroom.desktop';

export interface StartAtLoginDeps {
  platform: NodeJS.Platform;
  setLoginItemSettings(settings: { openAtLogin: boolean; args: string[] }): void;
  env: NodeJS.ProcessEnv;
  homeDir: string;
  /** The command that starts this app: the executable (an AppImage's own path), then its arguments. */
  command: string[];
}

export function autostartEntryPath(env: NodeJS.ProcessEnv, homeDir: string): string {
  return path.join(env.XDG_CONFIG_HOME || path.join(homeDir, '.config'), 'autostart', ENTRY_NAME);
}

/** Quoting by the Desktop Entry Specification's rules for the Exec key. */
function execArgument(argument: string): string {
  if (/^[A-Za-z0-9_./:=@+-]+$/.test(argument)) return argument;
  return `"${argument.replace(/(["`$\\])/g, '\\$1')}"`;
}

export function autostartEntry(command: string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Classroom',
    'Comment=Rings you when your mentor starts a session',
    `Exec=${command.map(execArgument).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export function applyStartAtLogin(settings: Pick<Settings, 'startAtLogin' | 'startMinimised'>, deps: StartAtLoginDeps): void {
  const args = settings.startMinimised ? [START_HIDDEN_ARG] : [];
  if (deps.platform !== 'linux') {
    deps.setLoginItemSettings({ openAtLogin: settings.startAtLogin, args });
    return;
  }
  const entry = autostartEntryPath(deps.env, deps.homeDir);
  if (!settings.startAtLogin) {
    rmSync(entry, { force: true });
    return;
  }
  mkdirSync(path.dirname(entry), { recursive: true });
  writeFileSync(entry, autostartEntry([...deps.command, ...args]), { mode: 0o644 });
}
