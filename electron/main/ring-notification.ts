/**
 * How a ring looks on each OS, as a call should:
 * - Windows: an incoming-call toast (`scenario="incomingCall"`: stays on screen, looping call
 *   sound) with Join and Decline buttons whose activation is a protocol link
 *   (`classroom://join?session=…`, `classroom://decline?session=…`), so a click works while the app
 *   runs, after it quit (a cold start through the deep-link path) and from the Action Center.
 *   The toast is matched to the Start-menu shortcut by the AppUserModelID (see index.ts).
 * - macOS: Join and Decline actions, the notification sound.
 * - Linux: critical urgency (stays until acted on); notification daemons have no buttons we can
 *   rely on, so a click joins and the tray offers the rest.
 * Sources: Microsoft's toast schema (docs.microsoft.com, "Toast content schema") and Electron's
 * Notification API (`toastXml`, `actions`, `urgency`).
 */
import type { SessionNotification } from '@contract/api';
import { deepLinkUrl } from './deep-links';

export interface RingText {
  title: string;
  join: string;
  decline: string;
  /** For the slot's times, shown in this computer's time zone, 24-hour. */
  locale: string;
}

type RingTimes = Pick<SessionNotification, 'startTime' | 'endTime'> & Partial<Pick<SessionNotification, 'startsAt' | 'endsAt'>>;

/** "09:00–10:00" in this computer's zone (the slot's instants), else as the server wrote it. */
export function ringTimes(ring: RingTimes, locale: string): string {
  if (!ring.startsAt || !ring.endsAt) return `${ring.startTime}–${ring.endTime}`;
  const format = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return `${format.format(new Date(ring.startsAt))}–${format.format(new Date(ring.endsAt))}`;
}

export interface RingNotificationOptions {
  title: string;
  body: string;
  silent: boolean;
  timeoutType: 'default' | 'never';
  urgency?: 'normal' | 'critical' | 'low';
  actions?: Array<{ type: 'button'; text: string }>;
  sound?: string;
  toastXml?: string;
}

/** Index of each action button, as the 'action' event reports it (macOS). */
export const RING_ACTIONS = { join: 0, decline: 1 } as const;

const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

export const ringBody = (ring: Pick<SessionNotification, 'mentorName' | 'sessionType'> & RingTimes, locale: string) => `${ring.mentorName} · ${ring.sessionType} · ${ringTimes(ring, locale)}`;

/** The Windows incoming-call toast for a ring. */
export function incomingCallToast(ring: Pick<SessionNotification, 'sessionId' | 'mentorName' | 'sessionType'> & RingTimes, text: RingText): string {
  const join = escapeXml(deepLinkUrl({ action: 'join', sessionId: ring.sessionId }));
  const decline = escapeXml(deepLinkUrl({ action: 'decline', sessionId: ring.sessionId }));
  return [
    `<toast scenario="incomingCall" launch="${join}" activationType="protocol">`,
    '<visual><binding template="ToastGeneric">',
    `<text hint-maxLines="1">${escapeXml(text.title)}</text>`,
    `<text>${escapeXml(ring.mentorName)}</text>`,
    `<text>${escapeXml(`${ring.sessionType} · ${ringTimes(ring, text.locale)}`)}</text>`,
    '</binding></visual>',
    '<actions>',
    `<action content="${escapeXml(text.join)}" arguments="${join}" activationType="protocol"/>`,
    `<action content="${escapeXml(text.decline)}" arguments="${decline}" activationType="protocol"/>`,
    '</actions>',
    '<audio src="ms-winsoundevent:Notification.Looping.Call" loop="true"/>',
    '</toast>',
  ].join('');
}

/** Electron Notification options for a ring on this platform. */
export function ringNotificationOptions(platform: NodeJS.Platform, ring: SessionNotification, text: RingText): RingNotificationOptions {
  const base: RingNotificationOptions = { title: text.title, body: ringBody(ring, text.locale), silent: false, timeoutType: 'never' };
  if (platform === 'win32') return { ...base, toastXml: incomingCallToast(ring, text) };
  if (platform === 'darwin') return { ...base, sound: 'Ping', actions: [{ type: 'button', text: text.join }, { type: 'button', text: text.decline }] };
  // A ring that fades after five seconds is a missed session: critical stays until acted on.
  return { ...base, urgency: 'critical' };
}
