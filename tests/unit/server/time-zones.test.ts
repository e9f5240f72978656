import { describe, expect, it } from 'vitest';
import { localParts, mondayOfWeek, zonedTimeToInstant } from '../../../server/services/time-zones';

describe('time zones', () => {
  it('converts a wall-clock hour in a zone to the instant (no DST)', () => {
    expect(new Date(zonedTimeToInstant(2026, 11, 23, 9, 'Asia/Ho_Chi_Minh')).toISOString()).toBe('2026-11-23T02:00:00.000Z');
  });
  it('handles both sides of a DST change', () => {
    // Europe/Paris: UTC+1 in winter, UTC+2 from 2026-03-29.
    expect(new Date(zonedTimeToInstant(2026, 3, 28, 9, 'Europe/Paris')).toISOString()).toBe('2026-03-28T08:00:00.000Z');
    expect(new Date(zonedTimeToInstant(2026, 3, 30, 9, 'Europe/Paris')).toISOString()).toBe('2026-03-30T07:00:00.000Z');
  });
  it('finds the Monday of the week in the zone, also across the date line', () => {
    // Sunday 2026-11-29 20:00 UTC is already Monday 2026-11-30 03:00 in Ho Chi Minh City.
    const instant = Date.parse('2026-11-29T20:00:00Z');
    expect(mondayOfWeek('UTC', instant)).toEqual({ year: 2026, month: 11, day: 23 });
    expect(mondayOfWeek('Asia/Ho_Chi_Minh', instant)).toEqual({ year: 2026, month: 11, day: 30 });
    expect(mondayOfWeek('UTC', 0, '2026-11-25')).toEqual({ year: 2026, month: 11, day: 23 });
    expect(mondayOfWeek('UTC', 0, '2026-11-23')).toEqual({ year: 2026, month: 11, day: 23 });
    expect(mondayOfWeek('UTC', 0, '2026-11-29')).toEqual({ year: 2026, month: 11, day: 23 });
  });
  it('reads local parts with Monday as 0', () => {
    expect(localParts(Date.parse('2026-11-23T02:00:00Z'), 'Asia/Ho_Chi_Minh')).toMatchObject({ weekdayIndex: 0, hour: 9, day: 23 });
  });
});
