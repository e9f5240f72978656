import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../../renderer/src/app/i18n';
import { en, vi } from '../../../renderer/src/app/locales';
import { meetingUrl, safeNextPath } from '../../../renderer/src/app/routes';

describe('meeting URL', () => {
  it('carries the seed parameters with the token encoded (+ / = survive)', () => {
    const token = '04AAAAAGl+abc/def+ghi==';
    const url = meetingUrl({ roomId: 'room_x', token, role: 'student', sessionId: 'session_y' });
    expect(url.startsWith('/meeting?roomId=room_x&token=')).toBe(true);
    expect(url).toContain('&role=student');
    const parsed = new URL(url, 'http://local');
    expect(parsed.searchParams.get('token')).toBe(token);
    expect(parsed.searchParams.get('sessionId')).toBe('session_y');
  });

  it('follows sign-in only to our own paths', () => {
    expect(safeNextPath('/meeting?roomId=a')).toBe('/meeting?roomId=a');
    for (const hostile of ['//evil.example', 'https://evil.example', '/\\evil.example', 'javascript:alert(1)', null]) {
      expect(safeNextPath(hostile)).toBeNull();
    }
  });
});

describe('languages', () => {
  it('follows the saved choice, else the browser’s languages, else English', () => {
    expect(detectLanguage('vi', ['en-US'])).toBe('vi');
    expect(detectLanguage(null, ['vi-VN', 'en'])).toBe('vi');
    expect(detectLanguage(null, ['fr-FR', 'en-GB'])).toBe('en');
    expect(detectLanguage(null, ['fr-FR'])).toBe('en');
    expect(detectLanguage('klingon', [])).toBe('en');
  });

  // Every key is in both languages: tests/unit/tooling/locale-parity.test.ts.
  it('translates into Vietnamese, differently where it is prose', () => {
    expect(vi.signIn.submit).toBe('Đăng nhập');
    expect(vi.meeting.leave).not.toBe(en.meeting.leave);
  });

  it('keeps the accessible names of docs/interface.md §4 in English', () => {
    expect(en.schedule.startSession).toBe('Start Session');
    expect(en.inbox.join).toBe('Join');
    expect([en.meeting.leave, en.meeting.end, en.meeting.mute, en.meeting.unmute, en.meeting.cameraOff, en.meeting.cameraOn]).toEqual([
      'Leave',
      'End session',
      'Mute',
      'Unmute',
      'Camera off',
      'Camera on',
    ]);
    expect([en.signIn.userId, en.signIn.password, en.signIn.submit]).toEqual(['User ID', 'Password', 'Sign in']);
  });
});
