/**
 * The tray icon: connection state and waiting rings at a glance, why rings cannot reach the
 * screen when they cannot, and a menu (Open, the next session to join, Test ring, Sign out,
 * Quit). Closing the window keeps the app here. Electron's Tray, Menu and nativeImage arrive as
 * parameters.
 */
import type { ConnectionState } from '@contract/ipc';
import { desktopText, type DesktopText } from './desktop-text';

export interface TrayState {
  connection: ConnectionState;
  unread: number;
  nextSession: { sessionId: string; label: string } | null;
  signedIn: boolean;
  /** Why rings would not reach the screen (already in the app's language), or null. */
  ringWarning: string | null;
}

export interface TrayActions {
  open(): void;
  join(sessionId: string): void;
  testRing(): void;
  signOut(): void;
  quit(): void;
}

export interface TrayMenuItem {
  label?: string;
  type?: 'normal' | 'separator';
  enabled?: boolean;
  click?: () => void;
}

export type TrayText = DesktopText['tray'];

export function trayMenu(state: TrayState, actions: TrayActions, text: TrayText = desktopText('en').tray): TrayMenuItem[] {
  const items: TrayMenuItem[] = [{ label: text.state[state.connection], enabled: false }];
  if (state.ringWarning) items.push({ label: `⚠ ${state.ringWarning}`, enabled: false });
  items.push(
    { type: 'separator' },
    { label: text.open, click: actions.open },
    state.nextSession
      ? { label: text.join(state.nextSession.label), click: () => actions.join(state.nextSession!.sessionId) }
      : { label: text.noSession, enabled: false },
    { label: text.testRing, click: actions.testRing },
    { type: 'separator' },
  );
  if (state.signedIn) items.push({ label: text.signOut, click: actions.signOut });
  items.push({ label: text.quit, click: actions.quit });
  return items;
}

export function trayTooltip(state: TrayState, text: TrayText = desktopText('en').tray): string {
  const parts = ['Classroom', text.state[state.connection]];
  if (state.unread > 0) parts.push(text.waiting(state.unread));
  if (state.ringWarning) parts.push(state.ringWarning);
  return parts.join(' — ');
}

const STATE_COLOURS: Record<ConnectionState, [number, number, number]> = {
  online: [0x1f, 0x7a, 0x4d],
  connecting: [0xd9, 0x77, 0x06],
  offline: [0xd9, 0x77, 0x06],
  unauthenticated: [0x9a, 0xa1, 0xad],
  'signed-out': [0x9a, 0xa1, 0xad],
};

/**
 * The icon as a raw BGRA bitmap (for nativeImage.createFromBitmap): a disc in the state's colour,
 * with a red dot at the top right while rings are waiting. Drawn in code: no image files to ship.
 */
export function trayIconBitmap(connection: ConnectionState, unread: number, size = 32): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  const [r, g, b] = STATE_COLOURS[connection];
  const centre = (size - 1) / 2;
  const radius = size * 0.42;
  const dotCentre = size * 0.78;
  const dotRadius = size * 0.2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const offset = (y * size + x) * 4;
      const inDot = unread > 0 && Math.hypot(x - dotCentre, y - (size - 1 - dotCentre)) <= dotRadius;
      const inDisc = Math.hypot(x - centre, y - centre) <= radius;
      if (inDot) pixels.set([0x18, 0x23, 0xb4, 0xff], offset); // BGRA red
      else if (inDisc) pixels.set([b, g, r, 0xff], offset);
    }
  }
  return pixels;
}

export interface TrayLike {
  setImage(image: unknown): void;
  setToolTip(text: string): void;
  setContextMenu(menu: unknown): void;
  on(event: 'click', listener: () => void): unknown;
}

export class TrayController {
  private state: TrayState = { connection: 'signed-out', unread: 0, nextSession: null, signedIn: false, ringWarning: null };

  constructor(
    private readonly tray: TrayLike,
    private readonly deps: {
      buildMenu(items: TrayMenuItem[]): unknown;
      image(bitmap: Buffer, size: number): unknown;
      setBadgeCount?(count: number): void;
      actions: TrayActions;
      /** Read on every render, so a language change shows at once. */
      text?: () => TrayText;
    },
  ) {
    tray.on('click', () => deps.actions.open());
    this.render();
  }

  update(patch: Partial<TrayState>): void {
    this.state = { ...this.state, ...patch };
    this.render();
  }

  get current(): TrayState {
    return this.state;
  }

  private render(): void {
    const text = this.deps.text?.() ?? desktopText('en').tray;
    this.tray.setImage(this.deps.image(trayIconBitmap(this.state.connection, this.state.unread), 32));
    this.tray.setToolTip(trayTooltip(this.state, text));
    this.tray.setContextMenu(this.deps.buildMenu(trayMenu(this.state, this.deps.actions, text)));
    this.deps.setBadgeCount?.(this.state.unread);
  }
}
