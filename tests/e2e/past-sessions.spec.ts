/**
 * The mentor's past sessions, as a mentor uses them: start a session for a student whose app is
 * not running, end it from the room, then open Past sessions from the week — the session is
 * listed with its student, type, duration and that the ring never reached the app; in English,
 * in Vietnamese, and at 400 px wide.
 */
import { expect, test } from '@playwright/test';
import { signIn, slotOf } from './helpers';

test('a session the mentor ended is listed under Past sessions with its ring outcome (en, vi, narrow)', async ({ browser }) => {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  const page = await context.newPage();
  await signIn(page, 'mentor_001');
  await expect(page.getByRole('heading', { name: 'Your week' })).toBeVisible();

  // L002 is offline (no app signed in): the ring is never acknowledged.
  await slotOf(page, 'tue-14-15').getByRole('button', { name: /Start Session|Rejoin/ }).click();
  await page.getByRole('button', { name: 'Join now' }).click();
  await page.getByRole('button', { name: 'End session' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'End session' }).click();
  await page.getByRole('button', { name: 'Back to your week' }).click();
  await expect(page).toHaveURL(/\/schedule$/);

  await page.getByRole('link', { name: 'Past sessions' }).click();
  await expect(page).toHaveURL(/\/past-sessions$/);
  await expect(page.getByRole('heading', { name: 'Past sessions' })).toBeVisible();
  const newest = page.getByRole('rowgroup').last().getByRole('row').first(); // the body's first row: newest first
  await expect(newest.getByRole('cell').nth(1)).toHaveText('Lê Hoàng Nam');
  await expect(newest.getByRole('cell').nth(2)).toHaveText('Pronunciation Coaching');
  await expect(newest.getByRole('cell').nth(3)).toHaveText(/^(< 1 min|\d+ min)$/);
  await expect(newest.getByRole('cell').nth(4)).toHaveText('Never reached the app');

  await page.getByLabel('Language').selectOption('vi');
  await expect(page.getByRole('heading', { name: 'Buổi học đã qua' })).toBeVisible();
  await expect(newest.getByRole('cell').nth(4)).toHaveText('Ứng dụng chưa nhận được');

  // Narrow window: one card per session, each value beside its label.
  await page.setViewportSize({ width: 400, height: 800 });
  await expect(newest.getByRole('cell').nth(1)).toBeVisible();
  const box = await newest.boundingBox();
  expect(box!.width).toBeLessThanOrEqual(400);

  await page.getByRole('link', { name: /Lịch tuần của bạn/ }).click();
  await expect(page).toHaveURL(/\/schedule$/);
  await page.getByLabel('Ngôn ngữ').selectOption('en');
  await context.close();
});
