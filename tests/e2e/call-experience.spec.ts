/// <reference lib="dom" />
/**
 * The call experience as two people live it, against the real server in Chromium: the ring
 * answered (a quick reply reaches the mentor), missed and rung again, presence, the week in the
 * URL, the same times on both sides in a UTC and a Ho Chi Minh City browser, chat both ways and
 * after a reload (which keeps mute), End session's confirmation, one presence per person (a second
 * tab takes over while video keeps flowing), and the small things (titles, /meeting, errors).
 */
import { expect, test, type Page } from '@playwright/test';
import { en, vi } from '../../renderer/src/app/locales';
import { closeAll, endSession, framesDecoded, newUser, ringList, sentTracks, sessionIdOf, signIn, slotOf, startWithStudentOnline, waitForDecodedVideo } from './helpers';

const allClosed = (page: Page) =>
  page.evaluate(() => (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections.every((pc) => pc.connectionState === 'closed'));

test('Decline with a quick reply stops the ring, reaches the mentor live and stays in their past sessions (Vietnamese)', async ({ browser }) => {
  const { mentor, student, sessionId } = await startWithStudentOnline(browser, 'L002', 'tue-14-15', 'vi');
  await mentor.page.goto('/schedule');

  const card = ringList(student.page, vi.inbox.title).filter({ hasText: 'Nguyễn Văn Minh đang gọi' });
  await expect(card).toBeVisible();
  await expect(card.getByText('NM')).toBeVisible();
  // The ringtone plays until muted.
  await expect(card).toHaveAttribute('data-ringtone', 'playing');
  await card.getByRole('button', { name: vi.inbox.muteRing }).click();
  await expect(card).toHaveAttribute('data-ringtone', 'muted');

  await card.getByRole('button', { name: vi.inbox.decline }).click();
  await card.getByRole('group', { name: vi.inbox.declineWithMessage }).getByRole('button', { name: vi.inbox.replyLate }).click();
  await expect(ringList(student.page, vi.inbox.title).filter({ hasText: 'Bạn đã từ chối' })).toBeVisible();
  await expect(ringList(student.page, vi.inbox.title)).toHaveAttribute('data-ringtone', 'silent');
  await expect(slotOf(mentor.page, 'tue-14-15')).toContainText(`Đã từ chối: “${vi.inbox.replyLate}”`);
  // Declined is not gone: the session is still open to join.
  await expect(student.page.getByRole('button', { name: vi.inbox.join })).toBeEnabled();

  await endSession(mentor.page, sessionId);
  // The mentor's history keeps the answer and its reason once the session is over.
  await mentor.page.goto('/past-sessions');
  const newest = mentor.page.getByRole('rowgroup').last().getByRole('row').first();
  await expect(newest.getByRole('cell').nth(4)).toHaveText(vi.pastSessions.ring.declinedWithReason.replace('{{reason}}', vi.inbox.replyLate));
  await closeAll(mentor, student);
});

test('an unanswered ring becomes missed for both; Ring again rings anew', async ({ browser }) => {
  const { mentor, student, sessionId } = await startWithStudentOnline(browser, 'L002', 'tue-14-15');
  await mentor.page.goto('/schedule');
  await expect(slotOf(mentor.page, 'tue-14-15')).toContainText('Ringing…');
  await expect(ringList(student.page).filter({ hasText: 'Nguyễn Văn Minh is calling' })).toBeVisible();

  // CLASSROOM_RING_SECONDS is 12 in this run.
  await expect(slotOf(mentor.page, 'tue-14-15')).toContainText('Missed — no answer', { timeout: 20_000 });
  await expect(ringList(student.page).filter({ hasText: 'Missed session from Nguyễn Văn Minh' })).toBeVisible();
  await expect(ringList(student.page)).toHaveAttribute('data-ringtone', 'silent');

  await slotOf(mentor.page, 'tue-14-15').getByRole('button', { name: 'Ring again' }).click();
  await expect(slotOf(mentor.page, 'tue-14-15')).toContainText('Ringing…');
  await expect(ringList(student.page).filter({ hasText: 'Nguyễn Văn Minh is calling' })).toBeVisible();
  await expect(ringList(student.page)).toHaveAttribute('data-ringtone', 'playing');

  await endSession(mentor.page, sessionId);
  await closeAll(mentor, student);
});

test("the mentor sees, live, whether a booked student's app is online", async ({ browser }) => {
  const mentor = await newUser(browser);
  await signIn(mentor.page, 'mentor_001');
  const slot = slotOf(mentor.page, 'thu-16-17');
  await expect(slot).toContainText('Offline');
  const student = await newUser(browser);
  await signIn(student.page, 'L003');
  await expect(slot).toContainText('Online now');
  await student.context.close();
  await expect(slot).toContainText('Offline');
  await mentor.context.close();
});

test('the week is in the URL; Start Session only in the current week', async ({ browser }) => {
  const { context, page } = await newUser(browser);
  await signIn(page, 'mentor_001');
  await expect(page).toHaveTitle('Your week · Classroom');
  await expect(slotOf(page, 'mon-09-10').getByRole('button', { name: 'Start Session' })).toBeVisible();
  const thisWeek = await page.getByRole('region', { name: 'Up next' }).count();
  expect(thisWeek).toBe(1);

  await page.getByRole('button', { name: 'Next week' }).click();
  await expect(page).toHaveURL(/\/schedule\?week=\d{4}-\d{2}-\d{2}$/);
  const week = new URL(page.url()).searchParams.get('week')!;
  expect(new Date(`${week}T12:00:00Z`).getUTCDay()).toBe(1); // a Monday
  await expect(page.getByText('Sessions can be started only in the current week.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start Session' })).toHaveCount(0);
  await page.reload();
  await expect(page.getByText(/Week of/)).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`week=${week}`));
  await expect(page.getByRole('button', { name: 'Start Session' })).toHaveCount(0);

  await page.getByRole('button', { name: 'Previous week' }).click();
  await page.getByRole('button', { name: 'Previous week' }).click();
  await expect(page.getByRole('button', { name: 'Start Session' })).toHaveCount(0);
  await page.getByRole('button', { name: 'This week' }).click();
  await expect(page).toHaveURL(/\/schedule$/);
  await expect(slotOf(page, 'mon-09-10').getByRole('button', { name: 'Start Session' })).toBeVisible();

  await page.goto('/schedule?week=2026-02-30');
  await expect(page.getByRole('alert')).toHaveText(en.errors.field.week);
  await context.close();
});

for (const { timezoneId, range, zone } of [
  { timezoneId: 'UTC', range: '02:00–03:00', zone: 'Coordinated Universal Time (UTC+00:00)' },
  { timezoneId: 'Asia/Ho_Chi_Minh', range: '09:00–10:00', zone: 'Indochina Time (UTC+07:00)' },
]) {
  test(`times are the same, labelled the same, on both sides in a ${timezoneId} browser`, async ({ browser }) => {
    const mentor = await newUser(browser, { timezoneId });
    const student = await newUser(browser, { timezoneId });
    await signIn(mentor.page, 'mentor_001');
    await signIn(student.page, 'L001');
    await expect(mentor.page.getByText(`Times in ${zone}`)).toBeVisible();
    await expect(student.page.getByText(`Times in ${zone}`)).toBeVisible();
    await expect(slotOf(mentor.page, 'mon-09-10')).toContainText(range);
    await expect(student.page.getByRole('region', { name: 'Next 7 days' })).toContainText(range);

    await slotOf(mentor.page, 'mon-09-10').getByRole('button', { name: 'Start Session' }).click();
    const sessionId = await sessionIdOf(mentor.page);
    await expect(ringList(student.page).filter({ hasText: 'Nguyễn Văn Minh is calling' })).toContainText(range);
    await endSession(mentor.page, sessionId);
    await closeAll(mentor, student);
  });
}

test('chat both ways and after a reload, which rejoins directly with the microphone still muted; End session asks first', async ({ browser }) => {
  const { mentor, student } = await startWithStudentOnline(browser, 'L001', 'mon-09-10');
  await expect(mentor.page.getByText('No one else is here yet')).toBeVisible();
  await mentor.page.getByRole('button', { name: 'Join now' }).click();
  // Focus lands on the controls, not on <body>.
  await expect(mentor.page.getByRole('toolbar', { name: 'Call controls' }).getByRole('button', { name: 'Mute' })).toBeFocused();
  // The app header (language, Sign out) is hidden in the call.
  await expect(mentor.page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);

  await ringList(student.page).getByRole('button', { name: 'Join' }).click();
  await expect(student.page.getByText('Nguyễn Văn Minh is in the call')).toBeVisible();
  await student.page.getByRole('button', { name: 'Join now' }).click();
  await waitForDecodedVideo(mentor.page);
  await expect(mentor.page.getByText('Trần Thị Lan', { exact: true })).toBeVisible(); // name on the tile
  await expect(mentor.page.getByText(/\d\d:\d\d left/)).toBeVisible();
  await expect(mentor.page.getByText(/Good connection|Unstable connection|Poor connection/)).toBeVisible({ timeout: 10_000 });

  await mentor.page.getByRole('button', { name: 'Chat' }).click();
  await mentor.page.getByRole('textbox', { name: 'Message' }).fill('Hello Lan, can you hear me?');
  await mentor.page.getByRole('button', { name: 'Send' }).click();
  await expect(student.page.getByRole('button', { name: /Chat/ })).toContainText('1'); // unread
  await student.page.getByRole('button', { name: /Chat/ }).click();
  await expect(student.page.getByText('Hello Lan, can you hear me?')).toBeVisible();
  await student.page.getByRole('textbox', { name: 'Message' }).fill('Yes, loud and clear!');
  await student.page.keyboard.press('Enter');
  await expect(mentor.page.getByText('Yes, loud and clear!')).toBeVisible();

  // Ctrl+D mutes (the shortcut is in the tooltip); the reload keeps it muted and skips the pre-join.
  await expect(student.page.getByRole('button', { name: 'Mute' })).toHaveAttribute('title', /Ctrl\+D/);
  await student.page.keyboard.press('Control+d');
  await expect(student.page.getByRole('button', { name: 'Unmute' })).toBeVisible();
  await expect(mentor.page.getByText('Trần Thị Lan is muted')).toBeVisible();
  await student.page.reload();
  await expect(student.page.getByRole('button', { name: 'Unmute' })).toBeVisible();
  await expect(student.page.getByRole('button', { name: 'Join now' })).toHaveCount(0);
  await waitForDecodedVideo(student.page);
  expect((await sentTracks(student.page)).filter((track) => track.startsWith('audio'))).toEqual(['audio:false']);
  const before = await framesDecoded(mentor.page);
  await expect.poll(() => framesDecoded(mentor.page), { timeout: 15_000 }).toBeGreaterThan(before + 5);
  await expect(mentor.page.getByText('Trần Thị Lan is muted')).toBeVisible();
  // The chat is kept with the session.
  await student.page.getByRole('button', { name: /Chat/ }).click();
  await expect(student.page.getByText('Hello Lan, can you hear me?')).toBeVisible();
  await expect(student.page.getByText('Yes, loud and clear!')).toBeVisible();

  // End session asks first; Cancel keeps the call.
  await mentor.page.getByRole('button', { name: 'End session' }).click();
  const dialog = mentor.page.getByRole('dialog', { name: 'End the session for both of you?' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(mentor.page.getByRole('toolbar', { name: 'Call controls' })).toBeVisible();
  await mentor.page.getByRole('button', { name: 'End session' }).click();
  await dialog.getByRole('button', { name: 'End session' }).click();
  await expect(mentor.page.getByRole('heading', { name: 'Session ended' })).toBeVisible();
  await expect(mentor.page.getByText('Speaking Practice with Trần Thị Lan')).toBeVisible();
  await expect(mentor.page.getByText(/In the call for \d+ min/)).toBeVisible();
  await expect(student.page.getByRole('heading', { name: 'Session ended' })).toBeVisible();
  await expect.poll(() => allClosed(student.page)).toBe(true);
  await mentor.page.getByRole('button', { name: 'Back to your week' }).click();
  await expect(mentor.page).toHaveURL(/\/schedule$/);
  await closeAll(mentor, student);
});

test('a second tab takes over the call while video keeps flowing; the first offers "Use here"', async ({ browser }) => {
  const { mentor, student, sessionId } = await startWithStudentOnline(browser, 'L003', 'thu-16-17');
  await mentor.page.getByRole('button', { name: 'Join now' }).click();
  await ringList(student.page).getByRole('button', { name: 'Join' }).click();
  await student.page.getByRole('button', { name: 'Join now' }).click();
  await waitForDecodedVideo(mentor.page);
  await waitForDecodedVideo(student.page);

  // The same student opens the meeting in a second tab and joins there.
  const second = await student.context.newPage();
  await second.goto(student.page.url());
  await expect(second.getByText('Nguyễn Văn Minh is in the call')).toBeVisible();
  await second.getByRole('button', { name: 'Join now' }).click();
  await expect(student.page.getByRole('heading', { name: 'You joined from another window' })).toBeVisible();
  await expect.poll(() => allClosed(student.page)).toBe(true);
  await waitForDecodedVideo(second);
  const atMentor = await framesDecoded(mentor.page);
  await expect.poll(() => framesDecoded(mentor.page), { timeout: 15_000 }).toBeGreaterThan(atMentor + 5);
  const atSecond = await framesDecoded(second);
  await expect.poll(() => framesDecoded(second), { timeout: 15_000 }).toBeGreaterThan(atSecond + 5);
  await expect(mentor.page.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible({ timeout: 15_000 });

  // "Use here" brings the call back to the first tab; the second steps back, the call goes on.
  await student.page.getByRole('button', { name: 'Use here' }).click();
  await expect(second.getByRole('heading', { name: 'You joined from another window' })).toBeVisible();
  await waitForDecodedVideo(student.page);
  const back = await framesDecoded(mentor.page);
  await expect.poll(() => framesDecoded(mentor.page), { timeout: 15_000 }).toBeGreaterThan(back + 5);

  await endSession(mentor.page, sessionId);
  await closeAll(mentor, student);
});

test('page titles per route, a bare /meeting goes home, server refusals in the reader’s language with focus kept', async ({ browser }) => {
  const { context, page } = await newUser(browser, { language: 'vi' });
  await page.goto('/login');
  await expect(page).toHaveTitle('Đăng nhập · Classroom');
  // A user ID the server refuses: a Vietnamese sentence, not the validator's English; focus on the field.
  await page.getByLabel('Mã người dùng').fill('L 001');
  await page.getByLabel('Mật khẩu').fill('demo');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(page.getByRole('alert')).toHaveText(vi.errors.field.userId);
  await expect(page.getByLabel('Mã người dùng')).toBeFocused();
  await page.getByLabel('Mã người dùng').fill('mentor_001');
  await page.getByLabel('Mật khẩu').fill('sai');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(page.getByRole('alert')).toHaveText(vi.errors.INVALID_CREDENTIALS);
  await expect(page.getByLabel('Mật khẩu')).toBeFocused();
  await signIn(page, 'mentor_001', 'vi');
  await expect(page).toHaveTitle('Lịch tuần · Classroom');
  await page.goto('/meeting');
  await expect(page).toHaveURL(/\/schedule$/);
  await context.close();
});
