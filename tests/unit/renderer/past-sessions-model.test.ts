import { describe, expect, it } from 'vitest';
import { currentCursor, firstPage, formatDuration, newerPage, olderPage } from '../../../renderer/src/pages/past-sessions/past-sessions-model';

const units = { hour: 'h', minute: 'min', underAMinute: '< 1 min' };

describe('past sessions model', () => {
  it('formats durations short: under a minute, minutes, hours with padded minutes', () => {
    expect(formatDuration(0, units)).toBe('< 1 min');
    expect(formatDuration(59, units)).toBe('< 1 min');
    expect(formatDuration(25 * 60, units)).toBe('25 min');
    expect(formatDuration(65 * 60, units)).toBe('1 h 05 min');
    expect(formatDuration(2 * 3600 + 30, units)).toBe('2 h 01 min');
  });

  it('walks to older pages by cursor and back to newer ones without asking the server for the way back', () => {
    let trail = firstPage();
    expect(currentCursor(trail)).toBeUndefined();
    trail = olderPage(trail, '40');
    trail = olderPage(trail, '20');
    expect(currentCursor(trail)).toBe('20');
    trail = newerPage(trail);
    expect(currentCursor(trail)).toBe('40');
    // Going older again from here replaces what lay beyond.
    trail = olderPage(trail, '21');
    expect(trail.cursors).toEqual([undefined, '40', '21']);
    expect(currentCursor(newerPage(newerPage(newerPage(trail))))).toBeUndefined();
  });
});
