// Asks for the reason of a lifecycle action (lock, unlock, withdrawn SDV) and runs it; the reason goes into the audit trail.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isSessionEnd } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';

export function ReasonActionDialog(props: {
  title: string;
  intro: string;
  /** Runs the call with the trimmed reason; a rejection is shown in the dialog. */
  run(reason: string): Promise<void>;
  onCancel(): void;
  /** Without it a lost session shows as an error message in the dialog. */
  onSessionLost?: (() => void) | undefined;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    if (!reason.trim()) return setMissing(true);
    setBusy(true);
    setError(null);
    try {
      await props.run(reason.trim());
    } catch (e) {
      if (isSessionEnd(e) && props.onSessionLost) return props.onSessionLost();
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="modal-backdrop" role="presentation" onKeyDown={(e) => e.key === 'Escape' && props.onCancel()}>
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="reason-action-title" data-testid="reason-action-dialog">
        <h2 id="reason-action-title">{props.title}</h2>
        <p className="muted">{props.intro}</p>
        <label htmlFor="reason-action-input">{t('lifecycle.lockReason')}</label>
        <textarea
          id="reason-action-input"
          rows={3}
          maxLength={500}
          autoFocus
          value={reason}
          onChange={(e) => {
            setReason(e.target.value);
            setMissing(false);
          }}
        />
        {missing && (
          <div className="field-error" role="alert">
            {t('lifecycle.reasonRequired')}
          </div>
        )}
        <ErrorBanner error={error} />
        <div className="actions">
          <button type="button" className="btn" onClick={props.onCancel}>
            {t('lifecycle.cancel')}
          </button>
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void confirm()} data-testid="reason-action-confirm">
            {busy ? t('lifecycle.working') : props.title}
          </button>
        </div>
      </div>
    </div>
  );
}
