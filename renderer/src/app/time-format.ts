/**
 * Every time the app shows, formatted one way: in the viewer's time zone, 24-hour in Vietnamese,
 * with the zone labelled by a readable name and its UTC offset ("Indochina Time (UTC+07:00)"),
 * so the mentor's week and the student's inbox say the same thing for the same instant.
 */
import type { TFunction } from 'i18next';

export const viewerTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

const localeOf = (language: string) => (language === 'vi' ? 'vi-VN' : 'en-GB');

/** "09:00" (vi, 24-hour) or "9:00 am"… — we use 24-hour in both: en-GB reads naturally and stays unambiguous. */
export function formatClock(instant: string | number | Date, language: string, timeZone: string): string {
  return new Intl.DateTimeFormat(localeOf(language), { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(new Date(instant));
}

export function formatClockRange(start: string, end: string, language: string, timeZone: string): string {
  return `${formatClock(start, language, timeZone)}–${formatClock(end, language, timeZone)}`;
}

/** "Monday 23 Nov" / "Thứ Hai, 23 thg 11" in the viewer's zone. */
export function formatDayOf(instant: string | number | Date, language: string, timeZone: string): string {
  return new Intl.DateTimeFormat(localeOf(language), { weekday: 'long', day: 'numeric', month: 'short', timeZone }).format(new Date(instant));
}

/** "09:00–10:00" today, "Monday 23 Nov, 09:00–10:00" on another day (in the viewer's zone). */
export function formatSlotWhen(start: string, end: string, language: string, timeZone: string, nowMs: number): string {
  const day = (at: string | number) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(at));
  const range = formatClockRange(start, end, language, timeZone);
  return day(start) === day(nowMs) ? range : `${formatDayOf(start, language, timeZone)}, ${range}`;
}

/** The zone's readable name and UTC offset at that instant (offsets move with daylight saving). */
export function zoneLabel(timeZone: string, language: string, t: TFunction, at: number = Date.now()): string {
  const part = (timeZoneName: 'long' | 'longOffset') =>
    new Intl.DateTimeFormat(localeOf(language), { timeZone, timeZoneName }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const offset = part('longOffset').replace(/^GMT/, '') || '+00:00';
  return t('time.zone', { name: part('long') || timeZone, offset });
}

/** "1 hr 5 min" / "1 giờ 5 phút"; under a minute counts as one. */
export function formatDuration(ms: number, language: string): string {
  const totalMinutes = Math.max(1, Math.round(ms / 60_000));
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  const unit = (value: number, unit: 'hour' | 'minute') => new Intl.NumberFormat(localeOf(language), { style: 'unit', unit, unitDisplay: 'short' }).format(value);
  return [hours > 0 ? unit(hours, 'hour') : null, minutes > 0 || hours === 0 ? unit(minutes, 'minute') : null].filter(Boolean).join(' ');
}

/** "42:05" for a countdown. */
export function formatCountdown(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}
