/// <reference lib="dom" />
/** Browser helpers shared by the E2E specs: users in their own contexts, sign-in, real WebRTC statistics. */
import { expect, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from '@playwright/test';

/**
 * Keeps every RTCPeerConnection the page makes, so the test can read real decode statistics.
 * It also keeps ICE on loopback: remote candidates other than 127.0.0.0/8 and ::1 are dropped,
 * as this workplace allows test traffic to loopback addresses only (the app itself is unchanged).
 */
export const TRACK_PEER_CONNECTIONS = () => {
  const Native = window.RTCPeerConnection;
  const connections: RTCPeerConnection[] = [];
  (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections = connections;
  const isLoopback = (candidate: string) => / (127\.\d+\.\d+\.\d+|::1) \d+ typ /.test(candidate);
  const loopbackOnlySdp = (sdp: string) =>
    sdp
      .split('\r\n')
      .filter((line) => !line.startsWith('a=candidate:') || isLoopback(line))
      .join('\r\n');
  window.RTCPeerConnection = class extends Native {
    constructor(config?: RTCConfiguration) {
      super(config);
      connections.push(this);
    }
    override addIceCandidate(candidate?: RTCIceCandidateInit | null): Promise<void> {
      if (candidate?.candidate && !isLoopback(candidate.candidate)) return Promise.resolve();
      return super.addIceCandidate(candidate ?? undefined);
    }
    override setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
      return super.setRemoteDescription(description.sdp ? { type: description.type, sdp: loopbackOnlySdp(description.sdp) } : description);
    }
  } as typeof RTCPeerConnection;
};

export type Language = 'en' | 'vi';

/** A person in their own browser context (camera, microphone, notifications allowed), optionally in Vietnamese or another zone. */
export async function newUser(browser: Browser, options: BrowserContextOptions & { language?: Language } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const { language, ...contextOptions } = options;
  const context = await browser.newContext({ permissions: ['camera', 'microphone', 'notifications'], ...contextOptions });
  await context.addInitScript(TRACK_PEER_CONNECTIONS);
  if (language) await context.addInitScript((chosen) => localStorage.setItem('classroom.language', chosen), language);
  return { context, page: await context.newPage() };
}

const SIGN_IN_LABELS = { en: { userId: 'User ID', password: 'Password', submit: 'Sign in' }, vi: { userId: 'Mã người dùng', password: 'Mật khẩu', submit: 'Đăng nhập' } };

export async function signIn(page: Page, userId: string, language: Language = 'en') {
  const labels = SIGN_IN_LABELS[language];
  await page.goto('/login');
  await page.getByLabel(labels.userId).fill(userId);
  await page.getByLabel(labels.password).fill('demo');
  await page.getByRole('button', { name: labels.submit }).click();
  await expect(page).not.toHaveURL(/\/login/);
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

/** Frames of remote video decoded so far on this page's live peer connections. */
export async function framesDecoded(page: Page): Promise<number> {
  return page.evaluate(async () => {
    let frames = 0;
    for (const pc of (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((report) => {
        if (report.type === 'inbound-rtp' && report.kind === 'video') frames += report.framesDecoded ?? 0;
      });
    }
    return frames;
  });
}

/** `kind:enabled` of every track this page is sending on its live peer connections. */
export function sentTracks(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections
      .filter((pc) => pc.connectionState !== 'closed')
      .flatMap((pc) => pc.getSenders())
      .map((sender) => `${sender.track?.kind}:${sender.track?.enabled}`)
      .sort(),
  );
}

export async function waitForDecodedVideo(page: Page, timeoutMs = 20_000): Promise<number> {
  const started = Date.now();
  await expect.poll(() => framesDecoded(page), { timeout: timeoutMs, intervals: [50] }).toBeGreaterThan(0);
  return Date.now() - started;
}

