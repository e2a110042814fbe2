// The monitor's dialog to raise a query on one item: a required text, sent with queries.raise.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, isSessionEnd } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { reloadFormQueries, type FormKey } from './formQueriesStore';

interface Props {
  form: FormKey;
  itemCode: string;
  itemLabel: string;
  onDone(): void;
  onCancel(): void;
  onSessionLost?: (() => void) | undefined;
}

export function RaiseQueryDialog({ form, itemCode, itemLabel, onDone, onCancel, onSessionLost }: Props) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const submit = async () => {
    if (!text.trim()) {
      setMissing(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await call('queries.raise', { ...form, itemCode, text: text.trim() });
      await reloadFormQueries(form);
      onDone();
    } catch (e) {
      if (isSessionEnd(e) && onSessionLost) return onSessionLost();
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="modal-backdrop" role="presentation" onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="raise-title" data-testid="raise-dialog">
        <h2 id="raise-title">{t('queries.raiseDialogTitle', { item: itemLabel })}</h2>
        <p className="muted">{t('queries.raiseIntro')}</p>
        <label htmlFor="raise-text">{t('queries.raiseLabel')}</label>
        <textarea
          id="raise-text"
          ref={ref}
          rows={3}
          maxLength={1000}
          value={text}
          placeholder={t('queries.raisePlaceholder')}
          onChange={(e) => {
            setText(e.target.value);
            setMissing(false);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit();
          }}
          data-testid="raise-text"
        />
        {missing && (
          <div className="field-error" role="alert">
            {t('queries.textRequired')}
          </div>
        )}
        <ErrorBanner error={error} />
        <div className="actions">
          <button type="button" className="btn" onClick={onCancel}>
            {t('queries.cancel')}
          </button>
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void submit()} data-testid="raise-submit">
            {busy ? t('queries.working') : t('queries.raiseSubmit')}
          </button>
        </div>
      </div>
    </div>
  );
}
