// The emergency-unblinding panel of the UNBLIND form (casebook → 随时 → 紧急揭盲): the investigator re-enters the
// password and a reason; the allocation is shown once, with a warning, and the recorded form is reloaded.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallResult } from '../../../../shared/api/contract';
import { subjectFacts } from '../../../../shared/protocol/casebook';
import type { CasebookForm, FormData } from '../../../../shared/protocol/types';
import { call, isSessionEnd } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useSession } from '../../session';

interface UnblindPanelProps {
  subjectId: number;
  casebook: CasebookForm[];
  values: FormData;
  status: string | null;
  version: number;
  onSaved(): void;
}

function UnblindDialog({ subjectId, onDone, onCancel }: { subjectId: number; onDone(r: CallResult<'unblinding.emergency'>): void; onCancel(): void }) {
  const { t } = useTranslation();
  const { logout } = useSession();
  const [reason, setReason] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      onDone(await call('unblinding.emergency', { subjectId, password, reason: reason.trim() }));
    } catch (e) {
      if (isSessionEnd(e)) logout();
      else setError(e);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="modal-backdrop" role="presentation" onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <div className="modal unblind-modal" role="dialog" aria-modal="true" aria-labelledby="unblind-title">
        <h2 id="unblind-title">{t('rand.unblindTitle')}</h2>
        <p className="banner banner-warn">{t('rand.unblindIntro')}</p>
        <ErrorBanner error={error} />
        <label htmlFor="unblind-reason">{t('rand.unblindReason')}</label>
        <textarea id="unblind-reason" ref={ref} rows={3} maxLength={1000} value={reason} placeholder={t('rand.unblindReasonHelp')} onChange={(e) => setReason(e.target.value)} data-testid="unblind-reason" />
        <label htmlFor="unblind-password">{t('rand.unblindPassword')}</label>
        <input id="unblind-password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="unblind-password" />
        <div className="actions">
          <button type="button" className="btn" onClick={onCancel}>
            {t('rand.unblindCancel')}
          </button>
          <button type="button" className="btn btn-danger" disabled={busy || reason.trim().length < 5 || !password} onClick={confirm} data-testid="unblind-confirm">
            {t('rand.unblindConfirm')}
          </button>
        </div>
      </div>
    </div>
  );
}

function UnblindResult({ result, onClose }: { result: CallResult<'unblinding.emergency'>; onClose(): void }) {
  const { t } = useTranslation();
  return (
    <div className="modal-backdrop" role="presentation">
      <div className="modal unblind-modal" role="alertdialog" aria-modal="true" aria-labelledby="unblind-result-title">
        <h2 id="unblind-result-title">{t('rand.unblindResultTitle')}</h2>
        <p>{t('rand.unblindResult', { randNo: result.randNo })}</p>
        <p className="unblind-allocation" data-testid="unblind-allocation">
          {t(`rand.arm_${result.allocation}`)}
        </p>
        <p className="banner banner-warn">{t('rand.unblindResultWarning')}</p>
        <div className="actions">
          <button type="button" className="btn btn-primary" onClick={onClose} data-testid="unblind-close">
            {t('rand.unblindClose')}
          </button>
        </div>
      </div>
    </div>
  );
}

/** After unblinding: whether the sponsor was told, and (investigator) recording that it was. */
function SponsorNotified({ subjectId, values, version, onSaved }: Pick<UnblindPanelProps, 'subjectId' | 'values' | 'version' | 'onSaved'>) {
  const { t } = useTranslation();
  const { user, logout } = useSession();
  const [error, setError] = useState<unknown>(null);
  if (values.sponsorNotified === true) return <p data-testid="sponsor-notified">{t('rand.sponsorNotifiedYes')}</p>;
  const record = async () => {
    setError(null);
    try {
      await call('forms.save', {
        subjectId,
        visitCode: 'LOG',
        formCode: 'UNBLIND',
        repeatKey: 0,
        data: { ...values, sponsorNotified: true },
        expectedVersion: version,
        markComplete: true,
        reason: t('rand.sponsorNotifiedReason'),
      });
      onSaved();
    } catch (e) {
      if (isSessionEnd(e)) logout();
      else setError(e);
    }
  };
  return (
    <div data-testid="sponsor-notified">
      <p className="warn-text">{t('rand.sponsorNotifiedNo')}</p>
      <ErrorBanner error={error} />
      {user.role === 'investigator' && (
        <button type="button" className="btn" onClick={record} data-testid="sponsor-notified-record">
          {t('rand.sponsorNotifiedButton')}
        </button>
      )}
    </div>
  );
}

export function UnblindPanel({ subjectId, casebook, values, status, version, onSaved }: UnblindPanelProps) {
  const { t } = useTranslation();
  const { user } = useSession();
  const [open, setOpen] = useState(false);
  const [result, setResult] = useState<CallResult<'unblinding.emergency'> | null>(null);
  const randomised = Boolean(subjectFacts(casebook).randNo);
  let body;
  if (result) body = <UnblindResult result={result} onClose={() => { setResult(null); onSaved(); }} />;
  else if (status !== null)
    body = (
      <>
        <p className="banner banner-info">{t('rand.unblindAlready', { date: String(values.unblindDate ?? ''), time: String(values.unblindTime ?? '') })}</p>
        <SponsorNotified subjectId={subjectId} values={values} version={version} onSaved={onSaved} />
      </>
    );
  else if (!randomised) body = <p className="muted">{t('rand.unblindNotRandomised')}</p>;
  else if (user.role !== 'investigator') body = <p className="muted">{t('rand.unblindOnlyInvestigator')}</p>;
  else
    body = (
      <>
        <p className="muted">{t('rand.unblindIntro')}</p>
        <button type="button" className="btn btn-danger" onClick={() => setOpen(true)} data-testid="unblind-open">
          {t('rand.unblindOpen')}
        </button>
        {open && (
          <UnblindDialog
            subjectId={subjectId}
            onCancel={() => setOpen(false)}
            onDone={(r) => {
              setOpen(false);
              setResult(r);
            }}
          />
        )}
      </>
    );
  return (
    <div className="clin-panel unblind-panel" data-testid="unblind-panel">
      <h3>{t('rand.unblindTitle')}</h3>
      {body}
    </div>
  );
}
