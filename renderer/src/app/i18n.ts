/**
 * Vietnamese and English with i18next: follows the OS/browser language, switchable, remembered.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en';
import vi from './locales/vi';

export const LANGUAGES = ['en', 'vi'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'classroom.language';

/** The saved choice, else the first browser language we speak, else English. */
export function detectLanguage(saved: string | null, preferred: readonly string[]): Language {
  if (saved === 'en' || saved === 'vi') return saved;
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'vi' || base === 'en') return base;
  }
  return 'en';
}

export function initI18n() {
  const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
  const preferred = typeof navigator === 'undefined' ? [] : navigator.languages ?? [navigator.language];
  const lng = detectLanguage(saved, preferred);
  void i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, vi: { translation: vi } },
    lng,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = lng;
  return i18next;
}

export function changeLanguage(language: Language) {
  localStorage.setItem(STORAGE_KEY, language);
  document.documentElement.lang = language;
  return i18next.changeLanguage(language);
}
