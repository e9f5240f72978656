/**
 * Desktop only: the page asked to share its screen, and main lists what can be shared. Nothing is
 * shared until the person picks a screen or a window; Cancel (or Escape) shares nothing.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScreenSource } from '@contract/ipc';
import { desktopBridge } from '../services/desktop';

export function ScreenSourcePicker() {
  const { t } = useTranslation();
  const [request, setRequest] = useState<{ requestId: number; sources: ScreenSource[] } | null>(null);
  const first = useRef<HTMLButtonElement>(null);

  useEffect(() => desktopBridge()?.onPickScreenSource(setRequest), []);
  useEffect(() => {
    if (request) first.current?.focus();
  }, [request]);

  if (!request) return null;
  const choose = (sourceId: string | null) => {
    void desktopBridge()?.chooseScreenSource(request.requestId, sourceId);
    setRequest(null);
  };
  return (
    <div className="dialog-backdrop">
      <div className="card dialog screen-picker" role="dialog" aria-modal="true" aria-labelledby="screen-picker-title" onKeyDown={(event) => event.key === 'Escape' && choose(null)}>
        <h2 id="screen-picker-title">{t('desktop.screenPicker.title')}</h2>
        <p className="muted">{t('desktop.screenPicker.hint')}</p>
        <ul className="screen-sources">
          {request.sources.map((source, index) => (
            <li key={source.id}>
              <button ref={index === 0 ? first : undefined} type="button" className="screen-source" onClick={() => choose(source.id)}>
                <img src={source.thumbnail} alt="" />
                <span>{source.name}</span>
              </button>
            </li>
          ))}
        </ul>
        <div className="dialog-actions">
          <button type="button" className="button ghost" onClick={() => choose(null)}>
            {t('desktop.screenPicker.cancel')}
          </button>
        </div>
      </div>
    </div>
  );
}
