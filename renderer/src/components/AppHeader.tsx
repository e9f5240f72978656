import { useTranslation } from 'react-i18next';
import { changeLanguage, LANGUAGES, type Language } from '../app/i18n';
import { Link } from 'react-router';
import { useClassroom } from '../app/ClassroomProvider';
import { PATHS } from '../app/routes';
import { desktopBridge } from '../services/desktop';

/** Brand, connection state, language switch and sign-out: the same on every page. */
export function AppHeader() {
  const { t, i18n } = useTranslation();
  const { user, realtimeState, signOut } = useClassroom();
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">◐</span>
        <span className="brand-name">{t('appName')}</span>
      </div>
      <div className="header-tools">
        {user && (
          <span className={`connection connection-${realtimeState}`} role="status">
            <span className="dot" aria-hidden="true" />
            {t(`connection.${realtimeState}`)}
          </span>
        )}
        <label className="language">
          <span className="visually-hidden">{t('language')}</span>
          <select aria-label={t('language')} value={i18n.language} onChange={(e) => void changeLanguage(e.target.value as Language)}>
            {LANGUAGES.map((language) => (
              <option key={language} value={language}>
                {language === 'vi' ? 'Tiếng Việt' : 'English'}
              </option>
            ))}
          </select>
        </label>
        {desktopBridge() && (
          <Link className="button ghost" to={PATHS.settings}>
            {t('settings.link')}
          </Link>
        )}
        {user && (
          <>
            {/* The name opens the user's devices (as an account menu would), which keeps a narrow header short. */}
            <Link className="button ghost user-name" to={PATHS.devices} title={t('devices.title')}>
              {user.name}
              <span className="visually-hidden"> — {t('devices.title')}</span>
            </Link>
            <button type="button" className="button ghost" onClick={() => void signOut()}>
              {t('signOut')}
            </button>
          </>
        )}
      </div>
    </header>
  );
}
