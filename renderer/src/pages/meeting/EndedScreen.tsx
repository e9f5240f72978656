import { useTranslation } from 'react-i18next';
import { Avatar } from '../../components/Avatar';
import { formatDuration } from '../../app/time-format';
import type { Meeting } from './useMeeting';

/** After the call: with whom, how long, and the way back (or back in, when only I left or was taken over). */
export function EndedScreen({ meeting, homeLabel, onHome }: { meeting: Meeting; homeLabel: string; onHome(): void }) {
  const { t, i18n } = useTranslation();
  const { phase, join, joinedAt, leftAt } = meeting;
  const title =
    phase === 'taken-over' ? t('meeting.takenOver') : phase === 'left' ? t('meeting.leftTitle') : phase === 'ended' ? t('meeting.endedTitle') : t('meeting.couldNotJoin');
  return (
    <main className="page page-ended">
      <section className="card ended" aria-labelledby="ended-title">
        {join && <Avatar name={join.peer.name} size="large" />}
        <h1 id="ended-title">{title}</h1>
        {phase === 'taken-over' && <p>{t('meeting.takenOverText')}</p>}
        {join && phase !== 'error' && <p className="muted">{t('meeting.endedWith', { type: join.sessionType, name: join.peer.name })}</p>}
        {joinedAt !== null && leftAt !== null && phase !== 'taken-over' && <p>{t('meeting.duration', { duration: formatDuration(leftAt - joinedAt, i18n.language) })}</p>}
        {meeting.message && (
          <p className="error" role="alert">
            {meeting.message}
          </p>
        )}
        <div className="ended-actions">
          {phase === 'taken-over' && (
            <button type="button" className="button primary" onClick={() => void meeting.useHere()}>
              {t('meeting.useHere')}
            </button>
          )}
          {phase === 'left' && (
            <button type="button" className="button primary" onClick={() => void meeting.useHere()}>
              {t('meeting.rejoin')}
            </button>
          )}
          <button type="button" className={`button ${phase === 'ended' || phase === 'error' ? 'primary' : 'ghost'}`} onClick={onHome}>
            {homeLabel}
          </button>
        </div>
      </section>
    </main>
  );
}
