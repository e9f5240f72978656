import { describe, expect, it, vi } from 'vitest';
import { IpcRefusedError, isTrustedSender, registerIpcHandlers, type IpcHandlers, type IpcMainLike } from '../../../electron/main/ipc';
import { trayIconBitmap, trayMenu, TrayController } from '../../../electron/main/tray';

const APP_ORIGIN = 'classroom-app://app';

function fakeIpcMain() {
  const handlers = new Map<string, (event: any, ...args: unknown[]) => unknown>();
  const ipcMain: IpcMainLike = { handle: (channel, listener) => handlers.set(channel, listener), removeHandler: (channel) => handlers.delete(channel) };
  return { ipcMain, handlers };
}

const credentials = { userId: 'L001', password: 'demo' };

function handlers(): IpcHandlers {
  return {
    'classroom:get-state': vi.fn(async () => ({ settings: {} as never, lockedSettings: [], session: null, ringHealth: { canRing: true, problem: null } })),
    'classroom:sign-in': vi.fn(async () => ({ ok: false as const, status: 401, code: 'INVALID_CREDENTIALS', message: 'no' })),
    'classroom:sign-out': vi.fn(async () => ({ ok: true as const })),
    'classroom:session-rejected': vi.fn(async () => ({ session: null })),
    'classroom:set-setting': vi.fn(async () => ({ ok: true as const, settings: {} as never })),
    'classroom:meeting-state': vi.fn(async () => ({ ok: true as const })),
    'classroom:open-external': vi.fn(async () => ({ ok: true })),
    'classroom:take-deep-links': vi.fn(async () => []),
    'classroom:screen-source-chosen': vi.fn(async () => ({ ok: true as const })),
  };
}

describe('IPC (fake ipcMain: the Electron binary is the edge we cannot run)', () => {
  const trusted = { senderFrame: { url: `${APP_ORIGIN}/index.html#/inbox`, parent: null } };

  it('registers every channel of the contract map and runs valid calls from the app page', async () => {
    const { ipcMain, handlers: registered } = fakeIpcMain();
    const impl = handlers();
    registerIpcHandlers(ipcMain, impl, APP_ORIGIN);
    expect([...registered.keys()].sort()).toEqual(Object.keys(impl).sort());
    await registered.get('classroom:sign-in')!(trusted, credentials);
    expect(impl['classroom:sign-in']).toHaveBeenCalledWith(credentials);
    await registered.get('classroom:set-setting')!(trusted, { key: 'language', value: 'vi' });
    expect(impl['classroom:set-setting']).toHaveBeenCalledWith({ key: 'language', value: 'vi' });
  });

  it.each([
    ['another origin', { url: 'https://evil.example/', parent: null }],
    ['an iframe of our page', { url: `${APP_ORIGIN}/index.html`, parent: {} }],
    ['a file:// page', { url: 'file:///etc/passwd', parent: null }],
    ['no frame', null],
  ])('refuses a call from %s', async (_name, senderFrame) => {
    const { ipcMain, handlers: registered } = fakeIpcMain();
    const impl = handlers();
    registerIpcHandlers(ipcMain, impl, APP_ORIGIN);
    await expect(Promise.resolve(registered.get('classroom:sign-out')!({ senderFrame }))).rejects.toBeInstanceOf(IpcRefusedError);
    expect(impl['classroom:sign-out']).not.toHaveBeenCalled();
  });

  it.each([
    ['classroom:sign-in', [{ userId: 1, password: 'demo' }]],
    ['classroom:sign-in', [{ ...credentials, accessToken: 'smuggled' }]],
    ['classroom:sign-in', []],
    ['classroom:screen-source-chosen', [{ requestId: -1, sourceId: null }]],
    ['classroom:set-setting', [{ key: 'serverUrl', value: 'javascript:alert(1)' }]],
    ['classroom:set-setting', [{ key: '__proto__', value: true }]],
    ['classroom:open-external', ['not a url']],
    ['classroom:get-state', ['unexpected']],
  ])('refuses a malformed payload on %s', async (channel, args) => {
    const { ipcMain, handlers: registered } = fakeIpcMain();
    const impl = handlers();
    registerIpcHandlers(ipcMain, impl, APP_ORIGIN);
    await expect(Promise.resolve(registered.get(channel)!(trusted, ...(args as unknown[])))).rejects.toBeInstanceOf(IpcRefusedError);
    for (const fn of Object.values(impl)) expect(fn).not.toHaveBeenCalled();
  });

  it('trusts only the top frame of our own origin', () => {
    expect(isTrustedSender({ url: `${APP_ORIGIN}/x`, parent: null }, APP_ORIGIN)).toBe(true);
    expect(isTrustedSender({ url: 'classroom-app://evil/x', parent: null }, APP_ORIGIN)).toBe(false);
    expect(isTrustedSender({ url: '::garbage', parent: null }, APP_ORIGIN)).toBe(false);
  });
});

describe('tray (fake Tray and Menu)', () => {
  const actions = { open: vi.fn(), join: vi.fn(), testRing: vi.fn(), signOut: vi.fn(), quit: vi.fn() };

  it('menu: state, Open, the next session, Test ring, Sign out, Quit — and why rings cannot show', () => {
    const items = trayMenu({ connection: 'online', unread: 1, nextSession: { sessionId: 'session_1', label: 'Speaking Practice — Nguyễn Văn Minh' }, signedIn: true, ringWarning: null }, actions);
    expect(items.map((i) => i.label ?? '—')).toEqual(['Connected', '—', 'Open Classroom', 'Join: Speaking Practice — Nguyễn Văn Minh', 'Test ring', '—', 'Sign out', 'Quit Classroom']);
    items[3]!.click!();
    expect(actions.join).toHaveBeenCalledWith('session_1');
    items[4]!.click!();
    expect(actions.testRing).toHaveBeenCalled();
    const signedOut = trayMenu({ connection: 'signed-out', unread: 0, nextSession: null, signedIn: false, ringWarning: 'Notifications are off for Classroom in Windows Settings' }, actions);
    expect(signedOut.map((i) => i.label ?? '—')).toEqual(['Signed out', '⚠ Notifications are off for Classroom in Windows Settings', '—', 'Open Classroom', 'No session waiting', 'Test ring', '—', 'Quit Classroom']);
    expect(signedOut[1]!.enabled).toBe(false);
  });

  it('icon: the state colour, and a red dot while rings wait', () => {
    const pixel = (bitmap: Buffer, x: number, y: number, size = 32) => [...bitmap.subarray((y * size + x) * 4, (y * size + x) * 4 + 4)];
    const online = trayIconBitmap('online', 0);
    expect(online.length).toBe(32 * 32 * 4);
    expect(pixel(online, 16, 16)).toEqual([0x4d, 0x7a, 0x1f, 0xff]); // BGRA green
    expect(pixel(online, 0, 0)[3]).toBe(0); // transparent corner
    const ringing = trayIconBitmap('online', 2);
    expect(pixel(ringing, 25, 6)).toEqual([0x18, 0x23, 0xb4, 0xff]);
    expect(pixel(trayIconBitmap('offline', 0), 16, 16)).toEqual([0x06, 0x77, 0xd9, 0xff]);
  });

  it('controller re-renders icon, tooltip, menu and badge on every change', () => {
    const tray = { setImage: vi.fn(), setToolTip: vi.fn(), setContextMenu: vi.fn(), on: vi.fn() };
    const setBadgeCount = vi.fn();
    const controller = new TrayController(tray, { buildMenu: (items) => items, image: (bitmap) => bitmap, setBadgeCount, actions });
    controller.update({ connection: 'online', unread: 2, signedIn: true });
    expect(tray.setToolTip).toHaveBeenLastCalledWith('Classroom — Connected — 2 waiting');
    expect(setBadgeCount).toHaveBeenLastCalledWith(2);
    tray.on.mock.calls[0]![1]();
    expect(actions.open).toHaveBeenCalled();
  });
});
