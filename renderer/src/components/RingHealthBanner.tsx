/**
 * Desktop only: when rings cannot reach the screen (notifications off in the app, in Windows, or
 * not supported here), the window says so and how to fix it — a student must never sit in the
 * tray for weeks unrung without knowing. The tray says the same. (The state comes from main
 * through ClassroomProvider, which subscribes before it asks main for anything.)
 */
import { useTranslation } from 'react-i18next';
import { useClassroom } from '../app/ClassroomProvider';

export function RingHealthBanner() {
  const { t } = useTranslation();
  const { ringHealth } = useClassroom();
  if (!ringHealth?.problem) return null;
  return (
    <div className="ring-health" role="alert">
      <strong>{t(`desktop.ringProblem.${ringHealth.problem}.title`)}</strong> <span>{t(`desktop.ringProblem.${ringHealth.problem}.fix`)}</span>
    </div>
  );
}
