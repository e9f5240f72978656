/**
 * What this tab remembers about the call it is in (sessionStorage: per tab, kept across a reload,
 * gone when the tab closes): a reload rejoins directly, with the same microphone, camera and devices.
 */
export interface CallMemory {
  sessionId: string;
  muted: boolean;
  cameraOff: boolean;
  cameraId: string | null;
  microphoneId: string | null;
}

const KEY = 'classroom.call';

export function recallCall(sessionId: string, storage: Storage = sessionStorage): CallMemory | null {
  try {
    const memory = JSON.parse(storage.getItem(KEY) ?? 'null') as CallMemory | null;
    return memory?.sessionId === sessionId ? memory : null;
  } catch {
    return null;
  }
}

export function rememberCall(memory: CallMemory, storage: Storage = sessionStorage): void {
  storage.setItem(KEY, JSON.stringify(memory));
}

export function forgetCall(storage: Storage = sessionStorage): void {
  storage.removeItem(KEY);
}
