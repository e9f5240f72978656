import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { SessionNotification, UpcomingBooking } from '@contract/api';
import { useClassroom } from '../../app/ClassroomProvider';
import { meetingUrl } from '../../app/routes';
import { formatClockRange, formatDayOf, viewerTimeZone, zoneLabel } from '../../app/time-format';
import { PageFrame } from '../../components/PageFrame';
import { errorMessage } from '../../components/error-message';
import { useNow, usePageTitle } from '../../components/hooks';
import { desktopBridge } from '../../services/desktop';
import { notificationPermission, requestNotificationPermission, showSessionNotification } from '../../services/system-notifications';
import { emptyInbox, inboxReducer, shouldAnnounce } from './inbox-model';
import { RingCard } from './RingCard';

/** The student's inbox: incoming rings (Join / Decline), live sessions, and the next 7 days. */
export function InboxPage() {
  const { t, i18n } = useTranslation();
  const { api, realtime } = useClassroom();
  const navigate = useNavigate();
  usePageTitle(t('titles.inbox'));
  const [state, dispatch] = useReducer(inboxReducer, emptyInbox);
  // Socket callbacks read the latest inbox through this ref, updated after each render.
  const stateRef = useRef(state);
  useEffect(() => {
    stateRef.current = state;
  }, [state]);
  const [upcoming, setUpcoming] = useState<UpcomingBooking[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [joining, setJoining] = useState<string | null>(null);
  const [permission, setPermission] = useState(notificationPermission());
  const now = useNow(1000);
  const zone = viewerTimeZone();

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

  const decline = async (entry: SessionNotification, reason: string | null) => {
    try {
      const { ring } = await api.declineRing(entry.sessionId, reason);
      dispatch({ type: 'ring', sessionId: entry.sessionId, ring });
    } catch (caught) {
      setError(errorMessage(t, caught));
    }
  };

  const load = useCallback(async () => {
    try {
      const [sessions, next] = await Promise.all([api.studentSessions(), api.studentUpcoming()]);
      dispatch({ type: 'loaded', sessions: sessions.sessions });
      setUpcoming(next.bookings);
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
        const { sessionId, ring } = notification;
        // In the desktop app the main process rings with an OS notification instead.
        if (!desktopBridge() && ring.state === 'ringing' && shouldAnnounce(stateRef.current, sessionId, ring.attempt)) {
          dispatch({ type: 'announced', sessionId, attempt: ring.attempt });
          showSessionNotification(notification, t('inbox.notificationTitle'), () => void join(notification));
        }
      }),
      realtime.onRingState(({ sessionId, ring }) => dispatch({ type: 'ring', sessionId, ring })),
      realtime.onSessionEnded(({ sessionId }) => dispatch({ type: 'ended', sessionId })),
      realtime.onReconnected(() => void load()),
    ];
    return () => offs.forEach((off) => off());
  }, [realtime, join, load, t]);

  return (
    <PageFrame
      name="inbox"
      title={t('inbox.title')}
      subtitle={t('time.timesIn', { zone: zoneLabel(zone, i18n.language, t, now) })}
      error={error}
      actions={
        <>
          {permission === 'default' && !desktopBridge() && (
            <button type="button" className="button ghost" onClick={() => void requestNotificationPermission().then(setPermission)}>
              {t('inbox.enableNotifications')}
            </button>
          )}
          {permission === 'denied' && !desktopBridge() && <p className="muted small">{t('inbox.notificationsBlocked')}</p>}
        </>
      }
    >
      {state.entries.length === 0 ? (
        <p className="card empty-state">{t('inbox.empty')}</p>
      ) : (
        <ul className="inbox-list" aria-label={t('inbox.title')}>
          {state.entries.map((entry) => (
            <RingCard
              key={entry.sessionId}
              entry={entry}
              now={now}
              timeZone={zone}
              busy={joining !== null}
              onJoin={() => void join(entry)}
              onDecline={(reason) => void decline(entry, reason)}
            />
          ))}
        </ul>
      )}
      <section className="upcoming" aria-labelledby="upcoming-title">
        <h2 id="upcoming-title">{t('inbox.upcoming')}</h2>
        {upcoming.length === 0 ? (
          <p className="muted">{t('inbox.noUpcoming')}</p>
        ) : (
          <ul className="upcoming-list">
            {upcoming.map((booking) => (
              <li key={`${booking.slotId}-${booking.startsAt}`} className="card upcoming-item">
                <span className="upcoming-when">
                  <strong>{formatDayOf(booking.startsAt, i18n.language, zone)}</strong>
                  <span>{formatClockRange(booking.startsAt, booking.endsAt, i18n.language, zone)}</span>
                </span>
                <span>
                  {booking.sessionType} <span className="muted">{t('inbox.withMentor', { mentor: booking.mentorName })}</span>
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </PageFrame>
  );
}
