import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DesktopBridge, SettingChange, SettingKey, Settings } from '@contract/ipc';
import { changeLanguage } from '../../app/i18n';

const TOGGLES: Array<Exclude<SettingKey, 'serverUrl' | 'language'>> = ['startAtLogin', 'startMinimised', 'notifications', 'autoUpdate'];

/**
 * The desktop app's preferences. Settings IT enforces by machine policy are shown but cannot be
 * changed here (main refuses them too). A new server URL needs a new sign-in on that server.
 */
export function SettingsForm({ bridge, onServerChanged }: { bridge: DesktopBridge; onServerChanged: () => void }) {
  const { t } = useTranslation();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [locked, setLocked] = useState<SettingKey[]>([]);
  const [serverUrl, setServerUrl] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void bridge.getState().then((state) => {
      setSettings(state.settings);
      setLocked(state.lockedSettings);
      setServerUrl(state.settings.serverUrl);
    });
  }, [bridge]);

  const save = async (change: SettingChange) => {
    try {
      setSettings((await bridge.setSetting(change)).settings);
      if (change.key === 'language' && change.value !== 'system') void changeLanguage(change.value);
      setError(null);
      return true;
    } catch (caught) {
      setError((caught as Error).message);
      return false;
    }
  };

  if (!settings) return null;
  const lockedNote = (key: SettingKey) => (locked.includes(key) ? <span className="muted small"> — {t('settings.locked')}</span> : null);

  return (
    <form className="card settings" onSubmit={(event) => event.preventDefault()} aria-labelledby="settings-title">
      <h1 id="settings-title">{t('settings.title')}</h1>
      <label className="field">
        <span>
          {t('settings.serverUrl')}
          {lockedNote('serverUrl')}
        </span>
        <input value={serverUrl} disabled={locked.includes('serverUrl')} onChange={(e) => setServerUrl(e.target.value)} inputMode="url" />
      </label>
      <button
        type="button"
        className="button ghost"
        disabled={locked.includes('serverUrl') || serverUrl === settings.serverUrl}
        onClick={() => void save({ key: 'serverUrl', value: serverUrl.trim() }).then((ok) => ok && onServerChanged())}
      >
        {t('settings.useServer')}
      </button>
      {TOGGLES.map((key) => (
        <label key={key} className="toggle">
          <input type="checkbox" checked={settings[key]} disabled={locked.includes(key)} onChange={(e) => void save({ key, value: e.target.checked })} />
          <span>
            {t(`settings.${key}`)}
            {lockedNote(key)}
          </span>
        </label>
      ))}
      <label className="field">
        <span>
          {t('settings.language')}
          {lockedNote('language')}
        </span>
        <select value={settings.language} disabled={locked.includes('language')} onChange={(e) => void save({ key: 'language', value: e.target.value as Settings['language'] })}>
          <option value="system">{t('settings.system')}</option>
          <option value="en">English</option>
          <option value="vi">Tiếng Việt</option>
        </select>
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
