/**
 * What the main process says to people — notifications, tray, dialogs — in English and
 * Vietnamese, following the app's language setting ("system" follows the OS).
 */
import type { ConnectionState, RingProblem, Settings } from '@contract/ipc';
import { preferredLanguage, type Language } from '@contract/languages';

export type DesktopLanguage = Language;

export interface DesktopText {
  ring: { title: string; join: string; decline: string; locale: string };
  testRing: { mentor: string; type: string };
  ringProblem: Record<RingProblem, string>;
  signInAgain: { title: string; body: string };
  tray: {
    open: string;
    join: (label: string) => string;
    noSession: string;
    signOut: string;
    quit: string;
    testRing: string;
    waiting: (count: number) => string;
    state: Record<ConnectionState, string>;
  };
  startFailed: string;
  policyIgnored: string;
  policyFix: string;
}

const EN: DesktopText = {
  ring: { title: 'Your mentor has started the session!', join: 'Join', decline: 'Decline', locale: 'en-GB' },
  testRing: { mentor: 'Classroom', type: 'Test ring — this is how a session rings' },
  ringProblem: {
    'off-in-app': "Rings are off in Classroom's settings",
    unsupported: 'This computer cannot show notifications',
    'off-for-app': 'Notifications are off for Classroom in Windows Settings',
    'off-for-all-apps': 'Notifications are off in Windows Settings',
  },
  signInAgain: { title: 'Classroom', body: "Sign in again to receive your mentor's calls." },
  tray: {
    open: 'Open Classroom',
    join: (label) => `Join: ${label}`,
    noSession: 'No session waiting',
    signOut: 'Sign out',
    quit: 'Quit Classroom',
    testRing: 'Test ring',
    waiting: (count) => `${count} waiting`,
    state: { 'signed-out': 'Signed out', connecting: 'Connecting…', online: 'Connected', offline: 'Offline — reconnecting', unauthenticated: 'Sign in again' },
  },
  startFailed: 'Classroom could not start',
  policyIgnored: 'Classroom: machine policy ignored',
  policyFix: 'Ask your IT department to fix it.',
};

const VI: DesktopText = {
  ring: { title: 'Mentor của bạn đã bắt đầu buổi học!', join: 'Tham gia', decline: 'Từ chối', locale: 'vi-VN' },
  testRing: { mentor: 'Classroom', type: 'Chuông thử — buổi học sẽ đổ chuông như thế này' },
  ringProblem: {
    'off-in-app': 'Chuông báo đang tắt trong cài đặt của Classroom',
    unsupported: 'Máy tính này không hiển thị được thông báo',
    'off-for-app': 'Thông báo của Classroom đang tắt trong Cài đặt Windows',
    'off-for-all-apps': 'Thông báo đang tắt trong Cài đặt Windows',
  },
  signInAgain: { title: 'Classroom', body: 'Hãy đăng nhập lại để nhận cuộc gọi từ mentor.' },
  tray: {
    open: 'Mở Classroom',
    join: (label) => `Tham gia: ${label}`,
    noSession: 'Không có buổi học nào đang chờ',
    signOut: 'Đăng xuất',
    quit: 'Thoát Classroom',
    testRing: 'Đổ chuông thử',
    waiting: (count) => `${count} đang chờ`,
    state: { 'signed-out': 'Đã đăng xuất', connecting: 'Đang kết nối…', online: 'Đã kết nối', offline: 'Mất kết nối — đang kết nối lại', unauthenticated: 'Hãy đăng nhập lại' },
  },
  startFailed: 'Classroom không khởi động được',
  policyIgnored: 'Classroom: chính sách máy bị bỏ qua',
  policyFix: 'Hãy nhờ bộ phận IT sửa lại.',
};

/** The language main speaks: the setting, or for "system" the first OS language we know. */
export function desktopLanguage(setting: Settings['language'], systemLanguages: readonly string[]): DesktopLanguage {
  return setting === 'system' ? preferredLanguage(systemLanguages) : setting;
}

/** Every language of the shared list has its text (a new one fails the type-check until written). */
const TEXTS: Record<DesktopLanguage, DesktopText> = { en: EN, vi: VI };

export function desktopText(language: DesktopLanguage): DesktopText {
  return TEXTS[language];
}
