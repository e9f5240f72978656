// @vitest-environment jsdom
/**
 * The desktop settings form with a FAKE preload bridge (the Electron main process is the edge we
 * cannot run here): enforced settings are shown but locked, changes go to main, a refusal shows.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DesktopBridge, DesktopState, SettingChange, Settings } from '@contract/ipc';
import { initI18n } from '../../../renderer/src/app/i18n';
import { SettingsForm } from '../../../renderer/src/pages/settings/SettingsForm';

const settings: Settings = { serverUrl: 'https://classroom.school.example', startAtLogin: true, startMinimised: true, notifications: true, autoUpdate: false, language: 'system' };

function fakeBridge(locked: DesktopState['lockedSettings']) {
  let current = { ...settings };
  const setSetting = vi.fn(async (change: SettingChange) => {
    if (locked.includes(change.key)) throw new Error(`${change.key} is set by your organisation and cannot be changed here.`);
    current = { ...current, [change.key]: change.value };
    return { ok: true as const, settings: current };
  });
  const bridge = { getState: async () => ({ connection: 'online', settings: current, lockedSettings: locked, session: null }), setSetting } as unknown as DesktopBridge;
  return { bridge, setSetting };
}

beforeAll(() => {
  localStorage.setItem('classroom.language', 'en');
  initI18n();
});
afterEach(cleanup);

describe('desktop settings form', () => {
  it('shows enforced settings locked, and sends allowed changes to main', async () => {
    const { bridge, setSetting } = fakeBridge(['autoUpdate']);
    render(<SettingsForm bridge={bridge} onServerChanged={() => undefined} />);
    const updates = await screen.findByLabelText(/Install updates automatically/);
    expect((updates as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByText(/set by your organisation/)).toBeTruthy();
    const notifications = screen.getByLabelText(/Ring me with a notification/);
    expect((notifications as HTMLInputElement).checked).toBe(true);
    fireEvent.click(notifications);
    await waitFor(() => expect(setSetting).toHaveBeenCalledWith({ key: 'notifications', value: false }));
    await waitFor(() => expect((screen.getByLabelText(/Ring me with a notification/) as HTMLInputElement).checked).toBe(false));
  });

  it('changes the server only on request, then asks for a new sign-in', async () => {
    const { bridge, setSetting } = fakeBridge([]);
    const onServerChanged = vi.fn();
    render(<SettingsForm bridge={bridge} onServerChanged={onServerChanged} />);
    const field = await screen.findByLabelText('Classroom server');
    const use = screen.getByRole('button', { name: 'Use this server' });
    expect((use as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(field, { target: { value: 'https://other.school.example' } });
    fireEvent.click(use);
    await waitFor(() => expect(onServerChanged).toHaveBeenCalled());
    expect(setSetting).toHaveBeenCalledWith({ key: 'serverUrl', value: 'https://other.school.example' });
  });

  it('shows main’s refusal instead of pretending', async () => {
    const { bridge } = fakeBridge(['serverUrl']);
    const { rerender } = render(<SettingsForm bridge={bridge} onServerChanged={() => undefined} />);
    expect(((await screen.findByLabelText(/Classroom server/)) as HTMLInputElement).disabled).toBe(true);
    // A change that main refuses (the policy changed under us) surfaces as an alert.
    const refusing = { ...bridge, setSetting: async () => Promise.reject(new Error('language is set by your organisation and cannot be changed here.')) } as DesktopBridge;
    rerender(<SettingsForm bridge={refusing} onServerChanged={() => undefined} />);
    fireEvent.change(await screen.findByLabelText(/^Language/), { target: { value: 'vi' } });
    expect((await screen.findByRole('alert')).textContent).toContain('language is set by your organisation');
  });
});
