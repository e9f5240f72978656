import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionNotification } from '@contract/api';
import { formatClock, formatSlotWhen } from '../../app/time-format';
import { Avatar } from '../../components/Avatar';
import { ringStateAt } from './inbox-model';
import { useRingtone } from './useRingtone';

interface RingCardProps {
  entry: SessionNotification;
  now: number;
  timeZone: string;
  busy: boolean;
  onJoin(): void;
  onDecline(reason: string | null): void;
}

/** One live session: a call card that rings until answered, or a quiet card once answered or missed. */
export function RingCard({ entry, now, timeZone, busy, onJoin, onDecline }: RingCardProps) {
  const { t, i18n } = useTranslation();
  const [muted, setMuted] = useState(false);
  const [declineOpen, setDeclineOpen] = useState(false);
  const state = ringStateAt(entry.ring, now);
  const ringing = state === 'ringing' || state === 'offline';
  const ringtone = useRingtone(ringing, muted);
  const until = formatClock(entry.expiresAt, i18n.language, timeZone);
  const headline = ringing
    ? t('inbox.calling', { mentor: entry.mentorName })
    : state === 'missed'
      ? t('inbox.missed', { mentor: entry.mentorName, time: until })
      : state === 'declined'
        ? t('inbox.declined', { time: until })
        : t('inbox.live', { mentor: entry.mentorName });
  const titleId = `ring-${entry.sessionId}`;

  return (
    <li className={`card ring-card ring-${state}`} aria-labelledby={titleId} data-ringtone={ringtone}>
      <div className="ring-who">
        <span className={ringing ? 'ring-pulse' : undefined}>
          <Avatar name={entry.mentorName} size="large" />
        </span>
        <div className="ring-text">
          {ringing && <span className="eyebrow">{t('inbox.incoming')}</span>}
          <strong id={titleId}>{headline}</strong>
          <span>
            {entry.sessionType} · {formatSlotWhen(entry.startsAt, entry.endsAt, i18n.language, timeZone, now)}
          </span>
          {ringtone === 'blocked' && <span className="muted small">{t('inbox.soundBlocked')}</span>}
        </div>
      </div>
      <div className="ring-actions">
        <button type="button" className="button primary join" disabled={busy} onClick={onJoin}>
          {t('inbox.join')}
        </button>
        {ringing && (
          <>
            <button type="button" className="button decline" aria-expanded={declineOpen} aria-controls={`${titleId}-replies`} onClick={() => setDeclineOpen(!declineOpen)}>
              {t('inbox.decline')}
            </button>
            <button type="button" className="button ghost" aria-pressed={muted} onClick={() => setMuted(!muted)}>
              {muted ? t('inbox.unmuteRing') : t('inbox.muteRing')}
            </button>
          </>
        )}
      </div>
      {ringing && declineOpen && (
        <div className="quick-replies" id={`${titleId}-replies`} role="group" aria-label={t('inbox.declineWithMessage')}>
          {[t('inbox.replyLate'), t('inbox.replyCantMake')].map((reply) => (
            <button key={reply} type="button" className="button ghost" onClick={() => onDecline(reply)}>
              {reply}
            </button>
          ))}
          <button type="button" className="button ghost" onClick={() => onDecline(null)}>
            {t('inbox.declineSilently')}
          </button>
        </div>
      )}
    </li>
  );
}
