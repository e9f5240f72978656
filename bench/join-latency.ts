/// <reference lib="dom" />
/**
 * Join → first remote frame with the built-in engine: mentor and student in two Chromium contexts
 * (Debian's Chromium, fake camera and microphone, ICE kept on loopback), timed from the student's
 * "Join now" to the first decoded remote video frame, over several joins.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { framesDecoded, inboundReport, signIn, trackPeerConnections } from '../tests/helpers/browser-session';

type StartServer = (env: Record<string, string>) => Promise<{ child: ChildProcess; url: string }>;

export async function measureJoinToFirstFrame(joins: number, startServer: StartServer): Promise<{ medianMs: number; samplesMs: number[] }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'classroom-join-'));
  const server = await startServer({ CLASSROOM_DATA_DIR: dir, CLASSROOM_DEMO: '1' });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--allow-loopback-in-peer-connection', '--disable-background-networking', '--no-first-run'],
  });
  try {
    const open = async (userId: string) => {
      const context = await browser.newContext({ permissions: ['camera', 'microphone'], locale: 'en-US' });
      await trackPeerConnections(context);
      const page = await context.newPage();
      await signIn(page, userId, 'en', server.url);
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      return page;
    };
    const mentor = await open('mentor_001');
    const student = await open('L001');
    const samples: number[] = [];
    for (let i = 0; i < joins; i++) {
      await mentor.goto(`${server.url}/schedule`);
      await mentor.getByRole('article', { name: /mon-09-10/ }).getByRole('button', { name: 'Start Session' }).click();
      await mentor.getByRole('button', { name: 'Join now' }).click();
      await student.getByRole('button', { name: 'Join', exact: true }).click();
      const joinNow = student.getByRole('button', { name: 'Join now' });
      await joinNow.waitFor();
      await student.waitForFunction(() => !document.querySelector('button[disabled]'));
      const started = Date.now();
      await joinNow.click();
      while ((await framesDecoded(student)) === 0) {
        if (Date.now() - started > 20_000) {
          const state = async (page: Page) => (await page.locator('[role=status]').allInnerTexts()).join(' / ');
          throw new Error(`no remote frame within 20 s (student: ${await state(student)}; mentor: ${await state(mentor)}; ${await inboundReport(student)})`);
        }
        await student.waitForTimeout(20);
      }
      samples.push(Date.now() - started);
      await mentor.getByRole('button', { name: 'End session' }).click();
      await mentor.getByRole('dialog').getByRole('button', { name: 'End session' }).click();
      await student.getByRole('button', { name: 'Back to your sessions' }).click();
    }
    const sorted = [...samples].sort((a, b) => a - b);
    return { medianMs: sorted[Math.floor(sorted.length / 2)]!, samplesMs: samples };
  } finally {
    await browser.close();
    server.child.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}
