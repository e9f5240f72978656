import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { SessionNotification } from '@contract/api';
import { useClassroom } from '../../app/ClassroomProvider';
import { meetingUrl } from '../../app/routes';
import { AppHeader } from '../../components/AppHeader';
import { errorMessage } from '../../components/error-message';
import { desktopBridge } from '../../services/desktop';
import { notificationPermission, requestNotificationPermission, showSessionNotification } from '../../services/system-notifications';
import { emptyInbox, inboxReducer, shouldAnnounce } from './inbox-model';

/** The student's inbox: live sessions and incoming rings, each with Join (docs/interface.md §4, student flow). */
export function InboxPage() {
  const { t, i18n } = useTranslation();
  const { api, realtime } = useClassroom();
  const navigate = useNavigate();
  const [state, dispatch] = useReducer(inboxReducer, emptyInbox);
  // Socket callbacks read the latest inbox through this ref, updated after each render.
  const stateRef = useRef(state);
  useEffect(() => {
    stateRef.current = state;
  }, [state]);
  const [error, setError] = useState<string | null>(null);
  const [joining, setJoining] = useState<string | null>(null);
  const [permission, setPermission] = useState(notificationPermission());

  const join = useCallback(
    async (entry: SessionNotification) => {
      setJoining(entry.sessionId);
      try {
        const joined = await api.joinSession(entry.sessionId);
        navigate(meetingUrl({ roomId: joined.roomId, token: joined.token, role: 'student', sessionId: entry.sessionId }));
      } catch (caught) {
        setError(errorMessage(t, caught));
        setJoining(null);
        dispatch({ type: 'ended', sessionId: entry.sessionId });
      }
    },
    [api, navigate, t],
  );

  const load = useCallback(async () => {
    try {
      dispatch({ type: 'loaded', sessions: (await api.studentSessions()).sessions });
      setError(null);
    } catch (caught) {
      setError(errorMessage(t, caught));
    }
  }, [api, t]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    if (!realtime) return;
    const offs = [
      realtime.onSessionNotification((notification) => {
        dispatch({ type: 'notified', notification });
        // In the desktop app the main process rings with an OS notification instead.
        if (!desktopBridge() && shouldAnnounce(stateRef.current, notification.sessionId)) {
          dispatch({ type: 'announced', sessionId: notification.sessionId });
          showSessionNotification(notification, t('inbox.notificationTitle'), () => void join(notification));
        }
      }),
      realtime.onSessionEnded(({ sessionId }) => dispatch({ type: 'ended', sessionId })),
      realtime.onReconnected(() => void load()),
    ];
    return () => offs.forEach((off) => off());
  }, [realtime, join, load, t]);

  const formatEnd = (iso: string) => new Intl.DateTimeFormat(i18n.language, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));

  return (
    <div className="app">
      <AppHeader />
      <main className="page page-inbox">
        <div className="page-title">
          <h1>{t('inbox.title')}</h1>
          {permission === 'default' && !desktopBridge() && (
            <button type="button" className="button ghost" onClick={() => void requestNotificationPermission().then(setPermission)}>
              {t('inbox.enableNotifications')}
            </button>
          )}
          {permission === 'denied' && <p className="muted small">{t('inbox.notificationsBlocked')}</p>}
        </div>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {state.entries.length === 0 ? (
          <p className="card empty-state">{t('inbox.empty')}</p>
        ) : (
          <ul className="inbox-list" aria-label={t('inbox.title')}>
            {state.entries.map((entry) => (
              <li key={entry.sessionId} className="card inbox-entry">
                <div className="ring" aria-hidden="true" />
                <div className="inbox-text">
                  <strong>{t('inbox.startedBy', { mentor: entry.mentorName })}</strong>
                  <span>
                    {entry.sessionType} · {entry.startTime}–{entry.endTime}
                  </span>
                  <span className="muted small">{t('inbox.endsAt', { time: formatEnd(entry.expiresAt) })}</span>
                </div>
                <button type="button" className="button primary" disabled={joining !== null} onClick={() => void join(entry)}>
                  {joining === entry.sessionId ? t('inbox.joining') : t('inbox.join')}
                </button>
              </li>
            ))}
          </ul>
        )}
      </main>
    </div>
  );
}
