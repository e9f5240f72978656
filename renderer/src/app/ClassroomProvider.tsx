/**
 * Who is signed in, the REST client and the live connection, for every page. The server is the
 * page's own origin in web mode; the desktop shell points the renderer at its server the same way.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { PublicUser } from '@contract/domain';
import { ApiClient } from '../services/api-client';
import { changeLanguage } from './i18n';
import { clearSession, DeviceSignIn, loadSession, saveSession, type StoredSession } from '../services/auth-storage';
import { desktopBridge } from '../services/desktop';
import { connectRealtime, type RealtimeConnection, type RealtimeState } from '../services/realtime';

interface ClassroomContextValue {
  api: ApiClient;
  user: PublicUser | null;
  realtime: RealtimeConnection | null;
  realtimeState: RealtimeState;
  signIn(userId: string, password: string): Promise<PublicUser>;
  signOut(): Promise<void>;
}

const ClassroomContext = createContext<ClassroomContextValue | null>(null);

/**
 * In the desktop app the server URL and the signed-in session come from the main process (the
 * keychain); in a browser the server is this page's origin and the session is in localStorage.
 */
export function ClassroomProvider({ children }: { children: ReactNode }) {
  const desktop = desktopBridge();
  const [ready, setReady] = useState(desktop === null);
  const [serverUrl, setServerUrl] = useState('');
  const [session, setSession] = useState<StoredSession | null>(() => (desktop ? null : loadSession()));

  useEffect(() => {
    if (!desktop) return;
    void desktop.getState().then((state) => {
      // The desktop setting (possibly enforced by IT) decides the language when it is not "system".
      if (state.settings.language !== 'system') void changeLanguage(state.settings.language);
      setServerUrl(state.settings.serverUrl.replace(/\/$/, ''));
      setSession(state.session);
      setReady(true);
    });
  }, [desktop]);
  const [realtime, setRealtime] = useState<RealtimeConnection | null>(null);
  const [realtimeState, setRealtimeState] = useState<RealtimeState>('offline');

  const forget = useCallback(() => {
    if (desktop) void desktop.signOut();
    else clearSession();
    setSession(null);
  }, [desktop]);

  // Renews the access token silently (web mode; in the desktop app main renews).
  const tokens = useMemo(() => (session ? new DeviceSignIn(session, serverUrl, desktop ? null : window.localStorage, forget) : null), [serverUrl, session, desktop, forget]);
  useEffect(() => {
    tokens?.start();
    return () => tokens?.dispose();
  }, [tokens]);
  const api = useMemo(() => new ApiClient(serverUrl, tokens, forget), [serverUrl, tokens, forget]);

  useEffect(() => {
    if (!tokens) return;
    const connection = connectRealtime(serverUrl, tokens);
    setRealtime(connection);
    setRealtimeState(connection.state);
    const off = connection.onState((state) => {
      setRealtimeState(state);
      if (state === 'unauthenticated') forget();
    });
    return () => {
      off();
      connection.close();
      setRealtime(null);
      setRealtimeState('offline');
    };
  }, [serverUrl, tokens, forget]);

  const signIn = useCallback(
    async (userId: string, password: string) => {
      const data = await new ApiClient(serverUrl, null).login(userId, password);
      if (desktop) await desktop.signedIn(data);
      else saveSession(data);
      setSession(data);
      return data.user;
    },
    [serverUrl, desktop],
  );

  const signOut = useCallback(async () => {
    try {
      await api.logout();
    } catch {
      // Signing out locally matters most; the token expires on its own.
    }
    forget();
  }, [api, forget]);

  const value = useMemo(
    () => ({ api, user: session?.user ?? null, realtime, realtimeState, signIn, signOut }),
    [api, session, realtime, realtimeState, signIn, signOut],
  );
  if (!ready) return null;
  return <ClassroomContext.Provider value={value}>{children}</ClassroomContext.Provider>;
}

export function useClassroom(): ClassroomContextValue {
  const value = useContext(ClassroomContext);
  if (!value) throw new Error('useClassroom outside ClassroomProvider');
  return value;
}
