/**
 * "Your devices", as a student uses it: signed in from two browsers (two devices), the first lists
 * both — itself marked "This device" — and signs the other out, which is sent back to sign-in at
 * once (its live connection is dropped and its renewal refused); then it signs itself out from the
 * list. In English, in Vietnamese and at 400 px wide.
 */
import path from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { newUser, signIn } from './helpers';

const shots = path.resolve(__dirname, '../../docs/screenshots');
/** Pictures for docs/screenshots when asked (UPDATE_SCREENSHOTS=1), as screenshots.spec.ts does. */
const shoot = async (page: Page, name: string) => {
  if (process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path: path.join(shots, name), fullPage: true });
};

async function signedIn(browser: Browser, userId: string): Promise<Page> {
  const { page } = await newUser(browser);
  await signIn(page, userId);
  await expect(page.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible();
  return page;
}

test('a student lists their devices, signs the other browser out (it is sent to sign-in), then this one', async ({ browser }) => {
  const other = await signedIn(browser, 'L005');
  const page = await signedIn(browser, 'L005');

  await page.getByRole('link', { name: 'Đặng Ngọc Anh — Your devices' }).click();
  await expect(page).toHaveURL(/\/devices$/);
  await expect(page.getByRole('heading', { name: 'Your devices' })).toBeVisible();
  const list = page.getByRole('list', { name: 'Your devices' });
  await expect(list.getByRole('listitem')).toHaveCount(2);
  // Most recently active first: this browser, marked as such; both are "Chrome · Linux" here.
  const mine = list.getByRole('listitem').filter({ hasText: 'This device' });
  await expect(mine).toHaveCount(1);
  await expect(mine).toContainText('Chrome · Linux');
  await expect(mine).toContainText(/Last active .*\d{4}/);
  await shoot(page, 'devices.png');

  const theirs = list.getByRole('listitem').filter({ hasNotText: 'This device' });
  await theirs.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'is signed out.' })).toHaveText('“Chrome · Linux” is signed out.');
  await expect(list.getByRole('listitem')).toHaveCount(1);
  // The other browser is told at once: its socket was dropped and its sign-in cannot be renewed.
  await expect(other).toHaveURL(/\/login/, { timeout: 15_000 });
  await expect(other.getByRole('button', { name: 'Sign in' })).toBeVisible();
  // A reload does not bring it back either.
  await other.reload();
  await expect(other).toHaveURL(/\/login/);

  // Vietnamese, and narrow: one card per device, nothing wider than the window.
  await page.getByLabel('Language').selectOption('vi');
  await expect(page.getByRole('heading', { name: 'Thiết bị của bạn' })).toBeVisible();
  const mineVi = page.getByRole('list', { name: 'Thiết bị của bạn' }).getByRole('listitem').filter({ hasText: 'Thiết bị này' });
  await expect(mineVi).toContainText(/Hoạt động gần nhất/);
  await expect(mineVi.getByRole('button', { name: 'Đăng xuất' })).toBeVisible();
  await shoot(page, 'devices-vi.png');
  await page.setViewportSize({ width: 400, height: 800 });
  const card = await mineVi.boundingBox();
  expect(card!.x).toBeGreaterThanOrEqual(0);
  expect(card!.x + card!.width).toBeLessThanOrEqual(400);
  await shoot(page, 'devices-vi-400.png');
  await page.getByLabel('Ngôn ngữ').selectOption('en');
  await shoot(page, 'devices-400.png');

  // Signing this device out from the list is signing out.
  await mine.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto('/devices');
  await expect(page).toHaveURL(/\/login\?next=%2Fdevices$/);
  await page.context().close();
  await other.context().close();
});

test('a device the server cannot name reads "Unknown device" in the reader’s language, also once signed out', async ({ browser }) => {
  const page = await signedIn(browser, 'L004');
  const unnamed = await page.request.post('/api/auth/login', { headers: { 'user-agent': 'curl/8.5.0' }, data: { userId: 'L004', password: 'demo' } });
  expect(unnamed.status()).toBe(200);
  await page.goto('/devices');
  const list = page.getByRole('list', { name: 'Your devices' });
  await expect(list.getByRole('listitem', { name: 'Unknown device', exact: true })).toBeVisible();
  await page.getByLabel('Language').selectOption('vi');
  const unknownVi = page.getByRole('list', { name: 'Thiết bị của bạn' }).getByRole('listitem', { name: 'Thiết bị không xác định', exact: true });
  await unknownVi.getByRole('button', { name: 'Đăng xuất' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Đã đăng xuất' })).toHaveText('Đã đăng xuất “Thiết bị không xác định”.');
  await page.getByLabel('Ngôn ngữ').selectOption('en');
  await expect(page.getByRole('status').filter({ hasText: 'is signed out.' })).toHaveText('“Unknown device” is signed out.');
  await page.context().close();
});
