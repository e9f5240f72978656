/**
 * Who is signed in, the REST client and the live connection, for every page. The server is the
 * page's own origin in web mode; the desktop shell points the renderer at its server the same way.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { LoginData } from '@contract/api';
import type { PublicUser } from '@contract/domain';
import type { DesktopSession, RingHealth } from '@contract/ipc';
import { ApiClient, ApiError } from '../services/api-client';
import { changeLanguage } from './i18n';
import { clearSession, DesktopTokens, DeviceSignIn, fixedToken, loadSession, saveSession } from '../services/auth-storage';
import { desktopBridge } from '../services/desktop';
import { connectRealtime, type RealtimeConnection, type RealtimeState } from '../services/realtime';

interface ClassroomContextValue {
  api: ApiClient;
  user: PublicUser | null;
  realtime: RealtimeConnection | null;
  realtimeState: RealtimeState;
  ringHealth: RingHealth | null;
  signIn(userId: string, password: string): Promise<PublicUser>;
  /** First sign-in with an enrolment code (sign-in answered PASSWORD_SETUP_REQUIRED): choose a password. */
  setPassword(userId: string, enrolmentCode: string, newPassword: string): Promise<PublicUser>;
  signOut(): Promise<void>;
}

const ClassroomContext = createContext<ClassroomContextValue | null>(null);

/** What the window holds of a sign-in: in a browser also the refresh token, in the desktop app not. */
type ClientSession = DesktopSession | LoginData;

/**
 * In the desktop app the server URL and the sign-in come from the main process, the one sign-in
 * authority there: the window signs in, out and renews through it, and follows it when the tray
 * signs out or the sign-in ends. In a browser the server is this page's origin and the sign-in is
 * in localStorage.
 */
export function ClassroomProvider({ children }: { children: ReactNode }) {
  const desktop = desktopBridge();
  const [ready, setReady] = useState(desktop === null);
  const [serverUrl, setServerUrl] = useState('');
  const [session, setSession] = useState<ClientSession | null>(() => (desktop ? null : loadSession()));
  /** Desktop: whether rings can reach the screen (null on the web). */
  const [ringHealth, setRingHealth] = useState<RingHealth | null>(null);

  useEffect(() => {
    if (!desktop) return;
    // Subscribe first: main pushes only to a page that has asked for the state.
    const offs = [desktop.onSessionChanged(setSession), desktop.onRingHealth(setRingHealth)];
    void desktop.getState().then((state) => {
      setRingHealth(state.ringHealth);
      // The desktop setting (possibly enforced by IT) decides the language when it is not "system".
      if (state.settings.language !== 'system') void changeLanguage(state.settings.language);
      setServerUrl(state.settings.serverUrl.replace(/\/$/, ''));
      setSession(state.session);
      setReady(true);
    });
    return () => offs.forEach((off) => off());
  }, [desktop]);
  const [realtime, setRealtime] = useState<RealtimeConnection | null>(null);
  const [realtimeState, setRealtimeState] = useState<RealtimeState>('offline');

  /** The sign-in could not be renewed (main has already ended it in the desktop app). */
  const ended = useCallback(() => {
    if (!desktop) clearSession();
    setSession(null);
  }, [desktop]);

  // Renews the access token silently: main does in the desktop app, the page itself in a browser.
  const tokens = useMemo(() => {
    if (!session) return null;
    if (desktop) return new DesktopTokens(session, desktop);
    return 'refreshToken' in session ? new DeviceSignIn(session, serverUrl, window.localStorage, ended) : null;
  }, [serverUrl, session, desktop, ended]);
  useEffect(() => {
    if (!(tokens instanceof DeviceSignIn)) return;
    tokens.start();
    return () => tokens.dispose();
  }, [tokens]);
  const api = useMemo(() => new ApiClient(serverUrl, tokens, ended), [serverUrl, tokens, ended]);

  useEffect(() => {
    if (!tokens) return;
    const connection = connectRealtime(serverUrl, tokens);
    setRealtime(connection);
    setRealtimeState(connection.state);
    const off = connection.onState((state) => {
      setRealtimeState(state);
      if (state === 'unauthenticated') ended();
    });
    return () => {
      off();
      connection.close();
      setRealtime(null);
      setRealtimeState('offline');
    };
  }, [serverUrl, tokens, ended]);

  const signIn = useCallback(
    async (userId: string, password: string) => {
      if (desktop) {
        const result = await desktop.signIn(userId, password);
        if (!result.ok) throw result.status === 0 ? new TypeError(result.message) : new ApiError(result.status, result.code, result.message);
        setSession(result.session);
        return result.session.user;
      }
      const data = await new ApiClient(serverUrl, null).login(userId, password);
      saveSession(data);
      setSession(data);
      return data.user;
    },
    [serverUrl, desktop],
  );

  const setPassword = useCallback(
    async (userId: string, enrolmentCode: string, newPassword: string) => {
      const data = await new ApiClient(serverUrl, null).setPassword({ userId, enrolmentCode, newPassword });
      if (!desktop) {
        saveSession(data);
        setSession(data);
        return data.user;
      }
      // Main signs in for the desktop app (and keeps the refresh token): hand this sign-in back, then sign main in.
      await new ApiClient(serverUrl, fixedToken(data.accessToken)).logout().catch(() => undefined);
      return signIn(userId, newPassword);
    },
    [serverUrl, desktop, signIn],
  );

  const signOut = useCallback(async () => {
    if (desktop) {
      // Main revokes the sign-in on the server, forgets it, and tells every part of the app.
      await desktop.signOut();
      setSession(null);
      return;
    }
    try {
      await api.logout();
    } catch {
      // Signing out locally matters most; the token expires on its own.
    }
    clearSession();
    setSession(null);
  }, [api, desktop]);

  const value = useMemo(
    () => ({ api, user: session?.user ?? null, realtime, realtimeState, ringHealth, signIn, setPassword, signOut }),
    [api, session, realtime, realtimeState, ringHealth, signIn, setPassword, signOut],
  );
  if (!ready) return null;
  return <ClassroomContext.Provider value={value}>{children}</ClassroomContext.Provider>;
}

export function useClassroom(): ClassroomContextValue {
  const value = useContext(ClassroomContext);
  if (!value) throw new Error('useClassroom outside ClassroomProvider');
  return value;
}
