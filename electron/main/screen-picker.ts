/**
 * Screen sharing asks first: when the page calls getDisplayMedia, main lists the screens and
 * windows (desktopCapturer, with thumbnails and names) and the window shows them; nothing is
 * shared until the person picks one, and Cancel (or no answer) shares nothing. Where the OS has
 * a picker of its own (macOS 15+), Electron uses that instead.
 */
import type { ScreenSource } from '@contract/ipc';

export interface CaptureSourceLike {
  id: string;
  name: string;
  thumbnail: { toDataURL(): string };
}

export interface ScreenPickerDeps {
  getSources(): Promise<CaptureSourceLike[]>;
  /** Shows the sources in the window; false when no window can ask. */
  ask(requestId: number, sources: ScreenSource[]): boolean;
  timeoutMs?: number;
}

export class ScreenPicker {
  private nextRequest = 1;
  private readonly waiting = new Map<number, (sourceId: string | null) => void>();

  constructor(private readonly deps: ScreenPickerDeps) {}

  /** For session.setDisplayMediaRequestHandler: the chosen source, or a refusal. */
  readonly handleRequest = (_request: unknown, callback: (streams: { video?: CaptureSourceLike }) => void): void => {
    void this.pick().then(
      (source) => callback(source ? { video: source } : {}),
      () => callback({}),
    );
  };

  private async pick(): Promise<CaptureSourceLike | null> {
    const sources = await this.deps.getSources();
    const requestId = this.nextRequest++;
    const chosen = new Promise<string | null>((resolve) => {
      this.waiting.set(requestId, resolve);
      const timer = setTimeout(() => this.choose(requestId, null), this.deps.timeoutMs ?? 120_000);
      timer.unref?.();
    });
    if (!this.deps.ask(requestId, sources.map((s) => ({ id: s.id, name: s.name, thumbnail: s.thumbnail.toDataURL() })))) this.choose(requestId, null);
    const sourceId = await chosen;
    return sources.find((source) => source.id === sourceId) ?? null;
  }

  /** The window's answer (an id from the list, or null for Cancel). */
  choose(requestId: number, sourceId: string | null): void {
    const resolve = this.waiting.get(requestId);
    this.waiting.delete(requestId);
    resolve?.(sourceId);
  }
}
