import type { TFunction } from 'i18next';
import { en } from '../app/locales';
import { ApiError } from '../services/api-client';

/** The server's error codes that have words of their own (the `errors` section of the locales). */
type TranslatedCode = Exclude<keyof typeof en.errors, 'field'>;
const isTranslated = (code: string): code is TranslatedCode => code !== 'field' && Object.hasOwn(en.errors, code);

/** The input fields the server may name in a validation refusal (`body.userId`, `querystring.week`, …). */
const FIELDS = ['userId', 'password', 'newPassword', 'enrolmentCode', 'reason', 'week'] as const;

/**
 * A sentence for the user in their language: a refused field is named in words, a known code is
 * translated; the server's own text (English, technical) is never shown for those.
 */
export function errorMessage(t: TFunction, error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'VALIDATION_FAILED') {
      const field = refusedField(error.details);
      return field ? t(`errors.field.${field}`) : t('errors.VALIDATION_FAILED');
    }
    return isTranslated(error.code) ? t(`errors.${error.code}`) : error.message;
  }
  if (error instanceof TypeError) return t('errors.network');
  return t('errors.generic', { message: error instanceof Error ? error.message : String(error) });
}

/** The first refused field we have words for, from the envelope's `details: [{path}]`. */
export function refusedField(details: unknown): (typeof FIELDS)[number] | null {
  if (!Array.isArray(details)) return null;
  for (const detail of details) {
    const path = typeof detail === 'object' && detail !== null ? String((detail as { path?: unknown }).path ?? '') : '';
    const field = FIELDS.find((name) => path.split('.').includes(name));
    if (field) return field;
  }
  return null;
}
