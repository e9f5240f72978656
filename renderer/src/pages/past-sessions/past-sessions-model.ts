/** Formatting and paging for the mentor's past sessions (kept apart from React for unit tests). */

/** "1 h 05 min", "25 min", "< 1 min" — short and the same shape in both languages. */
export function formatDuration(seconds: number, units: { hour: string; minute: string; underAMinute: string }): string {
  if (seconds < 60) return units.underAMinute;
  const minutes = Math.round(seconds / 60);
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return hours > 0 ? `${hours} ${units.hour} ${String(rest).padStart(2, '0')} ${units.minute}` : `${minutes} ${units.minute}`;
}

/** Date and start time of a past session in the viewer's zone and language. */
export function formatWhen(instantIso: string, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone }).format(new Date(instantIso));
}

/**
 * The pages seen so far, as the cursors that open them (undefined opens the most recent), so the
 * mentor can go to older pages and back to newer ones.
 */
export interface PageTrail {
  cursors: Array<string | undefined>;
  index: number;
}

export const firstPage = (): PageTrail => ({ cursors: [undefined], index: 0 });
export const currentCursor = (trail: PageTrail) => trail.cursors[trail.index];
export const olderPage = (trail: PageTrail, nextCursor: string): PageTrail => ({ cursors: [...trail.cursors.slice(0, trail.index + 1), nextCursor], index: trail.index + 1 });
export const newerPage = (trail: PageTrail): PageTrail => ({ ...trail, index: Math.max(0, trail.index - 1) });
