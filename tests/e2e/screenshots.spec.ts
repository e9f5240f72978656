/// <reference lib="dom" />
/**
 * Regenerates the screenshots in docs/ (`UPDATE_SCREENSHOTS=1 npm run test:e2e -- screenshots`):
 * the main screens in English and Vietnamese, the week at 400 px. Skipped in the normal run:
 * pictures are documentation, not assertions.
 */
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { endSession, newUser, ringList, sessionIdOf, signIn, slotOf } from './helpers';

const out = path.resolve(__dirname, '../../docs/screenshots');
test.skip(!process.env.UPDATE_SCREENSHOTS, 'Set UPDATE_SCREENSHOTS=1 to regenerate docs/screenshots.');

const shot = (page: Page, name: string, fullPage = false) => page.screenshot({ path: path.join(out, `${name}.png`), fullPage });
const switchTo = async (page: Page, language: 'en' | 'vi') => {
  await page.evaluate((chosen) => localStorage.setItem('classroom.language', chosen), language);
  await page.reload();
};

test('pages', async ({ browser }) => {
  test.setTimeout(120_000);
  const viewport = { width: 1280, height: 800 };
  const mentor = await newUser(browser, { viewport });
  const student = await newUser(browser, { viewport });

  await mentor.page.goto('/login');
  await shot(mentor.page, 'sign-in');
  await switchTo(mentor.page, 'vi');
  await shot(mentor.page, 'sign-in-vi');
  await switchTo(mentor.page, 'en');

  await signIn(student.page, 'L003');
  await signIn(mentor.page, 'mentor_001');
  await expect(mentor.page.getByText('Online now')).toBeVisible();
  await shot(mentor.page, 'mentor-week', true);
  await switchTo(mentor.page, 'vi');
  await expect(mentor.page.getByRole('heading', { name: 'Lịch tuần của bạn' })).toBeVisible();
  await shot(mentor.page, 'mentor-week-vi', true);
  await mentor.page.setViewportSize({ width: 400, height: 800 });
  await mentor.page.reload();
  await expect(mentor.page.getByRole('group', { name: 'Ngày' })).toBeVisible();
  await shot(mentor.page, 'mentor-week-vi-400', true);
  await mentor.page.setViewportSize(viewport);
  await switchTo(mentor.page, 'en');

  await slotOf(mentor.page, 'thu-16-17').getByRole('button', { name: 'Start Session' }).click();
  const sessionId = await sessionIdOf(mentor.page);
  await expect(mentor.page.getByRole('button', { name: 'Join now' })).toBeEnabled();
  await mentor.page.waitForTimeout(800);
  await shot(mentor.page, 'pre-join');
  await expect(ringList(student.page)).toHaveCount(1);
  await shot(student.page, 'student-inbox');
  await switchTo(student.page, 'vi');
  await expect(ringList(student.page, 'Buổi học của bạn')).toHaveCount(1);
  await expect(student.page.getByText('Đã kết nối')).toBeVisible();
  await shot(student.page, 'student-inbox-vi');
  await switchTo(student.page, 'en');

  await mentor.page.getByRole('button', { name: 'Join now' }).click();
  await ringList(student.page).getByRole('button', { name: 'Join' }).click();
  await student.page.getByRole('button', { name: 'Join now' }).click();
  await expect(mentor.page.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible({ timeout: 20_000 });
  await mentor.page.getByRole('button', { name: 'Chat' }).click();
  await mentor.page.getByRole('textbox', { name: 'Message' }).fill('Welcome! Shall we start with your essay?');
  await mentor.page.getByRole('button', { name: 'Send' }).click();
  await student.page.getByRole('button', { name: /Chat/ }).click();
  await student.page.getByRole('textbox', { name: 'Message' }).fill('Yes, I sent it yesterday.');
  await student.page.keyboard.press('Enter');
  await student.page.getByRole('button', { name: 'Mute' }).click();
  await mentor.page.waitForTimeout(2500);
  await shot(mentor.page, 'meeting');
  await switchTo(student.page, 'vi');
  await expect(student.page.getByRole('button', { name: 'Bật micro' })).toBeVisible({ timeout: 20_000 });
  await student.page.waitForTimeout(2500);
  await shot(student.page, 'meeting-vi');
  await mentor.page.getByRole('button', { name: 'End session' }).click();
  await shot(mentor.page, 'end-session');
  await mentor.page.getByRole('dialog').getByRole('button', { name: 'End session' }).click();
  await expect(mentor.page.getByRole('heading', { name: 'Session ended' })).toBeVisible();
  await shot(mentor.page, 'ended');
  await endSession(mentor.page, sessionId);
  // A second session of the booking, declined with a reason: the list's other outcome.
  const bearer = async (page: Page) => ({ authorization: `Bearer ${await page.evaluate(() => (JSON.parse(localStorage.getItem('classroom.session')!) as { accessToken: string }).accessToken)}` });
  const declined = await mentor.page.request.post('/api/mentor/create-session', { headers: await bearer(mentor.page), data: { mentorId: 'mentor_001', studentId: 'L003', slotId: 'thu-16-17', sessionType: 'IELTS Writing Feedback' } });
  const declinedId = ((await declined.json()) as { data: { sessionId: string } }).data.sessionId;
  expect((await student.page.request.post(`/api/sessions/${declinedId}/decline`, { headers: await bearer(student.page), data: { reason: 'Running 5 minutes late' } })).status()).toBe(200);
  await endSession(mentor.page, declinedId);

  await mentor.page.getByRole('button', { name: 'Back to your week' }).click();
  await mentor.page.getByRole('link', { name: 'Past sessions' }).click();
  await expect(mentor.page.getByRole('cell', { name: 'Phạm Thu Hà' }).first()).toBeVisible();
  await shot(mentor.page, 'past-sessions');
  await switchTo(mentor.page, 'vi');
  await shot(mentor.page, 'past-sessions-vi');
  await mentor.page.setViewportSize({ width: 400, height: 800 });
  await shot(mentor.page, 'past-sessions-vi-400', true);
  await mentor.context.close();
  await student.context.close();
});
