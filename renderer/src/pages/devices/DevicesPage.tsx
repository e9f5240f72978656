import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Device } from '@contract/api';
import { useClassroom } from '../../app/ClassroomProvider';
import { homePathFor } from '../../app/routes';
import { PageFrame } from '../../components/PageFrame';
import { errorMessage } from '../../components/error-message';
import { usePageTitle } from '../../components/hooks';

const formatDate = (iso: string, locale: string) => new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));

/**
 * The signed-in user's devices (each app or browser that stays signed in), most recently active
 * first; any of them can be signed out here. Signing out this device is the header's sign-out.
 */
export function DevicesPage() {
  const { t, i18n } = useTranslation();
  const { api, user, signOut } = useClassroom();
  const [devices, setDevices] = useState<Device[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  /** The device just signed out (the sentence follows the language). */
  const [signedOutDevice, setSignedOutDevice] = useState<Device | null>(null);
  const [error, setError] = useState<string | null>(null);
  usePageTitle(t('devices.title'));
  // The server names a device by its browser and OS, or by the name the app gave; one it cannot recognise comes without a name.
  const labelOf = (device: Device) => device.label || t('devices.unknown');

  useEffect(() => {
    const controller = new AbortController();
    api.devices(controller.signal).then(
      (data) => setDevices(data.devices),
      (caught: unknown) => {
        if (!controller.signal.aborted) setError(errorMessage(t, caught));
      },
    );
    return () => controller.abort();
  }, [api, t]);

  const signOutDevice = async (device: Device) => {
    setBusy(device.id);
    setError(null);
    setSignedOutDevice(null);
    try {
      if (device.current) {
        await signOut();
        return;
      }
      await api.signOutDevice(device.id);
      setDevices((list) => list?.filter((d) => d.id !== device.id) ?? null);
      setSignedOutDevice(device);
    } catch (caught) {
      setError(errorMessage(t, caught));
    } finally {
      setBusy(null);
    }
  };

  return (
    <PageFrame
      name="devices"
      title={t('devices.title')}
      error={error}
      actions={
        user && (
          <Link className="button ghost" to={homePathFor(user.role)}>
            ‹ {user.role === 'mentor' ? t('schedule.title') : t('inbox.title')}
          </Link>
        )
      }
    >
      <p className="muted devices-intro">{t('devices.intro')}</p>
      {signedOutDevice && (
        <p className="notice-ok" role="status">
          {t('devices.signedOut', { label: labelOf(signedOutDevice) })}
        </p>
      )}
      {devices && devices.length === 0 && <p className="muted">{t('devices.empty')}</p>}
      {devices && devices.length > 0 && (
        <ul className="device-list" aria-label={t('devices.title')}>
          {devices.map((device) => (
            <li key={device.id} className="card device" aria-label={device.current ? `${labelOf(device)} (${t('devices.thisDevice')})` : labelOf(device)}>
              <div className="device-text">
                <span className="device-label">
                  {labelOf(device)}
                  {device.current && <span className="this-device">{t('devices.thisDevice')}</span>}
                </span>
                <span className="muted small">{t('devices.lastSeen', { date: formatDate(device.lastSeenAt, i18n.language) })}</span>
                <span className="muted small">{t('devices.signedIn', { date: formatDate(device.createdAt, i18n.language) })}</span>
              </div>
              <button type="button" className="button ghost" disabled={busy !== null} onClick={() => void signOutDevice(device)}>
                {t('devices.signOut')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </PageFrame>
  );
}
