/**
 * The window's words, one JSON file a language (the format translators and i18next both read).
 * English is the reference: every other language has exactly its keys and placeholders (the
 * type-check and tests/unit/tooling/locale-parity.test.ts hold them to it).
 */
import type { Language } from '@contract/languages';
import en from './en.json';
import vi from './vi.json';

export type Messages = typeof en;

export const MESSAGES = { en, vi } satisfies Record<Language, Messages>;
export { en, vi };
