import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { MentorWeekData, ScheduleSlot } from '@contract/api';
import { useClassroom } from '../../app/ClassroomProvider';
import { meetingUrl, PATHS } from '../../app/routes';
import { AppHeader } from '../../components/AppHeader';
import { errorMessage } from '../../components/error-message';
import { addDaysToDate, formatDay, formatTime, weekColumns } from './schedule-model';

const viewerTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** The mentor's Monday–Sunday grid with Start Session on booked slots (docs/interface.md §4, mentor flow). */
export function ScheduleWeek() {
  const { t, i18n } = useTranslation();
  const { api, user, realtime } = useClassroom();
  const navigate = useNavigate();
  const [week, setWeek] = useState<string | undefined>(undefined);
  const [data, setData] = useState<MentorWeekData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busySlot, setBusySlot] = useState<string | null>(null);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        setData(await api.mentorWeek(week, signal));
        setError(null);
      } catch (caught) {
        if (!signal?.aborted) setError(errorMessage(t, caught));
      }
    },
    [api, week, t],
  );

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    const timer = setInterval(() => void load(), 30_000);
    return () => {
      controller.abort();
      clearInterval(timer);
    };
  }, [load]);

  // Ring progress and ends arrive live; the week is re-read so the grid stays the server's truth.
  useEffect(() => {
    if (!realtime) return;
    const offs = [realtime.onDeliveryState(() => void load()), realtime.onSessionEnded(() => void load()), realtime.onReconnected(() => void load())];
    return () => offs.forEach((off) => off());
  }, [realtime, load]);

  const zone = viewerTimeZone();
  const columns = useMemo(() => (data ? weekColumns(data.weekStart, data.slots, zone) : []), [data, zone]);

  const start = async (slot: ScheduleSlot) => {
    if (!user || !slot.booking) return;
    setBusySlot(slot.slotId);
    try {
      const created = await api.createSession({ mentorId: user.id, studentId: slot.booking.studentId, slotId: slot.slotId, sessionType: slot.booking.sessionType });
      navigate(meetingUrl({ roomId: created.roomId, token: created.token, role: 'mentor', sessionId: created.sessionId }));
    } catch (caught) {
      setError(errorMessage(t, caught));
      setBusySlot(null);
    }
  };

  const rejoin = async (sessionId: string) => {
    try {
      const joined = await api.joinSession(sessionId);
      navigate(meetingUrl({ roomId: joined.roomId, token: joined.token, role: 'mentor', sessionId }));
    } catch (caught) {
      setError(errorMessage(t, caught));
      void load();
    }
  };

  return (
    <div className="app">
      <AppHeader />
      <main className="page page-schedule">
        <div className="page-title">
          <div>
            <h1>{t('schedule.title')}</h1>
            {data && <p className="muted">{t('schedule.weekOf', { date: formatDay(data.weekStart, i18n.language).date })} · {t('schedule.timeZoneNote', { zone })}</p>}
          </div>
          <nav className="week-nav" aria-label={t('schedule.title')}>
            <button type="button" className="button ghost" onClick={() => data && setWeek(addDaysToDate(data.weekStart, -7))}>
              ‹ {t('schedule.previousWeek')}
            </button>
            <button type="button" className="button ghost" onClick={() => setWeek(undefined)}>
              {t('schedule.thisWeek')}
            </button>
            <button type="button" className="button ghost" onClick={() => data && setWeek(addDaysToDate(data.weekStart, 7))}>
              {t('schedule.nextWeek')} ›
            </button>
            <Link className="button ghost" to={PATHS.pastSessions}>
              {t('pastSessions.link')}
            </Link>
          </nav>
        </div>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="week-grid">
          {columns.map((column) => {
            const day = formatDay(column.date, i18n.language);
            return (
              <section key={column.date} className="day-column" aria-label={`${day.weekday} ${day.date}`}>
                <h2 className="day-heading">
                  <span>{day.weekday}</span>
                  <span className="muted">{day.date}</span>
                </h2>
                {column.slots.length === 0 && <p className="muted small">{t('schedule.noSlots')}</p>}
                {column.slots.map((slot) => (
                  <article key={slot.slotId} className={`slot ${slot.booking ? 'slot-booked' : 'slot-free'} ${slot.liveSession ? 'slot-live' : ''}`} aria-label={`${slot.slotId}${slot.booking ? ` ${slot.booking.studentName}` : ''}`}>
                    <div className="slot-time">
                      {formatTime(slot.startsAt, i18n.language, zone)}–{formatTime(slot.endsAt, i18n.language, zone)}
                    </div>
                    {slot.booking ? (
                      <>
                        <div className="slot-student">{slot.booking.studentName}</div>
                        <div className="slot-type muted">{slot.booking.sessionType}</div>
                        {slot.liveSession ? (
                          <>
                            <div className={`delivery delivery-${slot.liveSession.deliveryState}`} role="status">
                              <span className="live-badge">{t('schedule.live')}</span> {t(`schedule.delivery.${slot.liveSession.deliveryState}`)}
                            </div>
                            <button type="button" className="button primary" onClick={() => void rejoin(slot.liveSession!.sessionId)}>
                              {t('schedule.rejoin')}
                            </button>
                          </>
                        ) : (
                          <button type="button" className="button primary" disabled={busySlot !== null} onClick={() => void start(slot)}>
                            {busySlot === slot.slotId ? t('schedule.starting') : t('schedule.startSession')}
                          </button>
                        )}
                      </>
                    ) : (
                      <div className="muted small">{t('schedule.free')}</div>
                    )}
                  </article>
                ))}
              </section>
            );
          })}
        </div>
      </main>
    </div>
  );
}
