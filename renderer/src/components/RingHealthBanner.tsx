/**
 * Desktop only: when rings cannot reach the screen (notifications off in the app, in Windows, or
 * not supported here), the window says so and how to fix it — a student must never sit in the
 * tray for weeks unrung without knowing. The tray says the same.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RingHealth } from '@contract/ipc';
import { desktopBridge } from '../services/desktop';

export function RingHealthBanner() {
  const { t } = useTranslation();
  const [health, setHealth] = useState<RingHealth | null>(null);

  useEffect(() => {
    const desktop = desktopBridge();
    if (!desktop) return;
    const off = desktop.onRingHealth(setHealth);
    void desktop.getState().then((state) => setHealth(state.ringHealth));
    return off;
  }, []);

  if (!health?.problem) return null;
  return (
    <div className="ring-health" role="alert">
      <strong>{t(`desktop.ringProblem.${health.problem}.title`)}</strong> <span>{t(`desktop.ringProblem.${health.problem}.fix`)}</span>
    </div>
  );
}
