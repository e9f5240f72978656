import { lazy, Suspense, type ReactNode } from 'react';
import { BrowserRouter, HashRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import type { Role } from '@contract/domain';
import { LoginPage } from '../pages/login/LoginPage';
import { InboxPage } from '../pages/inbox/InboxPage';
import { PastSessionsPage } from '../pages/past-sessions/PastSessionsPage';
import { ScheduleWeek } from '../pages/schedule/ScheduleWeek';
import { SettingsPage } from '../pages/settings/SettingsPage';
import { SetPasswordPage } from '../pages/set-password/SetPasswordPage';
import { DevicesPage } from '../pages/devices/DevicesPage';
import { ClassroomProvider, useClassroom } from './ClassroomProvider';
import { desktopBridge } from '../services/desktop';
import { homePathFor, PATHS } from './routes';
import { DesktopLinks } from '../components/DesktopLinks';
import { RingHealthBanner } from '../components/RingHealthBanner';
import { ScreenSourcePicker } from '../components/ScreenSourcePicker';

// The meeting route (and, through it, the ZEGO SDK) is its own chunk: sign-in stays light.
const MeetingPage = lazy(() => import('../pages/meeting/MeetingPage'));

function RequireUser({ role, children }: { role?: Role; children: ReactNode }) {
  const { user } = useClassroom();
  const location = useLocation();
  if (!user) return <Navigate to={`${PATHS.login}?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (role && user.role !== role) return <Navigate to={homePathFor(user.role)} replace />;
  return <>{children}</>;
}

function Home() {
  const { user } = useClassroom();
  return <Navigate to={user ? homePathFor(user.role) : PATHS.login} replace />;
}

function AppRoutes() {
  return (
    <>
    {desktopBridge() && (
      <>
        <RingHealthBanner />
        <DesktopLinks />
        <ScreenSourcePicker />
      </>
    )}
    <Routes>
      <Route path={PATHS.login} element={<LoginPage />} />
      <Route path={PATHS.setPassword} element={<SetPasswordPage />} />
      <Route path={PATHS.devices} element={<RequireUser><DevicesPage /></RequireUser>} />
      <Route path={PATHS.schedule} element={<RequireUser role="mentor"><ScheduleWeek /></RequireUser>} />
      <Route path={PATHS.pastSessions} element={<RequireUser role="mentor"><PastSessionsPage /></RequireUser>} />
      <Route path={PATHS.inbox} element={<RequireUser role="student"><InboxPage /></RequireUser>} />
      <Route path={PATHS.settings} element={<SettingsPage />} />
      <Route
        path={PATHS.meeting}
        element={
          <RequireUser>
            <Suspense fallback={<p className="page" role="status">…</p>}>
              <MeetingPage />
            </Suspense>
          </RequireUser>
        }
      />
      <Route path="*" element={<Home />} />
    </Routes>
    </>
  );
}

/** Browser routes on the web; hash routes in the desktop app (docs/interface.md, routes). */
export function App() {
  const Router = desktopBridge() ? HashRouter : BrowserRouter;
  return (
    <ClassroomProvider>
      <Router>
        <AppRoutes />
      </Router>
    </ClassroomProvider>
  );
}
