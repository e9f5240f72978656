/**
 * `/meeting?roomId=…&token=…&role=…` (also with our `sessionId`): pre-join, the room, and what
 * comes after. All state lives in `useMeeting`; this page only picks the screen. Loaded lazily, so
 * the media engines (and ZEGO's SDK) never weigh on sign-in.
 */
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useClassroom } from '../../app/ClassroomProvider';
import { homePathFor } from '../../app/routes';
import { AppHeader } from '../../components/AppHeader';
import { usePageTitle } from '../../components/hooks';
import { CallRoom } from './CallRoom';
import { EndedScreen } from './EndedScreen';
import { PreJoin } from './PreJoin';
import { useMeeting } from './useMeeting';

export default function MeetingPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { user } = useClassroom();
  const roomId = params.get('roomId');
  const sessionId = params.get('sessionId');
  const meeting = useMeeting({ roomId, sessionId, role: params.get('role') });
  usePageTitle(meeting.join ? t('meeting.title', { type: meeting.join.sessionType, name: meeting.join.peer.name }) : t('titles.meeting'));
  const role = user?.role ?? 'student';
  const home = homePathFor(role);

  // Without a room there is nothing to join: home, not someone else's page.
  if (!roomId && !sessionId) return <Navigate to={home} replace />;
  if (meeting.phase === 'joining' || meeting.phase === 'in-call') return <CallRoom meeting={meeting} />;

  return (
    <div className="app">
      <AppHeader />
      {meeting.phase === 'loading' && (
        <main className="page">
          <p role="status">{t('meeting.state.preparing')}</p>
        </main>
      )}
      {meeting.phase === 'prejoin' && meeting.join && (
        <PreJoin join={meeting.join} participants={meeting.participants} initial={meeting.toggles} onJoin={(stream, toggles) => void meeting.enter(stream, toggles)} onCancel={() => navigate(home)} />
      )}
      {(meeting.phase === 'ended' || meeting.phase === 'left' || meeting.phase === 'taken-over' || meeting.phase === 'error') && (
        <EndedScreen meeting={meeting} homeLabel={role === 'mentor' ? t('meeting.backToWeek') : t('meeting.backToSessions')} onHome={() => navigate(home)} />
      )}
    </div>
  );
}
