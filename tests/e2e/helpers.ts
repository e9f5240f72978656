/// <reference lib="dom" />
/**
 * Browser helpers of the E2E specs: users in their own contexts, rings, ending a session; sign-in
 * and the WebRTC statistics come from tests/helpers/browser-session.ts, which the benchmark shares.
 */
import { expect, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from '@playwright/test';
import type { Language } from '../../server/contract/languages';
import { MESSAGES } from '../../renderer/src/app/locales';
import { framesDecoded, sentTracks, signIn, trackPeerConnections } from '../helpers/browser-session';

export type { Language };
export { framesDecoded, sentTracks, signIn };

export interface User {
  context: BrowserContext;
  page: Page;
}

/** A person in their own browser context (camera, microphone, notifications allowed), optionally in Vietnamese or another zone. */
export async function newUser(browser: Browser, options: BrowserContextOptions & { language?: Language } = {}): Promise<User> {
  const { language, ...contextOptions } = options;
  const context = await browser.newContext({ permissions: ['camera', 'microphone', 'notifications'], ...contextOptions });
  await trackPeerConnections(context);
  if (language) await context.addInitScript((chosen) => localStorage.setItem('classroom.language', chosen), language);
  return { context, page: await context.newPage() };
}

/** A slot of the mentor's week, by its slot id. */
export const slotOf = (page: Page, slotId: string) => page.getByRole('article', { name: new RegExp(slotId) });

/**
 * How most two-person specs open: the student signed in first (their page connects as it loads),
 * then mentor_001, who clicks Start Session on this booked slot and lands on the meeting page.
 */
export async function startWithStudentOnline(browser: Browser, studentId: string, slotId: string, language: Language = 'en'): Promise<{ mentor: User; student: User; sessionId: string }> {
  const options = language === 'en' ? {} : { language };
  const mentor = await newUser(browser, options);
  const student = await newUser(browser, options);
  await signIn(student.page, studentId, language);
  await signIn(mentor.page, 'mentor_001', language);
  await slotOf(mentor.page, slotId).getByRole('button', { name: MESSAGES[language].schedule.startSession }).click();
  return { mentor, student, sessionId: await sessionIdOf(mentor.page) };
}

/** Closes each person's browser context. */
export async function closeAll(...users: User[]): Promise<void> {
  for (const user of users) await user.context.close();
}

/** The meeting page's session (our `sessionId` parameter), once the page is there. */
export async function sessionIdOf(page: Page): Promise<string> {
  await expect(page).toHaveURL(/\/meeting\?.*sessionId=session_/);
  return new URL(page.url()).searchParams.get('sessionId')!;
}

/** The student's live sessions (not the list of upcoming bookings). */
export const ringList = (page: Page, name = 'Your sessions') => page.getByRole('list', { name }).getByRole('listitem');

/** Ends a session through the API (leaves the demo slot free for the next test). */
export async function endSession(page: Page, sessionId: string) {
  const { accessToken } = await page.evaluate(() => JSON.parse(localStorage.getItem('classroom.session')!) as { accessToken: string });
  const response = await page.request.post(`/api/sessions/${sessionId}/end`, { headers: { authorization: `Bearer ${accessToken}` } });
  expect(response.status()).toBe(200);
}

export async function waitForDecodedVideo(page: Page, timeoutMs = 20_000): Promise<number> {
  const started = Date.now();
  await expect.poll(() => framesDecoded(page), { timeout: timeoutMs, intervals: [50] }).toBeGreaterThan(0);
  return Date.now() - started;
}

