/**
 * OS notifications from the web client (the desktop shell rings from its main process instead).
 * The `tag` is the session and its ring attempt, so even the OS collapses a repeated delivery into one notification.
 */
import type { SessionNotification } from '@contract/api';
import { formatClockRange, viewerTimeZone } from '../app/time-format';

export type NotificationPermissionState = 'granted' | 'denied' | 'default' | 'unsupported';

export function notificationPermission(): NotificationPermissionState {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

export async function requestNotificationPermission(): Promise<NotificationPermissionState> {
  if (typeof Notification === 'undefined') return 'unsupported';
  return Notification.requestPermission();
}

export function showSessionNotification(notification: SessionNotification, title: string, onClick: () => void): void {
  if (notificationPermission() !== 'granted') return;
  const shown = new Notification(title, {
    body: `${notification.message}\n${notification.mentorName} · ${notification.sessionType} · ${formatClockRange(notification.startsAt, notification.endsAt, document.documentElement.lang, viewerTimeZone())}`,
    // One per ring (Ring again rings anew); it stays until answered and makes the system's sound.
    tag: `${notification.sessionId}#${notification.ring.attempt}`,
    requireInteraction: true,
    silent: false,
  });
  shown.onclick = () => {
    window.focus();
    onClick();
    shown.close();
  };
}
