/**
 * An imported student's first sign-in, as they live it: IT imports them without a password (the
 * real admin command prints a one-time enrolment code), the code typed as a password leads to
 * "Choose your password", the chosen password signs them in, and the code never works again; in
 * English, in Vietnamese and at 400 px wide. Its own server, since the admin command needs the
 * data folder to itself before the server starts.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test, type Page } from '@playwright/test';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';

const ROOT = path.resolve(__dirname, '../..');
const shots = path.resolve(__dirname, '../../docs/screenshots');
/** Pictures for docs/screenshots when asked (UPDATE_SCREENSHOTS=1), as screenshots.spec.ts does. */
const shoot = async (page: Page, name: string) => {
  if (process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path: path.join(shots, name), fullPage: true });
};

let dataDir: string;
let server: ServerProcess;
const codes = new Map<string, string>();

test.beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'classroom-e2e-enrol-'));
  const users = path.join(dataDir, 'users.csv');
  writeFileSync(users, 'id,name,role,password,time_zone,slots\nanh.do2026,Đỗ Minh Anh,student,,,\nS901,Vũ Thảo,student,,,\n');
  const env = { ...process.env, CLASSROOM_DATA_DIR: dataDir, CLASSROOM_DEMO: '0' };
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/index.ts', 'admin', 'import', users], { cwd: ROOT, env });
  for (const [, userId, code] of stdout.matchAll(/enrolment code for (\S+): (\S+)/g)) codes.set(userId!, code!);
  expect([...codes.keys()]).toEqual(['anh.do2026', 'S901']);
  server = await startServerProcess({ CLASSROOM_DATA_DIR: dataDir, CLASSROOM_DEMO: '0' });
});

test.afterAll(async () => {
  await server?.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

async function signIn(page: Page, userId: string, password: string, labels = { userId: 'User ID', password: 'Password', submit: 'Sign in' }) {
  await page.getByLabel(labels.userId).fill(userId);
  await page.getByLabel(labels.password, { exact: true }).fill(password);
  await page.getByRole('button', { name: labels.submit }).click();
}

test('an enrolment code leads to choosing a password, which signs in; the code then never works again', async ({ page }) => {
  await page.goto(`${server.url}/login`);
  await signIn(page, 'anh.do2026', codes.get('anh.do2026')!);
  await expect(page.getByRole('heading', { name: 'Choose your password' })).toBeVisible();
  await expect(page).toHaveURL(/\/set-password$/); // the code travels in the history entry, never the URL
  await expect(page.getByLabel('User ID')).toHaveValue('anh.do2026');
  await expect(page.getByLabel('Enrolment code')).toHaveCount(0); // already typed on the sign-in page
  await shoot(page, 'set-password.png');

  // Two different passwords: said so, nothing sent.
  await page.getByLabel('New password', { exact: true }).fill('a-new-password');
  await page.getByLabel('Repeat the new password').fill('another-password');
  await page.getByRole('button', { name: 'Save password and sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('The two passwords are not the same.');
  // The user ID as the password: refused by the server, explained.
  await page.getByLabel('New password', { exact: true }).fill('ANH.DO2026');
  await page.getByLabel('Repeat the new password').fill('ANH.DO2026');
  await page.getByRole('button', { name: 'Save password and sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Choose a password that is not your user ID.');

  await page.getByLabel('New password', { exact: true }).fill('minh-anh-2026');
  await page.getByLabel('Repeat the new password').fill('minh-anh-2026');
  await page.getByRole('button', { name: 'Save password and sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Your sessions' })).toBeVisible();
  await expect(page.getByText('Đỗ Minh Anh')).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await signIn(page, 'anh.do2026', codes.get('anh.do2026')!);
  await expect(page.getByRole('alert')).toHaveText('The user ID or password is wrong.');
  await signIn(page, 'anh.do2026', 'minh-anh-2026');
  await expect(page.getByRole('heading', { name: 'Your sessions' })).toBeVisible();
});

test('in Vietnamese and at 400 px: the same screen; a wrong code typed on it is explained', async ({ page }) => {
  await page.setViewportSize({ width: 400, height: 800 });
  await page.goto(`${server.url}/login`);
  await page.getByLabel('Language').selectOption('vi');
  const vi = { userId: 'Mã người dùng', password: 'Mật khẩu', submit: 'Đăng nhập' };
  await signIn(page, 'S901', codes.get('S901')!, vi);
  await expect(page.getByRole('heading', { name: 'Chọn mật khẩu của bạn' })).toBeVisible();
  const form = await page.locator('form').boundingBox();
  expect(form!.x).toBeGreaterThanOrEqual(0);
  expect(form!.x + form!.width).toBeLessThanOrEqual(400);
  await shoot(page, 'set-password-vi-400.png');

  // Reached directly (a link from the school), the code is asked for on this screen.
  await page.getByRole('link', { name: 'Quay lại đăng nhập' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto(`${server.url}/set-password`);
  await expect(page.getByRole('heading', { name: 'Chọn mật khẩu của bạn' })).toBeVisible();
  await page.getByLabel('Mã người dùng').fill('S901');
  await page.getByLabel('Mã ghi danh').fill('not-the-code');
  await page.getByLabel('Mật khẩu mới', { exact: true }).fill('thao-password');
  await page.getByLabel('Nhập lại mật khẩu mới').fill('thao-password');
  await page.getByRole('button', { name: 'Lưu mật khẩu và đăng nhập' }).click();
  await expect(page.getByRole('alert')).toHaveText('Mã ghi danh không đúng hoặc đã được dùng. Hãy xin nhà trường một mã mới.');
  await shoot(page, 'set-password-code-vi-400.png');

  await page.getByLabel('Mã ghi danh').fill(codes.get('S901')!);
  await page.getByRole('button', { name: 'Lưu mật khẩu và đăng nhập' }).click();
  await expect(page.getByRole('heading', { name: 'Buổi học của bạn' })).toBeVisible();
  await page.getByLabel('Ngôn ngữ').selectOption('en');
});
