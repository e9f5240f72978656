/** Locale files (the window's and main's, one JSON file a language) read as flat key → text lists. */

/** `{ a: { b: 'x' } }` → `[['a.b', 'x']]`, in file order. */
export function flatMessages(messages: object, prefix = ''): Array<[key: string, text: string]> {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null ? flatMessages(value as object, `${prefix}${key}.`) : [[`${prefix}${key}`, String(value)] as [string, string]],
  );
}

/** The `{{name}}` slots a text fills in, sorted. */
export const placeholdersOf = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1]!).sort();
