/**
 * The languages the app speaks — the renderer's translations and the desktop main process's text —
 * listed once. The first is the fallback.
 */
export const LANGUAGES = ['en', 'vi'] as const;
export type Language = (typeof LANGUAGES)[number];
export const FALLBACK_LANGUAGE: Language = LANGUAGES[0];

/** The language setting of the desktop app: one of ours, or "system" (follow the OS). */
export const LANGUAGE_SETTINGS = ['system', ...LANGUAGES] as const;

export function isLanguage(value: unknown): value is Language {
  return (LANGUAGES as readonly unknown[]).includes(value);
}

/** The first of the preferred BCP 47 tags (`vi-VN`, `en`) whose base language we speak, else the fallback. */
export function preferredLanguage(tags: readonly string[]): Language {
  for (const tag of tags) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return FALLBACK_LANGUAGE;
}
