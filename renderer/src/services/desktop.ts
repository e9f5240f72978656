/** The desktop shell's bridge (`window.classroom`, from the preload), or null in a browser. */
import type { DesktopBridge } from '@contract/ipc';

export function desktopBridge(): DesktopBridge | null {
  const candidate = (globalThis as { classroom?: DesktopBridge }).classroom;
  return candidate?.isDesktop ? candidate : null;
}
