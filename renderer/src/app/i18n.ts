/**
 * Vietnamese and English with i18next: follows the OS/browser language, switchable, remembered.
 */
import { FALLBACK_LANGUAGE, isLanguage, preferredLanguage, type Language } from '@contract/languages';
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { MESSAGES } from './locales';

export { LANGUAGES, type Language } from '@contract/languages';
const STORAGE_KEY = 'classroom.language';

/** The saved choice, else the first browser language we speak, else English. */
export function detectLanguage(saved: string | null, preferred: readonly string[]): Language {
  return isLanguage(saved) ? saved : preferredLanguage(preferred);
}

export function initI18n() {
  const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
  const preferred = typeof navigator === 'undefined' ? [] : navigator.languages ?? [navigator.language];
  const lng = detectLanguage(saved, preferred);
  void i18next.use(initReactI18next).init({
    resources: Object.fromEntries(Object.entries(MESSAGES).map(([language, translation]) => [language, { translation }])),
    lng,
    fallbackLng: FALLBACK_LANGUAGE,
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
