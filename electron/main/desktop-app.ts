/**
 * The desktop app's state in one object: the settings, the one sign-in authority, main's live
 * line to the server, the rings on screen and in the tray, the window, deep links, the screen
 * picker and the hosted server. Everything Electron arrives through `DesktopAppDeps`; index.ts
 * only builds the dependencies and wires the lifecycle.
 */
import type { BrowserWindow } from 'electron';
import { StudentSessionsDataSchema, type SessionNotification } from '@contract/api';
import type { ConnectionState, DesktopSession, IpcEvents, RingHealth, Settings } from '@contract/ipc';
import { ROUTE_TABLE } from '@contract/route-table';
import { MainConnection } from './connection';
import type { CredentialStore } from './credentials';
import type { DeepLink, DeepLinkQueue } from './deep-links';
import { desktopLanguage, desktopText, type DesktopText } from './desktop-text';
import { hostedServerUrl, type EmbeddedServerSupervisor } from './embedded-server';
import type { IpcHandlers } from './ipc';
import { SessionAlerts, TEST_RING_SESSION_ID, type NotificationLike, type NotificationOptions } from './notifications';
import { checkRingHealth } from './ring-health';
import { ScreenPicker, type CaptureSourceLike } from './screen-picker';
import { BUILT_IN_DEFAULTS, type SettingsStore } from './settings';
import { SignInAuthority, type SessionChange } from './sign-in';
import { applyStartAtLogin, type StartAtLoginDeps } from './start-at-login';
import { TrayController, type TrayLike, type TrayMenuItem } from './tray';

export interface DesktopAppDeps {
  platform: NodeJS.Platform;
  settings: SettingsStore;
  credentials: CredentialStore;
  deepLinks: DeepLinkQueue;
  systemLanguages(): readonly string[];
  fetch(url: string, init: RequestInit): Promise<Response>;
  createNotification(options: NotificationOptions): NotificationLike;
  notificationsSupported(): boolean;
  tray: TrayLike;
  buildMenu(items: TrayMenuItem[]): unknown;
  image(bitmap: Buffer, size: number): unknown;
  setBadgeCount(count: number): void;
  createWindow(): BrowserWindow;
  startAtLogin: Omit<StartAtLoginDeps, 'platform'>;
  server: EmbeddedServerSupervisor;
  /** IT asked this machine to host the server (CLASSROOM_HOST_SERVER=1) even off the built-in URL. */
  hostServer: boolean;
  captureSources(): Promise<CaptureSourceLike[]>;
  /** macOS's dock (app.dock); undefined elsewhere. */
  dock?: { bounce(type: 'critical' | 'informational'): number; cancelBounce(id: number): void };
  /** The Windows AppUserModelID (electron-builder's appId), to read the OS's per-app toast switch. */
  appId: string;
  readRegistryDword(key: string, value: string): Promise<number | null>;
  /** An https link to the OS browser (anything else is refused: false). */
  openInBrowser(url: string): Promise<boolean>;
  quit(): void;
  log(message: string, error?: unknown): void;
}

export class DesktopApp {
  private window: BrowserWindow | null = null;
  /** The window's current page listens for pushes (it asked for the state after subscribing). */
  private rendererListening = false;
  private quitting = false;
  private connection: ConnectionState = 'signed-out';
  private meeting = false;
  private readonly waiting = new Map<string, string>();
  /** Which ring each waiting session holds, by a number no later ring reuses (a reconcile acts only on rings it asked about). */
  private readonly ringsOf = new Map<string, number>();
  private ringsSoFar = 0;
  private ringHealth: RingHealth = { canRing: true, problem: null };
  private bounce: number | null = null;
  private lastOpened: { sessionId: string; at: number } | null = null;
  readonly signIn: SignInAuthority;
  readonly picker: ScreenPicker;
  private readonly line: MainConnection;
  private readonly alerts: SessionAlerts;
  private readonly tray: TrayController;

  constructor(private readonly deps: DesktopAppDeps) {
    this.signIn = new SignInAuthority({
      credentials: deps.credentials,
      fetch: deps.fetch,
      serverUrl: () => this.settings.serverUrl,
      now: Date.now,
      onChange: (session, why) => this.sessionChanged(session, why),
      log: deps.log,
    });
    this.alerts = new SessionAlerts({
      createNotification: deps.createNotification,
      isSupported: deps.notificationsSupported,
      platform: deps.platform,
      enabled: () => this.settings.notifications,
      openMeeting: (sessionId) => this.openMeeting(sessionId),
      decline: (sessionId) => void this.decline(sessionId),
      attention: { start: () => this.askAttention(true), stop: () => this.askAttention(false) },
      text: () => this.text.ring,
    });
    this.line = new MainConnection({
      onState: (state) => this.connectionChanged(state),
      onNotification: (ring) => this.rung(ring),
      onSessionEnded: (sessionId) => this.ringOver(sessionId),
      // Answered in a window (here or on another device), declined, or missed: the OS ring goes.
      onRingState: (sessionId, ring) => {
        if (ring.state !== 'ringing' && ring.state !== 'offline') this.ringOver(sessionId);
      },
    });
    this.tray = new TrayController(deps.tray, {
      buildMenu: deps.buildMenu,
      image: deps.image,
      setBadgeCount: deps.setBadgeCount,
      text: () => this.text.tray,
      actions: {
        open: () => this.showWindow(),
        join: (sessionId) => this.openMeeting(sessionId),
        testRing: () => this.testRing(),
        signOut: () => void this.signIn.signOut(),
        quit: deps.quit,
      },
    });
    this.picker = new ScreenPicker({ getSources: deps.captureSources, ask: (requestId, sources) => this.push('classroom:pick-screen-source', { requestId, sources }) });
  }

  get settings(): Settings {
    return this.deps.settings.current;
  }

  get text(): DesktopText {
    return desktopText(desktopLanguage(this.settings.language, this.deps.systemLanguages()));
  }

  get inMeeting(): boolean {
    return this.meeting;
  }

  /** After `ready`: the stored sign-in, the hosted server, start at login, can it ring, the tray. */
  async start(): Promise<void> {
    this.applyStartAtLogin();
    await this.deps.server.reconcile(this.hostedUrl());
    await this.signIn.restore();
    await this.checkRingHealth();
  }

  /** A deep link (argv, second instance, open-url, a toast's button): join opens the meeting, decline declines. */
  handleLink(link: DeepLink): void {
    if (link.action === 'decline') void this.decline(link.sessionId);
    else this.openMeeting(link.sessionId);
  }

  /** Before quitting: closing the window really closes it, the hosted server stops. */
  stop(): void {
    this.quitting = true;
    this.line.stop();
    this.deps.server.stop();
  }

  openWindow(show: boolean): void {
    const window = this.deps.createWindow();
    this.window = window;
    // Closing the window keeps the app in the tray (a student must be rung with it closed).
    window.on('close', (event) => {
      if (this.quitting) return;
      event.preventDefault();
      window.hide();
    });
    window.webContents.on('did-start-loading', () => {
      this.rendererListening = false;
      this.deps.deepLinks.notReady();
    });
    if (show) window.once('ready-to-show', () => window.show());
  }

  showWindow(): void {
    const window = this.window;
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  }

  /** A deep link, a notification click or the tray: the window opens that session's meeting. */
  openMeeting(sessionId: string): void {
    this.showWindow();
    this.ringOver(sessionId);
    // A Windows toast's Join may arrive twice (its click and its protocol link): once is enough.
    const now = Date.now();
    if (sessionId === TEST_RING_SESSION_ID || (this.lastOpened?.sessionId === sessionId && now - this.lastOpened.at < 3000)) return;
    this.lastOpened = { sessionId, at: now };
    this.deps.deepLinks.push({ action: 'join', sessionId });
  }

  /** Decline from the OS (a notification's button): the mentor hears it as from the window. */
  async decline(sessionId: string): Promise<void> {
    this.ringOver(sessionId);
    if (sessionId === TEST_RING_SESSION_ID) return;
    const response = await this.signIn.authorized('POST', `/api/sessions/${encodeURIComponent(sessionId)}/decline`).catch((error: unknown) => {
      this.deps.log(`could not decline ${sessionId}`, error);
      return null;
    });
    if (response && !response.ok) this.deps.log(`declining ${sessionId} was refused (${response.status})`);
  }

  /** The ring is over here — answered (on this machine or another), declined, missed, or its session ended: withdrawn and forgotten. */
  private ringOver(sessionId: string): void {
    this.alerts.withdraw(sessionId);
    this.waiting.delete(sessionId);
    this.ringsOf.delete(sessionId);
    this.refreshTray();
  }

  private testRing(): void {
    const time = (ms: number) => new Date(ms).toTimeString().slice(0, 5);
    const now = Date.now();
    const { mentor, type } = this.text.testRing;
    this.alerts.showSample({ roomId: 'test', token: 'test', mentorName: mentor, sessionType: type, startTime: time(now), endTime: time(now + 3_600_000), message: type, expiresAt: new Date(now + 3_600_000).toISOString(),
      startsAt: new Date(now).toISOString(), endsAt: new Date(now + 3_600_000).toISOString(),
      ring: { state: 'ringing', attempt: 1, startedAt: new Date(now).toISOString(), ringsUntil: null, declineReason: null, answeredAt: null } });
  }

  /** Rings waiting: flash the taskbar (Windows, Linux) or bounce the dock until answered (macOS). */
  private askAttention(on: boolean): void {
    const { dock } = this.deps;
    if (dock) {
      if (on && this.bounce === null) this.bounce = dock.bounce('critical');
      if (!on && this.bounce !== null) dock.cancelBounce(this.bounce);
      if (!on) this.bounce = null;
      return;
    }
    const window = this.window;
    if (window && !window.isDestroyed()) window.flashFrame(on);
  }

  private async checkRingHealth(): Promise<void> {
    this.ringHealth = await checkRingHealth({
      platform: this.deps.platform,
      appId: this.deps.appId,
      notificationsEnabled: this.settings.notifications,
      isSupported: this.deps.notificationsSupported,
      readRegistryDword: (key, value) => this.deps.readRegistryDword(key, value).catch(() => null),
    });
    this.push('classroom:ring-health', this.ringHealth);
    this.refreshTray();
  }

  ipcHandlers(): IpcHandlers {
    return {
      'classroom:get-state': () => {
        this.rendererListening = true;
        return { settings: this.settings, lockedSettings: this.deps.settings.locked, session: this.signIn.session, ringHealth: this.ringHealth };
      },
      'classroom:sign-in': ({ userId, password }) => this.signIn.signIn(userId, password),
      'classroom:sign-out': async () => {
        await this.signIn.signOut();
        return { ok: true as const };
      },
      'classroom:session-rejected': async () => ({ session: (await this.signIn.renew()) ? this.signIn.session : null }),
      'classroom:set-setting': async (change) => {
        const before = this.settings;
        const settings = await this.deps.settings.change(change);
        if (change.key === 'startAtLogin' || change.key === 'startMinimised') this.applyStartAtLogin();
        if (change.key === 'serverUrl' && settings.serverUrl !== before.serverUrl) await this.serverMoved();
        await this.checkRingHealth();
        return { ok: true as const, settings };
      },
      'classroom:meeting-state': ({ inMeeting }) => {
        this.meeting = inMeeting;
        return { ok: true as const };
      },
      'classroom:open-external': async (url) => ({ ok: await this.deps.openInBrowser(url) }),
      'classroom:take-deep-links': () => {
        const waiting = this.deps.deepLinks.ready((link) => this.push('classroom:join-session', { action: 'join', sessionId: link.sessionId }));
        if (waiting.length > 0) this.showWindow();
        return waiting.map((link) => ({ action: 'join' as const, sessionId: link.sessionId }));
      },
      'classroom:screen-source-chosen': ({ requestId, sourceId }) => {
        this.picker.choose(requestId, sourceId);
        return { ok: true as const };
      },
    };
  }

  /** The URL this machine serves: the built-in one, or any loopback one when IT asked for hosting. */
  private hostedUrl(): string | null {
    const { serverUrl } = this.settings;
    return hostedServerUrl(serverUrl, this.deps.hostServer || serverUrl === BUILT_IN_DEFAULTS.serverUrl);
  }

  private async serverMoved(): Promise<void> {
    await this.deps.server.reconcile(this.hostedUrl());
    await this.signIn.switchServer();
  }

  private applyStartAtLogin(): void {
    try {
      applyStartAtLogin(this.settings, { platform: this.deps.platform, ...this.deps.startAtLogin });
    } catch (error) {
      this.deps.log('could not update start at login', error);
    }
  }

  /** main → the window, only while its page listens (nothing is sent into the void). */
  private push<C extends keyof IpcEvents>(channel: C, payload: IpcEvents[C]): boolean {
    const window = this.window;
    if (!this.rendererListening || !window || window.isDestroyed()) return false;
    window.webContents.send(channel, payload);
    return true;
  }

  private sessionChanged(session: DesktopSession | null, why: SessionChange): void {
    if (session) {
      if (why !== 'renewed' || !this.line.updateAccessToken(session.accessToken)) this.line.start(this.settings.serverUrl, session.accessToken);
    } else {
      this.line.stop();
      this.waiting.clear();
      this.ringsOf.clear();
      this.alerts.withdrawAll();
    }
    if (why === 'expired') {
      const { title, body } = this.text.signInAgain;
      this.alerts.notice(title, body, () => this.showWindow());
    }
    this.push('classroom:session-changed', session);
    this.refreshTray();
  }

  private connectionChanged(state: ConnectionState): void {
    const back = state === 'online' && this.connection !== 'online';
    this.connection = state;
    if (back && this.waiting.size > 0) void this.reconcileRings();
    // The server refused the access token: renew it (an ended sign-in becomes 'expired').
    if (state === 'unauthenticated') void this.signIn.renew();
    this.refreshTray();
  }

  /**
   * Back online after a gap: what happened to the waiting rings meanwhile (a session ended, a ring
   * answered, declined or missed) is asked of the server — those events went to nobody.
   */
  private async reconcileRings(): Promise<void> {
    // Only rings as they stood when asked: one that arrives (or rings again) meanwhile is newer than the answer.
    const asked = new Map([...this.waiting.keys()].map((id) => [id, this.ringsOf.get(id)]));
    const response = await this.signIn.authorized(ROUTE_TABLE.studentSessions.method, ROUTE_TABLE.studentSessions.path).catch((error: unknown) => {
      this.deps.log('could not ask the server about the waiting rings', error);
      return null;
    });
    if (!response?.ok) return;
    const envelope = (await response.json().catch(() => null)) as { data?: unknown } | null;
    const live = StudentSessionsDataSchema.safeParse(envelope?.data);
    if (!live.success) return this.deps.log('the server answered the waiting rings with an unexpected shape', live.error);
    const rings = new Map(live.data.sessions.map((session) => [session.sessionId, session.ring]));
    for (const [sessionId, rungBefore] of asked) {
      if (!this.waiting.has(sessionId) || this.ringsOf.get(sessionId) !== rungBefore) continue;
      // Gone from the live sessions (ended), or no longer ringing (answered, declined, missed).
      const ring = rings.get(sessionId);
      if (!ring || (ring.state !== 'ringing' && ring.state !== 'offline')) this.ringOver(sessionId);
    }
  }

  private rung(ring: SessionNotification): void {
    this.waiting.set(ring.sessionId, `${ring.sessionType} — ${ring.mentorName}`);
    this.ringsOf.set(ring.sessionId, ++this.ringsSoFar);
    // A ring already answered, declined or missed (delivered late) stays a tray entry, silent.
    const state = ring.ring?.state;
    if (state !== 'declined' && state !== 'missed' && state !== 'joined') this.alerts.show(ring);
    this.refreshTray();
  }

  private refreshTray(): void {
    const [next] = this.waiting.entries();
    this.tray.update({
      connection: this.signIn.session ? this.connection : 'signed-out',
      unread: this.alerts.unread,
      signedIn: this.signIn.session !== null,
      nextSession: next ? { sessionId: next[0], label: next[1] } : null,
      ringWarning: this.ringHealth.problem ? this.text.ringProblem[this.ringHealth.problem] : null,
    });
  }
}
