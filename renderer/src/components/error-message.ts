import type { TFunction } from 'i18next';
import { ApiError } from '../services/api-client';

/** A sentence for the user: our translation of a known code, else the server's own message. */
export function errorMessage(t: TFunction, error: unknown): string {
  if (error instanceof ApiError) {
    const key = `errors.${error.code}`;
    const translated = t(key);
    return translated !== key ? translated : error.message;
  }
  if (error instanceof TypeError) return t('errors.network');
  return t('errors.generic', { message: error instanceof Error ? error.message : String(error) });
}
