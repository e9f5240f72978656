/**
 * Every language says everything English says, and fills in the same names: the window's words
 * (renderer/src/app/locales) and main's (electron/main/locales). The type-check finds a missing
 * key; this also finds an extra one, and a translation that drops or renames a `{{placeholder}}`.
 */
import { describe, expect, it } from 'vitest';
import windowEn from '../../../renderer/src/app/locales/en.json';
import windowVi from '../../../renderer/src/app/locales/vi.json';
import mainEn from '../../../electron/main/locales/en.json';
import mainVi from '../../../electron/main/locales/vi.json';
import { flatMessages, placeholdersOf } from '../../helpers/locales';

describe.each([
  ['the window', windowEn, windowVi],
  ['main', mainEn, mainVi],
])('locales of %s', (_name, en, vi) => {
  it('Vietnamese has exactly the English keys, in the same order', () => {
    expect(flatMessages(vi).map(([key]) => key)).toEqual(flatMessages(en).map(([key]) => key));
  });

  it('each Vietnamese text fills in the same placeholders as its English one', () => {
    const english = new Map(flatMessages(en));
    const mismatched = flatMessages(vi).filter(([key, text]) => placeholdersOf(text).join() !== placeholdersOf(english.get(key) ?? '').join());
    expect(mismatched).toEqual([]);
  });
});
