/// <reference lib="dom" />
/**
 * axe-core over every screen — sign-in, the week, the inbox with a ring, pre-join, the room, the
 * ended screen, settings, past sessions, set-password and devices — in English and in Vietnamese: no serious or critical
 * violation of WCAG 2.1 A/AA.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { en, vi } from '../../renderer/src/app/locales';
import { endSession, newUser, ringList, sessionIdOf, signIn, type Language } from './helpers';

async function expectNoSeriousViolations(page: Page, screen: string) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${screen}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, serious.join('\n')).toEqual([]);
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
    await mentor.page.goto('/settings');
    await expect(mentor.page.getByRole('heading', { name: words.settings.title })).toBeVisible();
    await expectNoSeriousViolations(mentor.page, 'settings');
    await mentor.page.goto('/set-password');
    await expect(mentor.page.getByRole('heading', { name: words.setPassword.title })).toBeVisible();
    await expectNoSeriousViolations(mentor.page, 'set-password');

    await signIn(mentor.page, 'mentor_001', language);
    await signIn(student.page, 'L001', language);
    await expect(mentor.page.getByRole('heading', { name: words.schedule.title })).toBeVisible();
    await expectNoSeriousViolations(mentor.page, 'week');

    await mentor.page.getByRole('article', { name: /mon-09-10/ }).getByRole('button', { name: words.schedule.startSession }).click();
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
    await mentor.page.goto('/past-sessions');
    await expect(mentor.page.getByRole('heading', { name: words.pastSessions.title })).toBeVisible();
    await expectNoSeriousViolations(mentor.page, 'past sessions');
    await mentor.page.goto('/devices');
    await expect(mentor.page.getByRole('heading', { name: words.devices.title })).toBeVisible();
    await expectNoSeriousViolations(mentor.page, 'devices');

    await endSession(mentor.page, sessionId);
    await mentor.context.close();
    await student.context.close();
  });
}
