import { useTranslation } from 'react-i18next';
import { useClassroom } from '../../app/ClassroomProvider';
import { AppHeader } from '../../components/AppHeader';
import { usePageTitle } from '../../components/hooks';
import { desktopBridge } from '../../services/desktop';
import { SettingsForm } from './SettingsForm';

export function SettingsPage() {
  const { t } = useTranslation();
  const { signOut } = useClassroom();
  const bridge = desktopBridge();
  usePageTitle(t('titles.settings'));
  return (
    <div className="app">
      <AppHeader />
      <main className="page page-settings">
        {bridge ? (
          <SettingsForm
            bridge={bridge}
            onServerChanged={() => {
              // The sign-in belongs to the old server: sign in again on the new one.
              void signOut().then(() => window.location.reload());
            }}
          />
        ) : (
          <>
            <h1>{t('settings.title')}</h1>
            <p className="card">{t('settings.desktopOnly')}</p>
          </>
        )}
      </main>
    </div>
  );
}
