import { describe, expect, it } from 'vitest';
import type { ScheduleSlot } from '@contract/api';
import { formatClock } from '../../../renderer/src/app/time-format';
import { addDaysToDate, formatDay, isPast, localDate, upNext, weekColumns, weekParam } from '../../../renderer/src/pages/schedule/schedule-model';

const slot = (slotId: string, startsAt: string): ScheduleSlot => ({
  slotId,
  day: 'mon',
  startTime: '09:00',
  endTime: '10:00',
  startsAt,
  endsAt: new Date(Date.parse(startsAt) + 3_600_000).toISOString(),
  booking: null,
  liveSession: null,
});

describe('schedule model', () => {
  it('lays the week out Monday to Sunday in the viewer’s zone', () => {
    const slots = [slot('tue-14-15', '2026-11-24T07:00:00Z'), slot('mon-10-11', '2026-11-23T03:00:00Z'), slot('mon-09-10', '2026-11-23T02:00:00Z')];
    const columns = weekColumns('2026-11-23', slots, 'Asia/Ho_Chi_Minh');
    expect(columns.map((c) => c.date)).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']);
    expect(columns[0]!.slots.map((s) => s.slotId)).toEqual(['mon-09-10', 'mon-10-11']);
    expect(columns[1]!.slots.map((s) => s.slotId)).toEqual(['tue-14-15']);
  });

  it('moves a slot to the day it falls on for a viewer in another zone', () => {
    // Monday 02:00 UTC is still Sunday evening in Los Angeles: it shows on the edge column.
    const columns = weekColumns('2026-11-23', [slot('mon-09-10', '2026-11-24T02:00:00Z')], 'America/Los_Angeles');
    expect(columns[0]!.slots).toHaveLength(1);
    expect(formatClock('2026-11-23T02:00:00Z', 'en', 'Asia/Ho_Chi_Minh')).toBe('09:00');
    expect(formatClock('2026-11-23T02:00:00Z', 'en', 'Europe/Paris')).toBe('03:00');
    expect(formatClock('2026-11-23T14:00:00Z', 'vi', 'UTC')).toBe('14:00');
  });

  it('finds the booking happening now or next, dims past slots, and reads the week from the URL', () => {
    const booked = (slotId: string, startsAt: string): ScheduleSlot => ({ ...slot(slotId, startsAt), booking: { studentId: 'L1', studentName: 'Lan', sessionType: 'Speaking', online: false } });
    const slots = [booked('tue-14-15', '2026-11-24T07:00:00Z'), slot('mon-10-11', '2026-11-23T03:00:00Z'), booked('mon-09-10', '2026-11-23T02:00:00Z')];
    expect(upNext(slots, Date.parse('2026-11-23T01:00:00Z'))).toMatchObject({ slot: { slotId: 'mon-09-10' }, current: false });
    expect(upNext(slots, Date.parse('2026-11-23T02:30:00Z'))).toMatchObject({ slot: { slotId: 'mon-09-10' }, current: true });
    expect(upNext(slots, Date.parse('2026-11-23T03:00:00Z'))).toMatchObject({ slot: { slotId: 'tue-14-15' }, current: false });
    expect(upNext(slots, Date.parse('2026-11-30T00:00:00Z'))).toBeNull();
    expect(isPast(slots[2]!, Date.parse('2026-11-23T03:00:00Z'))).toBe(true);
    expect(isPast(slots[0]!, Date.parse('2026-11-23T03:00:00Z'))).toBe(false);
    expect(weekParam('2026-11-23')).toBe('2026-11-23');
    expect(weekParam('next')).toBeUndefined();
    expect(weekParam(null)).toBeUndefined();
  });

  it('names the narrow day picker\'s days as each language abbreviates them (not the first 3 letters: "Thứ" is every Vietnamese weekday)', () => {
    const week = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29'];
    expect(week.map((day) => formatDay(day, 'en').shortWeekday)).toEqual(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
    const vi = week.map((day) => formatDay(day, 'vi').shortWeekday);
    expect(new Set(vi).size).toBe(7);
    expect(vi[0]).toMatch(/^(Thứ 2|Th 2)$/); // as the ICU data at hand abbreviates Monday
  });

  it('does calendar arithmetic across months and years', () => {
    expect(addDaysToDate('2026-12-28', 7)).toBe('2027-01-04');
    expect(addDaysToDate('2026-03-02', -7)).toBe('2026-02-23');
    expect(localDate('2026-11-29T20:00:00Z', 'Asia/Ho_Chi_Minh')).toBe('2026-11-30');
  });
});
