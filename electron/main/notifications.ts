/**
 * OS-native rings for started sessions: one per sessionId, shaped as a call on each platform
 * (ring-notification.ts). Joining (a click, or the Join button) opens the meeting; Decline tells
 * the mentor; a session's end withdraws the ring. While rings wait the app asks for attention —
 * the taskbar flashes (Windows, Linux), the dock bounces until answered (macOS) — and stops once
 * none is left. Electron's Notification arrives as a factory parameter.
 */
import type { SessionNotification } from '@contract/api';
import { RING_ACTIONS, ringNotificationOptions, type RingNotificationOptions, type RingText } from './ring-notification';

export interface NotificationLike {
  on(event: 'click' | 'action' | 'close', listener: (...args: unknown[]) => void): unknown;
  show(): void;
  close(): void;
}

export type NotificationOptions = RingNotificationOptions;

/** Asking for the person's attention while rings wait (flash the taskbar, bounce the dock). */
export interface Attention {
  start(): void;
  stop(): void;
}

export interface SessionAlertsDeps {
  createNotification(options: NotificationOptions): NotificationLike;
  isSupported(): boolean;
  platform: NodeJS.Platform;
  /** Notifications switched off by the user or by policy. */
  enabled(): boolean;
  openMeeting(sessionId: string): void;
  decline(sessionId: string): void;
  attention?: Attention;
  /** Localised strings, read at each ring (main follows the app's language). */
  text(): RingText;
}

/** The sample ring the tray's "Test ring" shows: not a session, so answering it only opens the app. */
export const TEST_RING_SESSION_ID = 'session_test-ring';

export class SessionAlerts {
  private readonly shown = new Map<string, NotificationLike>();
  private readonly announced = new Set<string>();

  constructor(private readonly deps: SessionAlertsDeps) {}

  /** Shows the ring unless this ring (session and attempt) was already announced; true when shown. */
  show(session: SessionNotification): boolean {
    const key = `${session.sessionId}#${session.ring?.attempt ?? 1}`;
    if (this.announced.has(key)) return false;
    this.announced.add(key);
    if (!this.deps.enabled() || !this.deps.isSupported()) return false;
    this.withdraw(session.sessionId); // an earlier attempt's ring
    this.present(session);
    return true;
  }

  /** A sample ring, so a person (or IT) can see that rings reach the screen. */
  showSample(sample: Omit<SessionNotification, 'sessionId'>): boolean {
    if (!this.deps.isSupported()) return false;
    this.withdraw(TEST_RING_SESSION_ID);
    this.present({ ...sample, sessionId: TEST_RING_SESSION_ID });
    return true;
  }

  private present(session: SessionNotification): void {
    const notification = this.deps.createNotification(ringNotificationOptions(this.deps.platform, session, this.deps.text()));
    const join = () => {
      this.withdraw(session.sessionId);
      this.deps.openMeeting(session.sessionId);
    };
    notification.on('click', join);
    notification.on('action', (details: unknown, index: unknown) => {
      const actionIndex = (details as { actionIndex?: number } | null)?.actionIndex ?? index;
      if (actionIndex === RING_ACTIONS.decline) {
        this.withdraw(session.sessionId);
        this.deps.decline(session.sessionId);
      } else join();
    });
    notification.on('close', () => this.forget(session.sessionId));
    this.shown.set(session.sessionId, notification);
    notification.show();
    if (this.shown.size === 1) this.deps.attention?.start();
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

  /** The session ended (or was answered): take its ring away. */
  withdraw(sessionId: string): void {
    const notification = this.shown.get(sessionId);
    this.forget(sessionId);
    notification?.close();
  }

  private forget(sessionId: string): void {
    if (!this.shown.delete(sessionId)) return;
    if (this.shown.size === 0) this.deps.attention?.stop();
  }

  /** Rings still waiting to be answered (for the tray badge). */
  get unread(): number {
    return this.shown.size;
  }
}
