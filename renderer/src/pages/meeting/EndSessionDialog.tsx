import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

/** "End session" asks first: a modal dialog (focus held inside, Escape cancels). */
export function EndSessionDialog({ open, peerName, error, onCancel, onConfirm }: { open: boolean; peerName: string; error: string | null; onCancel(): void; onConfirm(): void }) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  return (
    <dialog ref={dialog} className="card confirm-dialog" aria-labelledby="end-title" aria-describedby="end-text" onCancel={onCancel} onClose={() => open && onCancel()}>
      <h2 id="end-title">{t('meeting.endConfirmTitle')}</h2>
      <p id="end-text">{t('meeting.endConfirmText', { name: peerName })}</p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="button ghost" onClick={onCancel} autoFocus>
          {t('meeting.cancel')}
        </button>
        <button type="button" className="button danger" onClick={onConfirm}>
          {t('meeting.end')}
        </button>
      </div>
    </dialog>
  );
}
