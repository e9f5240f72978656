import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { PastSessionsData } from '@contract/api';
import { useClassroom } from '../../app/ClassroomProvider';
import { PATHS } from '../../app/routes';
import { viewerTimeZone, zoneLabel } from '../../app/time-format';
import { usePageTitle } from '../../components/hooks';
import { PageFrame } from '../../components/PageFrame';
import { errorMessage } from '../../components/error-message';
import { currentCursor, firstPage, formatDuration, formatWhen, newerPage, olderPage } from './past-sessions-model';

const PAGE_SIZE = 20;

/** The mentor's ended sessions, newest first, a page at a time: date, student, type, duration, ring outcome. */
export function PastSessionsPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('pastSessions.title'));
  const { api } = useClassroom();
  const [trail, setTrail] = useState(firstPage);
  const [data, setData] = useState<PastSessionsData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const cursor = currentCursor(trail);

  useEffect(() => {
    const controller = new AbortController();
    api.pastSessions({ limit: PAGE_SIZE, cursor }, controller.signal).then(
      (page) => {
        setData(page);
        setError(null);
      },
      (caught: unknown) => {
        if (!controller.signal.aborted) setError(errorMessage(t, caught));
      },
    );
    return () => controller.abort();
  }, [api, cursor, t]);

  const zone = viewerTimeZone();
  const units = { hour: t('pastSessions.hours'), minute: t('pastSessions.minutes'), underAMinute: t('pastSessions.underAMinute') };

  return (
    <PageFrame
      name="past-sessions"
      title={t('pastSessions.title')}
      subtitle={t('time.timesIn', { zone: zoneLabel(zone, i18n.language, t) })}
      error={error}
      actions={
        <Link className="button ghost" to={PATHS.schedule}>
          ‹ {t('schedule.title')}
        </Link>
      }
    >
      {data && data.sessions.length === 0 && trail.index === 0 && <p className="muted">{t('pastSessions.empty')}</p>}
      {/* Explicit roles: the narrow layout restyles the cells as blocks, which drops their implicit table roles. */}
      {data && data.sessions.length > 0 && (
        <table className="past-sessions card" role="table">
          <thead role="rowgroup">
            <tr role="row">
              <th scope="col" role="columnheader">{t('pastSessions.date')}</th>
              <th scope="col" role="columnheader">{t('pastSessions.student')}</th>
              <th scope="col" role="columnheader">{t('pastSessions.type')}</th>
              <th scope="col" role="columnheader">{t('pastSessions.duration')}</th>
              <th scope="col" role="columnheader">{t('pastSessions.outcome')}</th>
            </tr>
          </thead>
          <tbody role="rowgroup">
            {data.sessions.map((session) => (
              <tr key={session.sessionId} role="row">
                <td role="cell" data-label={t('pastSessions.date')}>{formatWhen(session.startedAt, i18n.language, zone)}</td>
                <td role="cell" data-label={t('pastSessions.student')}>{session.studentName}</td>
                <td role="cell" data-label={t('pastSessions.type')}>{session.sessionType}</td>
                <td role="cell" data-label={t('pastSessions.duration')}>
                  {formatDuration(session.durationSeconds, units)}
                  {session.endReason === 'expired' && <span className="muted small"> · {t('pastSessions.expired')}</span>}
                </td>
                <td role="cell" data-label={t('pastSessions.outcome')}>
                  <span className={`outcome outcome-${session.ringOutcome}`}>
                    {session.declineReason ? t('pastSessions.ring.declinedWithReason', { reason: session.declineReason }) : t(`pastSessions.ring.${session.ringOutcome}`)}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && (trail.index > 0 || data.nextCursor) && (
        <nav className="pager" aria-label={t('pastSessions.pages')}>
          <button type="button" className="button ghost" disabled={trail.index === 0} onClick={() => setTrail(newerPage)}>
            ‹ {t('pastSessions.newer')}
          </button>
          <span className="muted small">{t('pastSessions.page', { page: trail.index + 1 })}</span>
          <button type="button" className="button ghost" disabled={!data.nextCursor} onClick={() => data.nextCursor && setTrail((current) => olderPage(current, data.nextCursor!))}>
            {t('pastSessions.older')} ›
          </button>
        </nav>
      )}
    </PageFrame>
  );
}
