/// <reference lib="dom" />
/**
 * The product as a mentor and a student use it, in two browser contexts against the real server:
 * sign in, Start Session, the student is rung and joins, both sides decode each other's video,
 * mute and camera toggles, the mentor ends and the student leaves; an offline student is rung at
 * sign-in; Vietnamese / English.
 */
import { expect, test } from '@playwright/test';
import { closeAll, endSession, framesDecoded, newUser, ringList, sentTracks, sessionIdOf, signIn, slotOf, startWithStudentOnline, waitForDecodedVideo } from './helpers';

test('mentor starts, student is rung and joins, both decode video, toggles work, mentor ends', async ({ browser }) => {
  const mentor = await newUser(browser);
  const student = await newUser(browser);

  await signIn(student.page, 'L001');
  await expect(student.page.getByRole('heading', { name: 'Your sessions' })).toBeVisible();
  await expect(student.page.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible();

  await signIn(mentor.page, 'mentor_001');
  await expect(mentor.page.getByRole('heading', { name: 'Your week' })).toBeVisible();
  const slot = slotOf(mentor.page, 'mon-09-10');
  await expect(slot).toContainText('Trần Thị Lan');
  await expect(slot).toContainText('Speaking Practice');
  await slot.getByRole('button', { name: 'Start Session' }).click();

  await expect(mentor.page).toHaveURL(/\/meeting\?roomId=room_[^&]+&token=[^&]+&role=mentor/);
  await mentor.page.getByRole('button', { name: 'Join now' }).click();
  await expect(mentor.page.getByRole('status').filter({ hasText: /Waiting for Trần Thị Lan/ })).toBeVisible();

  // The student's inbox rings (one entry, however often it is delivered) and offers Join.
  const entry = ringList(student.page).filter({ hasText: 'Nguyễn Văn Minh is calling' });
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText('Speaking Practice');
  await expect(entry).toContainText('09:00–10:00');
  await entry.getByRole('button', { name: 'Join' }).click();
  await expect(student.page).toHaveURL(/\/meeting\?roomId=room_[^&]+&token=[^&]+&role=student/);
  await student.page.getByRole('button', { name: 'Join now' }).click();

  const studentJoinToFrameMs = await waitForDecodedVideo(student.page);
  await waitForDecodedVideo(mentor.page);
  test.info().annotations.push({ type: 'join → first remote frame (ms)', description: String(studentJoinToFrameMs) });
  console.log(`join → first remote frame: ${studentJoinToFrameMs} ms`);
  await expect(student.page.getByRole('status').filter({ hasText: 'Connected' }).last()).toBeVisible();

  // Frames keep coming: the video is live, not one stray frame.
  const before = await framesDecoded(student.page);
  await expect.poll(() => framesDecoded(student.page), { timeout: 5000 }).toBeGreaterThan(before + 5);

  // Mute / unmute: the button flips, the track is really disabled, the other side is told.
  await mentor.page.getByRole('button', { name: 'Mute' }).click();
  await expect(mentor.page.getByRole('button', { name: 'Unmute' })).toBeVisible();
  expect((await sentTracks(mentor.page)).filter((t) => t.startsWith('audio'))).toEqual(['audio:false']);
  await expect(student.page.getByText('Nguyễn Văn Minh is muted')).toBeVisible();
  await mentor.page.getByRole('button', { name: 'Unmute' }).click();
  await expect(mentor.page.getByRole('button', { name: 'Mute' })).toBeVisible();
  await expect(student.page.getByText('Nguyễn Văn Minh is muted')).toBeHidden();

  // Camera off / on.
  await student.page.getByRole('button', { name: 'Camera off' }).click();
  await expect(student.page.getByRole('button', { name: 'Camera on' })).toBeVisible();
  await expect(mentor.page.getByText('Trần Thị Lan turned the camera off')).toBeVisible();
  await student.page.getByRole('button', { name: 'Camera on' }).click();
  await expect(mentor.page.getByText('Trần Thị Lan turned the camera off')).toBeHidden();

  // The mentor's week shows the ring went all the way.
  const mentorWeek = await mentor.context.newPage();
  await mentorWeek.goto('/schedule');
  await expect(slotOf(mentorWeek, 'mon-09-10')).toContainText('Joined');
  await expect(slotOf(mentorWeek, 'mon-09-10').getByRole('button', { name: 'Rejoin' })).toBeVisible();
  await mentorWeek.close();

  // The mentor ends the session: the student leaves the room.
  await mentor.page.getByRole('button', { name: 'End session' }).click();
  await mentor.page.getByRole('dialog').getByRole('button', { name: 'End session' }).click();
  await expect(mentor.page.getByRole('heading', { name: 'Session ended' })).toBeVisible();
  await expect(student.page.getByRole('heading', { name: 'Session ended' })).toBeVisible();
  await expect
    .poll(() =>
      student.page.evaluate(() =>
        (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections.every((pc) => pc.connectionState === 'closed'),
      ),
    )
    .toBe(true);
  await student.page.getByRole('button', { name: 'Back to your sessions' }).click();
  await expect(student.page.getByText(/No session is live right now/)).toBeVisible();

  await closeAll(mentor, student);
});

test('a student who was offline at start is rung when signing in', async ({ browser }) => {
  const mentor = await newUser(browser);
  await signIn(mentor.page, 'mentor_001');
  const slot = slotOf(mentor.page, 'tue-14-15');
  await slot.getByRole('button', { name: 'Start Session' }).click();
  await expect(mentor.page).toHaveURL(/\/meeting\?/);
  const sessionId = await sessionIdOf(mentor.page);
  await mentor.page.goto('/schedule');
  await expect(slotOf(mentor.page, 'tue-14-15')).toContainText('Offline — will ring at sign-in');

  const student = await newUser(browser);
  await signIn(student.page, 'L002');
  const entry = ringList(student.page).filter({ hasText: 'Nguyễn Văn Minh is calling' });
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText('Pronunciation Coaching');
  await expect(entry.getByRole('button', { name: 'Join' })).toBeVisible();
  // The app acknowledged the replay: the mentor sees it arrive, live.
  await expect(slotOf(mentor.page, 'tue-14-15')).toContainText('Ringing…', { timeout: 10_000 });

  // Reloading does not duplicate the entry.
  await student.page.reload();
  await expect(ringList(student.page).filter({ hasText: 'Nguyễn Văn Minh' })).toHaveCount(1);

  // Leave the slot free for the next run: the mentor ends the session.
  await endSession(mentor.page, sessionId);
  await expect(ringList(student.page)).toHaveCount(0);

  await closeAll(mentor, student);
});

test('the interface follows the chosen language, Vietnamese or English, and remembers it', async ({ browser }) => {
  const { context, page } = await newUser(browser);
  await page.goto('/login');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Language').selectOption('vi');
  await expect(page.getByRole('button', { name: 'Đăng nhập' })).toBeVisible();
  await expect(page.getByLabel('Mã người dùng')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
  await page.reload();
  await expect(page.getByRole('button', { name: 'Đăng nhập' })).toBeVisible();

  await page.getByLabel('Mã người dùng').fill('mentor_001');
  await page.getByLabel('Mật khẩu').fill('demo');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(page.getByRole('heading', { name: 'Lịch tuần của bạn' })).toBeVisible();
  await page.getByLabel('Ngôn ngữ').selectOption('en');
  await expect(page.getByRole('heading', { name: 'Your week' })).toBeVisible();
  await context.close();
});

test('a Vietnamese browser gets Vietnamese without choosing', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'vi-VN' });
  const page = await context.newPage();
  await page.goto('/login');
  await expect(page.getByRole('button', { name: 'Đăng nhập' })).toBeVisible();
  await context.close();
});

test('a wrong password is refused with a clear message, and pages need sign-in', async ({ browser }) => {
  const { context, page } = await newUser(browser);
  await page.goto('/schedule');
  await expect(page).toHaveURL(/\/login\?next=%2Fschedule/);
  await page.getByLabel('User ID').fill('mentor_001');
  await page.getByLabel('Password').fill('wrong');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('The user ID or password is wrong.');
  await page.getByLabel('Password').fill('demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/schedule$/);
  // Signed in across a reload; signed out on request.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Your week' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.goto('/schedule');
  await expect(page).toHaveURL(/\/login/);
  await context.close();
});

test('after a network drop the student rejoins by itself, with mute and camera as they were', async ({ browser }) => {
  const { mentor, student } = await startWithStudentOnline(browser, 'L003', 'thu-16-17');
  await mentor.page.getByRole('button', { name: 'Join now' }).click();
  await ringList(student.page).filter({ hasText: 'IELTS Writing Feedback' }).getByRole('button', { name: 'Join' }).click();
  await student.page.getByRole('button', { name: 'Join now' }).click();
  await waitForDecodedVideo(mentor.page);
  await student.page.getByRole('button', { name: 'Mute' }).click();
  await student.page.getByRole('button', { name: 'Camera off' }).click();
  await expect(mentor.page.getByText('Phạm Thu Hà is muted')).toBeVisible();

  // The student's network goes away for a few seconds, then comes back.
  await student.context.setOffline(true);
  await expect(student.page.getByRole('status').filter({ hasText: /reconnecting/i }).first()).toBeVisible({ timeout: 15_000 });
  await student.context.setOffline(false);

  // Rejoined on a fresh connection: video flows again, and the mentor is told the same state.
  await expect(student.page.getByRole('status').filter({ hasText: 'Connected' }).last()).toBeVisible({ timeout: 20_000 });
  await waitForDecodedVideo(mentor.page);
  await expect(student.page.getByRole('button', { name: 'Unmute' })).toBeVisible();
  await expect(student.page.getByRole('button', { name: 'Camera on' })).toBeVisible();
  expect(await sentTracks(student.page)).toEqual(['audio:false', 'video:false']);
  await expect(mentor.page.getByText('Phạm Thu Hà is muted')).toBeVisible();
  await expect(mentor.page.getByText('Phạm Thu Hà turned the camera off')).toBeVisible();

  await mentor.page.getByRole('button', { name: 'End session' }).click();
  await mentor.page.getByRole('dialog').getByRole('button', { name: 'End session' }).click();
  await expect(mentor.page.getByRole('heading', { name: 'Session ended' })).toBeVisible();
  await closeAll(mentor, student);
});
