import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { MentorWeekData, ScheduleSlot } from '@contract/api';
import { useClassroom } from '../../app/ClassroomProvider';
import { meetingUrl, PATHS } from '../../app/routes';
import { formatClock, formatClockRange, formatDuration, viewerTimeZone, zoneLabel } from '../../app/time-format';
import { PageFrame } from '../../components/PageFrame';
import { errorMessage } from '../../components/error-message';
import { useMediaQuery, useNow, usePageTitle } from '../../components/hooks';
import { addDaysToDate, formatDay, localDate, upNext, weekColumns, weekParam } from './schedule-model';
import { SlotCard } from './SlotCard';

/** The mentor's Monday–Sunday week (`?week=YYYY-MM-DD`): today and now marked, Up next, the ring live. */
export function ScheduleWeek() {
  const { t, i18n } = useTranslation();
  const { api, user, realtime } = useClassroom();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  usePageTitle(t('titles.schedule'));
  const week = weekParam(params.get('week'));
  const [data, setData] = useState<MentorWeekData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busySlot, setBusySlot] = useState<string | null>(null);
  const [agendaDay, setAgendaDay] = useState<string | null>(null);
  const narrow = useMediaQuery('(max-width: 599px)');
  const now = useNow(1000);
  const zone = viewerTimeZone();

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

  // The ring, presence and ends arrive live; the week is re-read so the grid stays the server's truth.
  useEffect(() => {
    if (!realtime) return;
    const offs = [
      realtime.onRingState(() => void load()),
      realtime.onDeliveryState(() => void load()),
      realtime.onSessionEnded(() => void load()),
      realtime.onReconnected(() => void load()),
      realtime.onPresence(({ userId, online }) =>
        setData((current) => current && { ...current, slots: current.slots.map((s) => (s.booking?.studentId === userId ? { ...s, booking: { ...s.booking, online } } : s)) }),
      ),
    ];
    return () => offs.forEach((off) => off());
  }, [realtime, load]);

  const columns = useMemo(() => (data ? weekColumns(data.weekStart, data.slots, zone) : []), [data, zone]);
  const isThisWeek = data !== null && data.weekStart === data.thisWeekStart;
  const today = localDate(new Date(now).toISOString(), zone);
  const next = isThisWeek && data ? upNext(data.slots, now) : null;
  const shownColumns = narrow ? columns.filter((c) => c.date === (agendaDay ?? (columns.some((d) => d.date === today) ? today : columns[0]?.date))) : columns;

  const goToWeek = (target: string | undefined) => setParams(target ? { week: target } : {});
  const run = async (action: () => Promise<void>) => {
    try {
      await action();
    } catch (caught) {
      setError(errorMessage(t, caught));
      setBusySlot(null);
      void load();
    }
  };
  const start = (slot: ScheduleSlot) =>
    run(async () => {
      if (!user || !slot.booking) return;
      setBusySlot(slot.slotId);
      const created = await api.createSession({ mentorId: user.id, studentId: slot.booking.studentId, slotId: slot.slotId, sessionType: slot.booking.sessionType });
      navigate(meetingUrl({ roomId: created.roomId, token: created.token, role: 'mentor', sessionId: created.sessionId }));
    });
  const rejoin = (sessionId: string) =>
    run(async () => {
      const joined = await api.joinSession(sessionId);
      navigate(meetingUrl({ roomId: joined.roomId, token: joined.token, role: 'mentor', sessionId }));
    });
  const ringAgain = (sessionId: string) => run(async () => void (await api.ringAgain(sessionId), await load()));
  const card = (slot: ScheduleSlot) => (
    <SlotCard key={slot.slotId} slot={slot} now={now} timeZone={zone} startable={isThisWeek} busy={busySlot !== null} onStart={() => void start(slot)} onRejoin={(id) => void rejoin(id)} onRingAgain={(id) => void ringAgain(id)} />
  );

  return (
    <PageFrame
      name="schedule"
      title={t('schedule.title')}
      subtitle={data && `${t('schedule.weekOf', { date: formatDay(data.weekStart, i18n.language).date })} · ${t('time.timesIn', { zone: zoneLabel(zone, i18n.language, t, now) })}`}
      error={error}
      actions={
        <nav className="week-nav" aria-label={t('schedule.title')}>
          <button type="button" className="button ghost" onClick={() => data && goToWeek(addDaysToDate(data.weekStart, -7))}>
            <span aria-hidden="true">‹ </span>
            {t('schedule.previousWeek')}
          </button>
          <button type="button" className="button ghost" aria-current={isThisWeek ? 'date' : undefined} onClick={() => goToWeek(undefined)}>
            {t('schedule.thisWeek')}
          </button>
          <button type="button" className="button ghost" onClick={() => data && goToWeek(addDaysToDate(data.weekStart, 7))}>
            {t('schedule.nextWeek')}
            <span aria-hidden="true"> ›</span>
          </button>
          <Link className="button ghost" to={PATHS.pastSessions}>
            {t('pastSessions.link')}
          </Link>
        </nav>
      }
    >
      {data && !isThisWeek && <p className="hint week-hint">{t('schedule.onlyThisWeek')}</p>}
      {isThisWeek && (
        <section className="card up-next" aria-labelledby="up-next-title">
          <h2 id="up-next-title">{t('schedule.upNext')}</h2>
          {next ? (
            <p>
              <strong>{next.slot.booking?.studentName}</strong> · {next.slot.booking?.sessionType} · {formatDay(localDate(next.slot.startsAt, zone), i18n.language).weekday}{' '}
              {formatClockRange(next.slot.startsAt, next.slot.endsAt, i18n.language, zone)} ·{' '}
              <span className="up-next-when">{next.current ? t('schedule.happeningNow') : t('schedule.startsIn', { duration: formatDuration(Date.parse(next.slot.startsAt) - now, i18n.language) })}</span>
            </p>
          ) : (
            <p className="muted">{t('schedule.nothingNext')}</p>
          )}
        </section>
      )}
      {narrow && (
        <div className="day-picker" role="group" aria-label={t('schedule.day')}>
          {columns.map((column) => {
            const day = formatDay(column.date, i18n.language);
            const selected = shownColumns[0]?.date === column.date;
            return (
              <button key={column.date} type="button" className={`day-chip ${column.date === today ? 'today' : ''}`} aria-pressed={selected} onClick={() => setAgendaDay(column.date)}>
                <span>{day.shortWeekday}</span>
                <span>{day.date.split(' ')[0]}</span>
              </button>
            );
          })}
        </div>
      )}
      <div className={narrow ? 'agenda' : 'week-grid'}>
        {shownColumns.map((column) => {
          const day = formatDay(column.date, i18n.language);
          const isToday = column.date === today;
          const nowIndex = isToday ? column.slots.findIndex((s) => Date.parse(s.startsAt) > now) : -1;
          const nowLine = (
            <div className="now-line" key="now">
              <span>{t('schedule.now', { time: formatClock(now, i18n.language, zone) })}</span>
            </div>
          );
          return (
            <section key={column.date} className={`day-column ${isToday ? 'today' : ''} ${column.date < today ? 'past' : ''}`} aria-label={`${day.weekday} ${day.date}`}>
              <h2 className="day-heading">
                <span>{day.weekday}</span>
                <span className="muted">
                  {day.date}
                  {isToday && <span className="today-badge"> · {t('schedule.today')}</span>}
                </span>
              </h2>
              {column.slots.length === 0 && <p className="muted small">{t('schedule.noSlots')}</p>}
              {column.slots.map((slot, index) => (index === nowIndex ? [nowLine, card(slot)] : card(slot)))}
              {isToday && nowIndex === -1 && nowLine}
            </section>
          );
        })}
      </div>
    </PageFrame>
  );
}
