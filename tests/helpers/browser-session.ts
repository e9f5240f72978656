/// <reference lib="dom" />
/**
 * What the E2E specs and the join-latency benchmark do in a browser page, written once: sign in,
 * keep the page's peer connections on loopback and in view, and read what they decode and send.
 * No test-runner import here (the benchmark runs outside Playwright's runner).
 */
import type { BrowserContext, Page } from '@playwright/test';
import type { Language } from '../../server/contract/languages';

/**
 * Keeps every RTCPeerConnection the page makes (window.__peerConnections), so tests can read real
 * decode statistics, and keeps ICE on loopback: remote candidates other than 127.0.0.0/8 and ::1
 * are dropped, as this workplace allows test traffic to loopback addresses only (the app itself
 * is unchanged). A string, not a function: tsx would wrap a function with helpers that do not
 * exist in the page.
 */
const TRACK_PEER_CONNECTIONS = `(() => {
  const Native = window.RTCPeerConnection;
  const connections = [];
  window.__peerConnections = connections;
  const isLoopback = (candidate) => / (127\\.\\d+\\.\\d+\\.\\d+|::1) \\d+ typ /.test(candidate);
  const loopbackOnlySdp = (sdp) => sdp.split('\\r\\n').filter((line) => !line.startsWith('a=candidate:') || isLoopback(line)).join('\\r\\n');
  window.RTCPeerConnection = class extends Native {
    constructor(config) { super(config); connections.push(this); }
    addIceCandidate(candidate) {
      if (candidate && candidate.candidate && !isLoopback(candidate.candidate)) return Promise.resolve();
      return super.addIceCandidate(candidate || undefined);
    }
    setRemoteDescription(description) {
      return super.setRemoteDescription(description && description.sdp ? { type: description.type, sdp: loopbackOnlySdp(description.sdp) } : description);
    }
  };
})();`;

type PeerWindow = { __peerConnections: RTCPeerConnection[] };

/** Every page of the context tracks its peer connections and keeps ICE on loopback. */
export async function trackPeerConnections(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: TRACK_PEER_CONNECTIONS });
}

const SIGN_IN_LABELS: Record<Language, { userId: string; password: string; submit: string }> = {
  en: { userId: 'User ID', password: 'Password', submit: 'Sign in' },
  vi: { userId: 'Mã người dùng', password: 'Mật khẩu', submit: 'Đăng nhập' },
};

/**
 * Signs in through the login page with the demo password, in the page's language, and waits until
 * the app has left the login page. `baseUrl` where the context has none (the benchmark).
 */
export async function signIn(page: Page, userId: string, language: Language = 'en', baseUrl = ''): Promise<void> {
  const labels = SIGN_IN_LABELS[language];
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel(labels.userId).fill(userId);
  await page.getByLabel(labels.password).fill('demo');
  await page.getByRole('button', { name: labels.submit }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** Frames of remote video decoded so far on this page's live peer connections. */
export function framesDecoded(page: Page): Promise<number> {
  return page.evaluate(async () => {
    let frames = 0;
    for (const pc of (window as unknown as PeerWindow).__peerConnections) {
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
    (window as unknown as PeerWindow).__peerConnections
      .filter((pc) => pc.connectionState !== 'closed')
      .flatMap((pc) => pc.getSenders())
      .map((sender) => `${sender.track?.kind}:${sender.track?.enabled}`)
      .sort(),
  );
}

/** One line per inbound stream of the page (connection state, kind, frames, packets), for a failure message. */
export function inboundReport(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const connections = (window as unknown as PeerWindow).__peerConnections;
    const out: string[] = [];
    for (const pc of connections) (await pc.getStats()).forEach((r) => r.type === 'inbound-rtp' && out.push(`${pc.connectionState}:${r.kind}:${r.framesDecoded}:${r.packetsReceived}`));
    return `${connections.length} pcs ${out.join(',')}`;
  });
}
