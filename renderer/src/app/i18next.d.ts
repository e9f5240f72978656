/** Translation keys are typed: a key that no language has fails the type-check (i18next's CustomTypeOptions). */
import type { Messages } from './locales';

declare module 'i18next' {
  interface CustomTypeOptions {
    resources: { translation: Messages };
  }
}
