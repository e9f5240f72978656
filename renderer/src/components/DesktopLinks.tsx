/**
 * Desktop only: sessions the main process asks the window to open (notification click, tray,
 * classroom:// links, also ones that arrived before the window was ready — it takes those when it
 * subscribes). A link that arrives during a meeting asks before leaving it.
 */
import { useCallback, useEffect, useEffectEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { useClassroom } from '../app/ClassroomProvider';
import { homePathFor, meetingUrl, PATHS } from '../app/routes';
import { desktopBridge } from '../services/desktop';

export function DesktopLinks() {
  const { t } = useTranslation();
  const { api, user } = useClassroom();
  const navigate = useNavigate();
  const location = useLocation();
  const [asking, setAsking] = useState<string | null>(null);
  const stayButton = useRef<HTMLButtonElement>(null);

  const open = useCallback(
    (sessionId: string) => {
      if (!user) return;
      void api.joinSession(sessionId).then(
        (joined) => navigate(meetingUrl({ roomId: joined.roomId, token: joined.token, role: joined.role, sessionId })),
        () => navigate(homePathFor(user.role)),
      );
    },
    [api, user, navigate],
  );

  /** In a meeting, another session is asked about first; the same one is already open. */
  const request = useEffectEvent((sessionId: string) => {
    if (location.pathname !== PATHS.meeting) return open(sessionId);
    if (new URLSearchParams(location.search).get('sessionId') === sessionId) return;
    setAsking(sessionId);
  });

  useEffect(() => {
    const desktop = desktopBridge();
    if (!desktop || !user) return;
    const off = desktop.onJoinSession(({ sessionId }) => request(sessionId));
    void desktop.takeDeepLinks().then((links) => links.forEach(({ sessionId }) => request(sessionId)));
    return off;
  }, [user]);

  useEffect(() => {
    if (asking) stayButton.current?.focus();
  }, [asking]);

  if (!asking) return null;
  const stay = () => setAsking(null);
  return (
    <div className="dialog-backdrop">
      <div className="card dialog" role="alertdialog" aria-modal="true" aria-labelledby="leave-meeting-title" aria-describedby="leave-meeting-body" onKeyDown={(event) => event.key === 'Escape' && stay()}>
        <h2 id="leave-meeting-title">{t('desktop.leaveMeeting.title')}</h2>
        <p id="leave-meeting-body">{t('desktop.leaveMeeting.body')}</p>
        <div className="dialog-actions">
          <button ref={stayButton} type="button" className="button ghost" onClick={stay}>
            {t('desktop.leaveMeeting.stay')}
          </button>
          <button
            type="button"
            className="button primary"
            onClick={() => {
              setAsking(null);
              open(asking);
            }}
          >
            {t('desktop.leaveMeeting.leave')}
          </button>
        </div>
      </div>
    </div>
  );
}
