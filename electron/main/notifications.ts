/**
 * OS-native notifications for started sessions: one per sessionId, clicking it (or its "Join"
 * action where the OS has actions) opens the meeting on that session, and a session's end
 * withdraws its notification. Electron's Notification arrives as a factory parameter.
 */
import type { SessionNotification } from '@contract/api';

export interface NotificationLike {
  on(event: 'click' | 'action' | 'close', listener: (...args: unknown[]) => void): unknown;
  show(): void;
  close(): void;
}

export interface NotificationOptions {
  title: string;
  body: string;
  silent: boolean;
  timeoutType: 'default' | 'never';
  urgency?: 'normal' | 'critical' | 'low';
  actions?: Array<{ type: 'button'; text: string }>;
}

export interface SessionAlertsDeps {
  createNotification(options: NotificationOptions): NotificationLike;
  isSupported(): boolean;
  platform: NodeJS.Platform;
  /** Notifications switched off by the user or by policy. */
  enabled(): boolean;
  openMeeting(sessionId: string): void;
  /** Localised strings, read at each ring (main follows the app's language). */
  text(): { title: string; join: string };
}

export class SessionAlerts {
  private readonly shown = new Map<string, NotificationLike>();
  private readonly announced = new Set<string>();

  constructor(private readonly deps: SessionAlertsDeps) {}

  /** Shows the notification unless this session was already announced; true when shown. */
  show(session: SessionNotification): boolean {
    if (this.announced.has(session.sessionId)) return false;
    this.announced.add(session.sessionId);
    if (!this.deps.enabled() || !this.deps.isSupported()) return false;
    const text = this.deps.text();
    const notification = this.deps.createNotification({
      title: text.title,
      body: `${session.mentorName} · ${session.sessionType} · ${session.startTime}–${session.endTime}`,
      silent: false,
      // Stays until acted on: a ring that fades after five seconds is a missed session.
      timeoutType: 'never',
      urgency: 'critical',
      actions: this.deps.platform === 'darwin' ? [{ type: 'button', text: text.join }] : undefined,
    });
    const open = () => {
      this.withdraw(session.sessionId);
      this.deps.openMeeting(session.sessionId);
    };
    notification.on('click', open);
    notification.on('action', open);
    notification.on('close', () => this.shown.delete(session.sessionId));
    this.shown.set(session.sessionId, notification);
    notification.show();
    return true;
  }

  /** A notice that is not a ring (e.g. "sign in again"); clicking it runs `onClick`. */
  notice(title: string, body: string, onClick: () => void): void {
    if (!this.deps.isSupported()) return;
    const notification = this.deps.createNotification({ title, body, silent: false, timeoutType: 'never', urgency: 'critical' });
    notification.on('click', onClick);
    notification.show();
  }

  /** Every ring is withdrawn (signed out). */
  withdrawAll(): void {
    for (const sessionId of [...this.shown.keys()]) this.withdraw(sessionId);
    this.announced.clear();
  }

  /** The session ended (or was opened): take its notification away. */
  withdraw(sessionId: string): void {
    const notification = this.shown.get(sessionId);
    this.shown.delete(sessionId);
    notification?.close();
  }

  /** Rings still waiting to be answered (for the tray badge). */
  get unread(): number {
    return this.shown.size;
  }
}
