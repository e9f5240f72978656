/** The signed-in session, kept across reloads in web mode (localStorage). */
import type { LoginData } from '@contract/api';

const KEY = 'classroom.session';

export type StoredSession = LoginData;

export function loadSession(storage: Storage = window.localStorage, nowMs = Date.now()): StoredSession | null {
  try {
    const raw = storage.getItem(KEY);
    if (!raw) return null;
    const session = JSON.parse(raw) as StoredSession;
    if (!session.accessToken || !session.user?.id || Date.parse(session.expiresAt) <= nowMs) {
      storage.removeItem(KEY);
      return null;
    }
    return session;
  } catch {
    return null;
  }
}

export function saveSession(session: StoredSession, storage: Storage = window.localStorage): void {
  storage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(storage: Storage = window.localStorage): void {
  storage.removeItem(KEY);
}
