/// <reference lib="dom" />
/**
 * axe-core over every screen — sign-in, the week, the inbox with a ring, pre-join, the room, the
 * ended screen, settings, past sessions, set-password and devices — in English and in Vietnamese: no serious or critical
 * violation of WCAG 2.1 A/AA.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { en, vi } from '../../renderer/src/app/locales';
import { closeAll, endSession, newUser, ringList, sessionIdOf, signIn, slotOf, type Language } from './helpers';

async function expectNoSeriousViolations(page: Page, screen: string) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${screen}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, serious.join('\n')).toEqual([]);
}

/** Opens a screen by its path, waits for its heading, and runs axe over it. */
async function visitAndCheck(page: Page, path: string, heading: string, screen: string) {
  await page.goto(path);
  await expect(page.getByRole('heading', { name: heading })).toBeVisible();
  await expectNoSeriousViolations(page, screen);
}

for (const language of ['en', 'vi'] as const satisfies readonly Language[]) {
  const words = language === 'vi' ? vi : en;
  test(`every screen passes axe (no serious or critical violation) in ${language === 'vi' ? 'Vietnamese' : 'English'}`, async ({ browser }) => {
    test.setTimeout(90_000);
    const mentor = await newUser(browser, { language });
    const student = await newUser(browser, { language });
    await mentor.page.goto('/login');
    await expect(mentor.page.getByRole('button', { name: words.signIn.submit })).toBeVisible();
    await expectNoSeriousViolations(mentor.page, 'sign-in');
    await visitAndCheck(mentor.page, '/settings', words.settings.title, 'settings');
    await visitAndCheck(mentor.page, '/set-password', words.setPassword.title, 'set-password');

    await signIn(mentor.page, 'mentor_001', language);
    await signIn(student.page, 'L001', language);
    await expect(mentor.page.getByRole('heading', { name: words.schedule.title })).toBeVisible();
    await expectNoSeriousViolations(mentor.page, 'week');

    await slotOf(mentor.page, 'mon-09-10').getByRole('button', { name: words.schedule.startSession }).click();
    const sessionId = await sessionIdOf(mentor.page);
    await expect(mentor.page.getByRole('button', { name: words.meeting.joinNow })).toBeEnabled();
    await expectNoSeriousViolations(mentor.page, 'pre-join');
    await expect(ringList(student.page, words.inbox.title)).toHaveCount(1);
    await expectNoSeriousViolations(student.page, 'inbox with a ring');

    await mentor.page.getByRole('button', { name: words.meeting.joinNow }).click();
    await expect(mentor.page.getByRole('toolbar', { name: words.meeting.controls })).toBeVisible();
    await mentor.page.getByRole('button', { name: words.meeting.chat }).click();
    await expectNoSeriousViolations(mentor.page, 'room');
    await mentor.page.getByRole('button', { name: words.meeting.end }).click();
    await expectNoSeriousViolations(mentor.page, 'end-session dialog');
    await mentor.page.getByRole('dialog').getByRole('button', { name: words.meeting.end }).click();
    await expect(mentor.page.getByRole('heading', { name: words.meeting.endedTitle })).toBeVisible();
    await expectNoSeriousViolations(mentor.page, 'ended');
    await visitAndCheck(mentor.page, '/past-sessions', words.pastSessions.title, 'past sessions');
    await visitAndCheck(mentor.page, '/devices', words.devices.title, 'devices');

    await endSession(mentor.page, sessionId);
    await closeAll(mentor, student);
  });
}
