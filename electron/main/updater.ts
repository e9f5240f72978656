/**
 * Automatic updates (electron-updater): off when policy says so, and never a restart in the middle
 * of a meeting — a downloaded update installs when the app quits, or when the person chooses to
 * restart while not in a meeting. The updater arrives as a parameter.
 */
import type { EventEmitter } from 'node:events';

export interface AutoUpdaterLike extends Pick<EventEmitter, 'on'> {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
}

export class UpdateController {
  private timer: NodeJS.Timeout | null = null;
  private downloaded = false;

  constructor(
    private readonly updater: AutoUpdaterLike,
    private readonly deps: { enabled(): boolean; inMeeting(): boolean; onReady?(): void; onError?(error: unknown): void },
  ) {
    updater.autoDownload = true;
    updater.autoInstallOnAppQuit = true;
    updater.on('update-downloaded', () => {
      this.downloaded = true;
      deps.onReady?.();
    });
    updater.on('error', (error: unknown) => deps.onError?.(error));
  }

  get updateReady(): boolean {
    return this.downloaded;
  }

  /** Checks now and then every `intervalMs`, while policy allows. */
  start(intervalMs = 4 * 60 * 60 * 1000): void {
    this.stop();
    const check = () => {
      if (this.deps.enabled()) void this.updater.checkForUpdates().catch((error: unknown) => this.deps.onError?.(error));
    };
    check();
    this.timer = setInterval(check, intervalMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** "Restart to update": refused (false) during a meeting or with nothing downloaded. */
  restartToUpdate(): boolean {
    if (!this.downloaded || this.deps.inMeeting()) return false;
    this.updater.quitAndInstall(false, true);
    return true;
  }
}
