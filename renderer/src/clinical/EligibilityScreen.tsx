// ELIG screen: every criterion with its source value and status, the investigator's confirmation, and the Randomise button.
import { useContext, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { mayEditFormItem } from '../../../shared/protocol/itemRoles';
import { subjectFacts } from '../../../shared/protocol/casebook';
import { call } from '../api/client';
import { ErrorBanner } from '../components/ErrorBanner';
import { useSession } from '../session';
import { SessionLostContext } from './sessionLost';
import { useApiAction } from '../components/useApiAction';
import { ClinicalPage } from './ClinicalPage';
import { eligibilityView } from './eligibilityRows';
import { formsChangedAfterConfirmation } from './eligibilityStale';
import { FORMS } from '../../../shared/protocol/study';
import { pick } from '../i18n';
import { EligibilityTable, EligibilityVerdict } from './EligibilityTable';
import { RandomiseDialog } from './RandomiseDialog';
import type { RandomiseOutcome } from './randomiseCall';
import { wardToday } from '../../../shared/rules/wardClock';
import { useClinicalCasebook, type ClinicalData } from './useClinicalCasebook';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function EligibilityScreen({ subjectId }: { subjectId: number }) {
  const { t } = useTranslation();
  const load = useClinicalCasebook(subjectId, 'SCR', 'ELIG');
  return (
    <ClinicalPage testId="eligibility-screen" title={t('clinical.elig.title')} state={load}>
      {({ casebook, form }) => <EligibilityConfirmation subjectId={subjectId} casebook={casebook} form={form} reload={load.reload} />}
    </ClinicalPage>
  );
}

function EligibilityConfirmation({ subjectId, casebook, form, reload }: { subjectId: number; reload(): void } & ClinicalData) {
  const { t } = useTranslation();
  const { user } = useSession();
  const sessionLost = useContext(SessionLostContext);
  const action = useApiAction(sessionLost);
  const view = useMemo(() => eligibilityView(casebook), [casebook]);
  const facts = useMemo(() => subjectFacts(casebook), [casebook]);
  const [checked, setChecked] = useState(false);
  const [date, setDate] = useState(wardToday());
  const [comment, setComment] = useState('');
  const [reason, setReason] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const [outcome, setOutcome] = useState<RandomiseOutcome | null>(null);
  const busy = action.busy;

  // Only the roles the confirmation item names (the investigator), as the back end enforces.
  const canConfirm = mayEditFormItem('ELIG', 'confirmed', user.role);
  const changedAfter = formsChangedAfterConfirmation(casebook ?? []);
  const savedConfirmed = form.exists && form.data.confirmed === true && changedAfter.length === 0;
  const savedDate = typeof form.data.confirmedDate === 'string' ? form.data.confirmedDate : '';
  const randNo = outcome?.randNo ?? facts.randNo ?? null;
  const kitNo = outcome?.kitNo ?? facts.kitNo ?? null;
  const canRandomise = view.eligible === true && savedConfirmed && !randNo && user.role === 'investigator';

  const saveConfirmation = () => {
    setNotice(null);
    return action.run(async () => {
      const key = { subjectId, visitCode: 'SCR', formCode: 'ELIG', repeatKey: 0 } as const;
      const data = { confirmed: true, confirmedDate: date, comment: comment.trim() === '' ? null : comment.trim() };
      let expectedVersion = form.version;
      if (changedAfter.length > 0 && form.data.confirmed === true) {
        // Re-confirmation after a screening change: withdraw the old confirmation first, so the new one is a
        // recorded change (a save with identical values is a no-op) and the audit trail shows both steps.
        const withdrawn = await call('forms.save', { ...key, data: { ...form.data, confirmed: false }, expectedVersion, reason: reason.trim() });
        expectedVersion = withdrawn.version;
      }
      await call('forms.save', { ...key, data, expectedVersion, ...(form.exists ? { reason: reason.trim() } : {}) });
      setNotice(t('clinical.elig.saved'));
      setChecked(false);
      setReason('');
      reload();
    });
  };

  const randomised = (result: RandomiseOutcome) => {
    setOutcome(result);
    setAsking(false);
    reload();
  };

  return (
    <>
      <EligibilityVerdict view={view} />
      <EligibilityTable view={view} />

      <h2>{t('clinical.elig.confirmTitle')}</h2>
      <div className="confirm-box">
        <p className={savedConfirmed ? 'confirm-state ok' : 'confirm-state'} data-testid="elig-confirm-state">
          {savedConfirmed ? t('clinical.elig.confirmedBy', { date: savedDate }) : t('clinical.elig.notConfirmed')}
        </p>
        {changedAfter.length > 0 && (
          <div className="banner banner-warn" role="alert" data-testid="elig-stale">
            ⚠ {t('clinical.elig.stale', { forms: changedAfter.map((f) => pick(FORMS[f.formCode].label)).join('、') })}
          </div>
        )}
        {!canConfirm && <p className="muted">{t('clinical.elig.investigatorOnly')}</p>}
        {canConfirm && !randNo && (
          <>
            <label className="check-line">
              <input type="checkbox" checked={checked} onChange={(e) => setChecked(e.target.checked)} disabled={view.eligible === null} />
              {t('clinical.elig.confirmLabel')}
            </label>
            {view.eligible === null && <p className="muted small">{t('clinical.elig.verdictMissing')}</p>}
            <div className="inline-fields">
              <label>
                {t('clinical.elig.confirmDate')}
                <input type="text" className="date-input" inputMode="numeric" placeholder="YYYY-MM-DD" maxLength={10} value={date} onChange={(e) => setDate(e.target.value.trim())} aria-invalid={!ISO_DATE.test(date)} />
              </label>
              <label className="grow">
                {t('clinical.elig.comment')}
                <input type="text" value={comment} maxLength={1000} onChange={(e) => setComment(e.target.value)} />
              </label>
              {form.exists && (
                <label className="grow">
                  {t('clinical.common.reason')}
                  <input type="text" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
                </label>
              )}
            </div>
            <div className="actions actions-left">
              <button type="button" className="btn" onClick={saveConfirmation} disabled={!checked || busy || view.eligible === null || !ISO_DATE.test(date) || (form.exists && !reason.trim())}>
                {t('clinical.elig.confirm')}
              </button>
            </div>
          </>
        )}
      </div>

      <div className="randomise-box">
        {randNo ? (
          <div className="banner banner-ok" role="status" data-testid="rand-result">
            <strong>
              {outcome
                ? t('clinical.elig.randomised', { randNo: outcome.randNo, kitNo: outcome.kitNo, day0: outcome.day0Date })
                : t('clinical.elig.alreadyRandomised', { randNo, kitNo: kitNo ?? '—' })}
            </strong>
          </div>
        ) : user.role !== 'investigator' ? (
          <p className="muted" data-testid="randomise-hint">
            {t('clinical.elig.randomiseInvestigatorOnly')}
          </p>
        ) : (
          <>
            <button type="button" className="btn btn-primary btn-large" disabled={!canRandomise || busy} onClick={() => setAsking(true)} data-testid="randomise">
              {t('clinical.elig.randomise')}
            </button>
            {asking && (
              <RandomiseDialog
                subjectId={subjectId}
                onDone={randomised}
                onCancel={() => setAsking(false)}
                onSessionLost={sessionLost ?? undefined}
              />
            )}
            {!canRandomise && (
              <p className="muted small" data-testid="randomise-hint">
                {t('clinical.elig.randomiseBlocked')}
              </p>
            )}
          </>
        )}
        <p className="muted small">{t('clinical.elig.blindNote')}</p>
      </div>
      {notice && <div className="banner banner-ok">{notice}</div>}
      <ErrorBanner error={action.error} />
    </>
  );
}
