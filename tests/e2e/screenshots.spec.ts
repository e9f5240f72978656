/// <reference lib="dom" />
/**
 * Regenerates the screenshots in docs/ (`UPDATE_SCREENSHOTS=1 npm run test:e2e -- screenshots`).
 * Skipped in the normal run: pictures are documentation, not assertions.
 */
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { signIn } from '../helpers/browser-session';

const out = path.resolve(__dirname, '../../docs/screenshots');
test.skip(!process.env.UPDATE_SCREENSHOTS, 'Set UPDATE_SCREENSHOTS=1 to regenerate docs/screenshots.');
test.use({ viewport: { width: 1280, height: 800 } });

test('pages', async ({ browser }) => {
  const mentorContext = await browser.newContext({ permissions: ['camera', 'microphone'], viewport: { width: 1280, height: 800 } });
  const studentContext = await browser.newContext({ permissions: ['camera', 'microphone'], viewport: { width: 1280, height: 800 } });
  const mentor = await mentorContext.newPage();
  const student = await studentContext.newPage();

  await mentor.goto('/login');
  await mentor.screenshot({ path: path.join(out, 'sign-in.png') });
  await signIn(mentor, 'mentor_001');
  await expect(mentor.getByRole('heading', { name: 'Your week' })).toBeVisible();
  await mentor.screenshot({ path: path.join(out, 'mentor-week.png'), fullPage: true });

  await signIn(student, 'L003');
  await mentor.getByRole('article', { name: /thu-16-17/ }).getByRole('button', { name: 'Start Session' }).click();
  await expect(mentor.getByRole('button', { name: 'Join now' })).toBeEnabled();
  await mentor.screenshot({ path: path.join(out, 'device-check.png') });
  await mentor.getByRole('button', { name: 'Join now' }).click();
  await expect(student.getByRole('button', { name: 'Join' })).toBeVisible();
  await student.screenshot({ path: path.join(out, 'student-inbox.png') });
  await student.getByRole('button', { name: 'Join' }).click();
  await student.getByRole('button', { name: 'Join now' }).click();
  await expect(mentor.getByRole('status').filter({ hasText: 'Connected' }).last()).toBeVisible({ timeout: 20_000 });
  await mentor.waitForTimeout(1500);
  await mentor.screenshot({ path: path.join(out, 'meeting.png') });

  await student.getByLabel('Language').selectOption('vi');
  await student.getByRole('button', { name: 'Rời phòng' }).click();
  await student.screenshot({ path: path.join(out, 'student-inbox-vi.png') });
  await mentor.getByRole('button', { name: 'End session' }).click();
  // A second past session, whose student's app is not running: the ring never reaches it.
  await mentor.getByRole('article', { name: /mon-09-10/ }).getByRole('button', { name: 'Start Session' }).click();
  await mentor.getByRole('button', { name: 'Join now' }).click();
  await mentor.getByRole('button', { name: 'End session' }).click();
  await mentor.getByRole('link', { name: 'Past sessions' }).click();
  await expect(mentor.getByRole('cell', { name: 'Phạm Thu Hà' }).first()).toBeVisible();
  await mentor.screenshot({ path: path.join(out, 'past-sessions.png') });
  await mentor.getByLabel('Language').selectOption('vi');
  await mentor.screenshot({ path: path.join(out, 'past-sessions-vi.png') });
  await mentor.setViewportSize({ width: 400, height: 800 });
  await mentor.screenshot({ path: path.join(out, 'past-sessions-vi-400.png'), fullPage: true });
  await mentor.getByLabel('Ngôn ngữ').selectOption('en');
  await mentorContext.close();
  await studentContext.close();
});
