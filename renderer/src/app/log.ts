/**
 * A failure the code recovers from (or cannot report to anyone else) still leaves one line in the
 * console — the desktop app's and the browser's developer tools — with what failed and its context.
 */
export function logFailure(what: string, error: unknown, context: Record<string, unknown> = {}): void {
  console.warn(`[classroom] ${what}`, context, error);
}
