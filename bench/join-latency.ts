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

type StartServer = (env: Record<string, string>) => Promise<{ child: ChildProcess; url: string }>;

// A string, not a function: tsx would wrap a function with helpers that do not exist in the page.
const LOOPBACK_ONLY = `(() => {
  const Native = window.RTCPeerConnection;
  const list = [];
  window.__pcs = list;
  const loopback = (c) => / (127\\.\\d+\\.\\d+\\.\\d+|::1) \\d+ typ /.test(c);
  window.RTCPeerConnection = class extends Native {
    constructor(config) { super(config); list.push(this); }
    addIceCandidate(candidate) {
      if (candidate && candidate.candidate && !loopback(candidate.candidate)) return Promise.resolve();
      return super.addIceCandidate(candidate || undefined);
    }
  };
})();`;

async function framesDecoded(page: Page): Promise<number> {
  return page.evaluate(async () => {
    let frames = 0;
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((r) => {
        if (r.type === 'inbound-rtp' && r.kind === 'video') frames += r.framesDecoded ?? 0;
      });
    }
    return frames;
  });
}

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
      await context.addInitScript({ content: LOOPBACK_ONLY });
      const page = await context.newPage();
      await page.goto(`${server.url}/login`);
      await page.getByLabel('User ID').fill(userId);
      await page.getByLabel('Password').fill('demo');
      await page.getByRole('button', { name: 'Sign in' }).click();
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
          const reports = await student.evaluate(async () => {
            const out: string[] = [];
            for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) (await pc.getStats()).forEach((r) => r.type === 'inbound-rtp' && out.push(`${pc.connectionState}:${r.kind}:${r.framesDecoded}:${r.packetsReceived}`));
            return `${(window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.length} pcs ${out.join(',')}`;
          });
          throw new Error(`no remote frame within 20 s (student: ${await state(student)}; mentor: ${await state(mentor)}; ${reports})`);
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
