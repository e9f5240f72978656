/** Pure helpers of the mentor's week (tested without a DOM). */
import type { ScheduleSlot } from '@contract/api';

export interface DayColumn {
  /** YYYY-MM-DD */
  date: string;
  slots: ScheduleSlot[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function addDaysToDate(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The calendar date of an instant as seen in `timeZone`. */
export function localDate(instantIso: string, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(instantIso));
}

/** Seven columns Monday → Sunday; each slot goes to the day it falls on in the viewer's zone. */
export function weekColumns(weekStart: string, slots: ScheduleSlot[], viewerTimeZone: string): DayColumn[] {
  const columns = Array.from({ length: 7 }, (_, i) => ({ date: addDaysToDate(weekStart, i), slots: [] as ScheduleSlot[] }));
  for (const slot of slots) {
    const date = localDate(slot.startsAt, viewerTimeZone);
    // A slot shifted past the week's edge by the zone difference stays on its nearest edge column.
    const column = columns.find((c) => c.date === date) ?? (date < columns[0]!.date ? columns[0]! : columns[6]!);
    column.slots.push(slot);
  }
  for (const column of columns) column.slots.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  return columns;
}

/** A day's names: `weekday` in full, `shortWeekday` as the language abbreviates it ("Mon", "Thứ 2"). */
export function formatDay(isoDate: string, locale: string): { weekday: string; shortWeekday: string; date: string } {
  const instant = new Date(`${isoDate}T12:00:00Z`);
  return {
    weekday: new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(instant),
    shortWeekday: new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(instant),
    date: new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(instant),
  };
}

/** `?week=YYYY-MM-DD` when it looks like a date (the server checks it is a real one). */
export function weekParam(value: string | null): string | undefined {
  return value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined;
}

/** The booking happening now, else the next one still to come (this week's slots only). */
export function upNext(slots: ScheduleSlot[], nowMs: number): { slot: ScheduleSlot; current: boolean } | null {
  const next = slots
    .filter((s) => s.booking && Date.parse(s.endsAt) > nowMs)
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt))[0];
  return next ? { slot: next, current: Date.parse(next.startsAt) <= nowMs } : null;
}

export const isPast = (slot: ScheduleSlot, nowMs: number) => Date.parse(slot.endsAt) <= nowMs;
