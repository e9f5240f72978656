import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { en, vi } from '../../../renderer/src/app/locales';
import { formatCountdown, formatDuration, zoneLabel } from '../../../renderer/src/app/time-format';
import { initialsOf } from '../../../renderer/src/components/Avatar';
import { errorMessage } from '../../../renderer/src/components/error-message';
import { qualityBetween, sampleOf } from '../../../renderer/src/meeting-engines/quality';
import { ApiError } from '../../../renderer/src/services/api-client';

describe('the call experience, pure parts', () => {
  beforeAll(async () => {
    await i18next.init({ resources: { en: { translation: en }, vi: { translation: vi } }, lng: 'en', interpolation: { escapeValue: false } });
  });

  it('labels a time zone by its readable name and UTC offset, in the viewer’s language', () => {
    const at = Date.parse('2026-11-25T12:00:00Z');
    expect(zoneLabel('Asia/Ho_Chi_Minh', 'en', i18next.getFixedT('en'), at)).toBe('Indochina Time (UTC+07:00)');
    expect(zoneLabel('Asia/Saigon', 'vi', i18next.getFixedT('vi'), at)).toBe('Giờ Đông Dương (UTC+07:00)');
    expect(zoneLabel('UTC', 'en', i18next.getFixedT('en'), at)).toBe('Coordinated Universal Time (UTC+00:00)');
    // Daylight saving moves the offset with the date.
    expect(zoneLabel('Europe/Paris', 'en', i18next.getFixedT('en'), Date.parse('2026-07-01T12:00:00Z'))).toBe('Central European Summer Time (UTC+02:00)');
  });

  it('writes durations and countdowns', () => {
    expect(formatDuration(65 * 60_000, 'en')).toBe('1 hr 5 mins');
    expect(formatDuration(20_000, 'vi')).toBe('1 phút');
    expect(formatCountdown(42 * 60_000 + 5_000)).toBe('42:05');
    expect(formatCountdown(-5)).toBe('00:00');
  });

  it('turns a validation refusal into a localized sentence naming the field, never the raw server text', () => {
    const refusal = new ApiError(400, 'VALIDATION_FAILED', 'body.userId: Too small: expected string to have >=1 characters', [{ path: 'body.userId', message: 'Too small' }]);
    expect(errorMessage(i18next.getFixedT('vi'), refusal)).toBe(vi.errors.field.userId);
    expect(errorMessage(i18next.getFixedT('en'), new ApiError(400, 'VALIDATION_FAILED', 'x: y', [{ path: 'body.other' }]))).toBe(en.errors.VALIDATION_FAILED);
    expect(errorMessage(i18next.getFixedT('vi'), new ApiError(409, 'SESSION_NOT_LIVE', 'This session has ended.'))).toBe(vi.errors.SESSION_NOT_LIVE);
  });

  it('shows initials for a person without video', () => {
    expect(initialsOf('Nguyễn Văn Minh')).toBe('NM');
    expect(initialsOf('  lan ')).toBe('L');
    expect(initialsOf('')).toBe('?');
  });

  it('rates connection quality from loss and round-trip time between two getStats samples', () => {
    const stats = (received: number, lost: number, rtt?: number) => [
      { type: 'inbound-rtp', kind: 'video', packetsReceived: received, packetsLost: lost },
      { type: 'candidate-pair', state: 'succeeded', nominated: true, currentRoundTripTime: rtt },
      { type: 'candidate-pair', state: 'failed', nominated: false, currentRoundTripTime: 9 },
    ];
    const start = sampleOf(stats(1000, 0, 0.02));
    expect(qualityBetween(start, sampleOf(stats(2000, 5, 0.02)))).toBe('good');
    expect(qualityBetween(start, sampleOf(stats(2000, 40, 0.02)))).toBe('fair');
    expect(qualityBetween(start, sampleOf(stats(2000, 200, 0.02)))).toBe('poor');
    expect(qualityBetween(start, sampleOf(stats(2000, 0, 0.5)))).toBe('poor');
    expect(qualityBetween(start, sampleOf(stats(1000, 0)))).toBe(null);
  });
});
