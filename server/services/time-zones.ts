/**
 * Wall-clock ↔ instant conversion with the platform's Intl time-zone data (no library needed for
 * the two operations we use). Slots are wall-clock times in the mentor's zone; instants are UTC.
 */
import { WEEKDAYS, type Weekday } from '@contract/domain';

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Monday … 6 = Sunday */
  weekdayIndex: number;
}

const WEEKDAY_INDEX: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function localParts(instantMs: number, timeZone: string): LocalParts {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(new Date(instantMs)).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekdayIndex: WEEKDAY_INDEX[parts.weekday ?? 'Mon'] ?? 0,
  };
}

/** The instant at which the wall clock in `timeZone` shows that date and hour. */
export function zonedTimeToInstant(year: number, month: number, day: number, hour: number, timeZone: string): number {
  const wallAsUtc = Date.UTC(year, month - 1, day, hour);
  const offsetAt = (instant: number) => {
    const p = localParts(instant, timeZone);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - Math.floor(instant / 60_000) * 60_000;
  };
  let instant = wallAsUtc - offsetAt(wallAsUtc);
  // Around a DST change the offset at the guess can differ from the offset at the answer.
  const corrected = wallAsUtc - offsetAt(instant);
  if (corrected !== instant) instant = corrected;
  return instant;
}

/** Plain calendar-date arithmetic (no zone involved). */
export function addDays(date: { year: number; month: number; day: number }, days: number) {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export const formatDate = (date: { year: number; month: number; day: number }) =>
  `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;

/** Monday (in `timeZone`) of the week containing the instant, or containing the given YYYY-MM-DD. */
export function mondayOfWeek(timeZone: string, nowMs: number, isoDate?: string) {
  if (isoDate) {
    const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
    const weekday = (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
    return addDays({ year, month, day }, -weekday);
  }
  const local = localParts(nowMs, timeZone);
  return addDays(local, -local.weekdayIndex);
}

/** A weekly slot's start and end in the week of `monday` (wall clock in `timeZone`), as instants. */
export function slotInstants(slot: { day: string; startHour: number; endHour: number }, monday: { year: number; month: number; day: number }, timeZone: string) {
  const date = addDays(monday, WEEKDAYS.indexOf(slot.day as Weekday));
  return {
    startsAtMs: zonedTimeToInstant(date.year, date.month, date.day, slot.startHour, timeZone),
    endsAtMs: zonedTimeToInstant(date.year, date.month, date.day, slot.endHour, timeZone),
  };
}
