import { useTranslation } from 'react-i18next';
import type { ScheduleSlot } from '@contract/api';
import { formatClockRange } from '../../app/time-format';
import { ringStateAt } from '../../components/ring-state';

interface SlotCardProps {
  slot: ScheduleSlot;
  now: number;
  timeZone: string;
  startable: boolean;
  busy: boolean;
  onStart(): void;
  onRejoin(sessionId: string): void;
  onRingAgain(sessionId: string): void;
}

/** One slot of the week: who, what, whether the student is online, and the ring's progress in plain words. */
export function SlotCard({ slot, now, timeZone, startable, busy, onStart, onRejoin, onRingAgain }: SlotCardProps) {
  const { t, i18n } = useTranslation();
  const past = Date.parse(slot.endsAt) <= now;
  const live = slot.liveSession;
  const ring = live ? ringStateAt(live.ring, now) : null;
  const ringText =
    live && ring === 'declined' && live.ring.declineReason ? t('schedule.ring.declinedWithReason', { reason: live.ring.declineReason }) : ring ? t(`schedule.ring.${ring}`) : '';
  const classes = ['slot', slot.booking ? 'slot-booked' : 'slot-free', live ? 'slot-live' : '', past && !live ? 'slot-past' : ''].filter(Boolean).join(' ');

  return (
    <article className={classes} aria-label={`${slot.slotId}${slot.booking ? ` ${slot.booking.studentName}` : ''}`}>
      <div className="slot-time">{formatClockRange(slot.startsAt, slot.endsAt, i18n.language, timeZone)}</div>
      {slot.booking ? (
        <>
          <div className="slot-student">
            <span className={`presence-dot ${slot.booking.online ? 'online' : 'offline'}`} aria-hidden="true" />
            <span>{slot.booking.studentName}</span>
          </div>
          <div className="slot-presence small">{slot.booking.online ? t('schedule.online') : t('schedule.offline')}</div>
          <div className="slot-type muted">{slot.booking.sessionType}</div>
          {live ? (
            <>
              <div className={`delivery ring-${ring}`} role="status">
                <span className="live-badge">{t('schedule.live')}</span> <span>{ringText}</span>
              </div>
              <button type="button" className="button primary" onClick={() => onRejoin(live.sessionId)}>
                {t('schedule.rejoin')}
              </button>
              {(ring === 'declined' || ring === 'missed') && (
                <button type="button" className="button ghost" onClick={() => onRingAgain(live.sessionId)}>
                  {t('schedule.ringAgain')}
                </button>
              )}
            </>
          ) : (
            startable && (
              <button type="button" className="button primary" disabled={busy} onClick={onStart}>
                {t('schedule.startSession')}
              </button>
            )
          )}
        </>
      ) : (
        <div className="muted small">{t('schedule.free')}</div>
      )}
    </article>
  );
}
