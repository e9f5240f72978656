/**
 * What the main process says to people — notifications, tray, dialogs — in English and
 * Vietnamese (locales/*.json), following the app's language setting ("system" follows the OS).
 */
import type { ConnectionState, RingProblem, Settings } from '@contract/ipc';
import { preferredLanguage, type Language } from '@contract/languages';
import en from './locales/en.json';
import vi from './locales/vi.json';

export type DesktopLanguage = Language;

export interface DesktopText {
  ring: { title: string; join: string; decline: string; locale: string };
  testRing: { mentor: string; type: string };
  ringProblem: Record<RingProblem, string>;
  signInAgain: { title: string; body: string };
  tray: {
    open: string;
    join: (label: string) => string;
    noSession: string;
    signOut: string;
    quit: string;
    testRing: string;
    waiting: (count: number) => string;
    state: Record<ConnectionState, string>;
  };
  startFailed: string;
  policyNotApplied: string;
  policyFix: string;
}

/** The language main speaks: the setting, or for "system" the first OS language we know. */
export function desktopLanguage(setting: Settings['language'], systemLanguages: readonly string[]): DesktopLanguage {
  return setting === 'system' ? preferredLanguage(systemLanguages) : setting;
}

/** The words as translators keep them, `{{name}}` marking what is filled in (as in the window's locales). */
type DesktopStrings = Omit<DesktopText, 'tray'> & { tray: Omit<DesktopText['tray'], 'join' | 'waiting'> & { join: string; waiting: string } };

/** Every language of the shared list has its text (a new one, or a missing key, fails the type-check). */
const STRINGS = { en, vi } satisfies Record<DesktopLanguage, DesktopStrings>;

// A function replacer: a mentor's name or a session type holding `$&` is shown as written.
const fill = (template: string, name: string, value: string | number) => template.replaceAll(`{{${name}}}`, () => String(value));

export function desktopText(language: DesktopLanguage): DesktopText {
  const strings: DesktopStrings = STRINGS[language];
  return { ...strings, tray: { ...strings.tray, join: (label) => fill(strings.tray.join, 'label', label), waiting: (count) => fill(strings.tray.waiting, 'count', count) } };
}
