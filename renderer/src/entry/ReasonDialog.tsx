// Asks for the reason for change before saved data is changed (the reason goes into the audit trail).
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

export function ReasonDialog({ onConfirm, onCancel }: { onConfirm(reason: string): void; onCancel(): void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [error, setError] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const confirm = () => {
    if (!reason.trim()) {
      setError(true);
      return;
    }
    onConfirm(reason.trim());
  };
  return (
    <div className="modal-backdrop" role="presentation" onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="reason-title">
        <h2 id="reason-title">{t('entry.form.reasonTitle')}</h2>
        <p className="muted">{t('entry.form.reasonIntro')}</p>
        <label htmlFor="reason-input">{t('entry.form.reasonLabel')}</label>
        <textarea
          id="reason-input"
          ref={ref}
          rows={3}
          maxLength={500}
          value={reason}
          placeholder={t('entry.form.reasonPlaceholder')}
          onChange={(e) => {
            setReason(e.target.value);
            setError(false);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) confirm();
          }}
        />
        {error && (
          <div className="field-error" role="alert">
            {t('entry.form.reasonRequired')}
          </div>
        )}
        <div className="actions">
          <button type="button" className="btn" onClick={onCancel}>
            {t('entry.form.cancel')}
          </button>
          <button type="button" className="btn btn-primary" onClick={confirm}>
            {t('entry.form.confirm')}
          </button>
        </div>
      </div>
    </div>
  );
}
