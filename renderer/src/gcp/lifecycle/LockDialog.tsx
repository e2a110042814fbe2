// Asks the admin for the reason to lock or unlock a form or a whole casebook (the reason goes into the audit trail).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallArgs } from '../../../../shared/api/contract';
import { call, isSessionEnd } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';

type LockTarget = CallArgs<'lifecycle.lock'> extends infer A ? (A extends unknown ? Omit<A, 'reason'> : never) : never;

export function LockDialog(props: {
  action: 'lock' | 'unlock';
  target: LockTarget;
  title: string;
  intro: string;
  onDone(forms: number): void;
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
      const args = { ...props.target, reason: reason.trim() } as CallArgs<'lifecycle.lock'>;
      const result = await call(props.action === 'lock' ? 'lifecycle.lock' : 'lifecycle.unlock', args);
      props.onDone(result.forms);
    } catch (e) {
      if (isSessionEnd(e) && props.onSessionLost) return props.onSessionLost();
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="modal-backdrop" role="presentation" onKeyDown={(e) => e.key === 'Escape' && props.onCancel()}>
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="lock-title" data-testid="lock-dialog">
        <h2 id="lock-title">{props.title}</h2>
        <p className="muted">{props.intro}</p>
        <label htmlFor="lock-reason">{t('lifecycle.lockReason')}</label>
        <textarea
          id="lock-reason"
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
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void confirm()} data-testid="lock-confirm">
            {busy ? t('lifecycle.working') : props.title}
          </button>
        </div>
      </div>
    </div>
  );
}
