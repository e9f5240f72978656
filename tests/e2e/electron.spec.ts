/**
 * The desktop app through Playwright's `_electron`: launch, sign in, see the week. It needs the
 * Electron binary, which `npm ci` fetches from GitHub on a normal desktop; where it is absent
 * (ELECTRON_SKIP_BINARY_DOWNLOAD, no network) the spec skips and says so.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';

const root = path.resolve(__dirname, '../..');

/** The binary's path as the electron package records it, without triggering its download. */
function electronBinary(): string | null {
  const pathFile = path.join(root, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = path.join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

const binary = electronBinary();

test.describe('desktop app (Electron)', () => {
  test.skip(binary === null, 'No Electron binary installed (ELECTRON_SKIP_BINARY_DOWNLOAD or no network): the desktop spec needs one.');

  test('launches locked down, signs in and shows the week', async ({ baseURL }) => {
    const app = await electron.launch({
      executablePath: binary!,
      args: [path.join(root, 'out', 'main', 'index.js')],
      env: { ...process.env, CLASSROOM_SERVER_URL: baseURL! },
    });
    try {
      const window = await app.firstWindow();
      // Locked down: no Node in the page, only the preload's purpose-built bridge.
      expect(await window.evaluate(() => ({ process: typeof (globalThis as { process?: unknown }).process, bridge: typeof (globalThis as { classroom?: unknown }).classroom }))).toEqual({
        process: 'undefined',
        bridge: 'object',
      });
      await window.getByLabel('User ID').fill('mentor_001');
      await window.getByLabel('Password').fill('demo');
      await window.getByRole('button', { name: 'Sign in' }).click();
      await expect(window.getByRole('heading', { name: 'Your week' })).toBeVisible();
      expect(await window.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
    } finally {
      await app.close();
    }
  });
});
