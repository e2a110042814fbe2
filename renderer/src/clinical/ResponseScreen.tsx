// Month 6 renal response screen: every input and rule step of the primary endpoint, the category, and the investigator's confirmation.
import { useContext, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { mayEditFormItem } from '../../../shared/protocol/itemRoles';
import { call } from '../api/client';
import { ErrorBanner } from '../components/ErrorBanner';
import { pick } from '../i18n';
import { useSession } from '../session';
import { SessionLostContext } from './sessionLost';
import { useApiAction } from '../components/useApiAction';
import { ClinicalPage } from './ClinicalPage';
import { num, responseView, type ResponseView } from './responseView';
import { StatusBadge } from './StatusBadge';
import { InputsTable, StepsTable } from './ResponseTablesParts';
import { wardToday } from '../../../shared/rules/wardClock';
import { useClinicalCasebook, type ClinicalData } from './useClinicalCasebook';
import { ResponseRecord } from './ResponseRecord';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function ResponseTables({ view }: { view: ResponseView }) {
  const { t } = useTranslation();
  return (
    <>
      <div className={`banner response-category category-${view.category}`} role="status" data-testid="response-category" data-category={view.category}>
        <span>{t('clinical.response.categoryIs')}</span>
        <strong>{pick(view.categoryLabel)}</strong>
        {view.missing.length > 0 && (
          <div className="small" data-testid="response-missing">
            {t('clinical.response.missing', { items: view.missing.map((m) => pick(m)).join('、') })}
          </div>
        )}
        {view.undecided.length > 0 && (
          <div className="small" data-testid="response-undecided">
            {t('clinical.response.undecided', { items: view.undecided.map((m) => pick(m)).join('、') })}
          </div>
        )}
      </div>
      <h2>{t('clinical.response.inputs')}</h2>
      <InputsTable
        rowKey="data-input"
        sourceHeading={t('clinical.response.visit')}
        rows={view.inputs.map((i) => ({
          key: i.key,
          label: pick(i.label),
          value: i.value === null ? <StatusBadge status="missing" label={i.missingReason ? pick(i.missingReason) : undefined} /> : `${typeof i.value === 'number' ? num(i.value) : i.value} ${i.unit}`,
          source: `${t(`clinical.response.visit${i.visit}`)}${i.date ? ` · ${i.date}` : ''}`,
          missing: i.value === null,
        }))}
      />
      <h2>{t('clinical.response.steps')}</h2>
      <StepsTable
        rowKey="data-rule"
        rows={view.steps.map((s) => ({ rule: String(s.rule), label: pick(s.label), value: s.value, threshold: typeof s.threshold === 'string' ? s.threshold : pick(s.threshold), pass: s.pass }))}
      />
    </>
  );
}

export function ResponseScreen({ subjectId }: { subjectId: number }) {
  const { t } = useTranslation();
  const load = useClinicalCasebook(subjectId, 'M6', 'RESPONSE');
  return (
    <ClinicalPage testId="response-screen" title={t('clinical.response.title')} state={load}>
      {({ casebook, form }) => <ResponseConfirmation subjectId={subjectId} casebook={casebook} form={form} reload={load.reload} />}
    </ClinicalPage>
  );
}

function ResponseConfirmation({ subjectId, casebook, form, reload }: { subjectId: number; reload(): void } & ClinicalData) {
  const { t } = useTranslation();
  const { user } = useSession();
  const action = useApiAction(useContext(SessionLostContext));
  const view = useMemo(() => responseView(casebook), [casebook]);
  const [checked, setChecked] = useState(false);
  const [date, setDate] = useState(wardToday());
  const [reason, setReason] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const busy = action.busy;

  // Only the roles the confirmation item names (the investigator), as the back end enforces.
  const canConfirm = mayEditFormItem('RESPONSE', 'confirmed', user.role);
  const savedConfirmed = form.exists && form.data.confirmed === true;
  const evaluable = view.category !== 'not_evaluable';

  const save = () => {
    setNotice(null);
    return action.run(async () => {
      await call('forms.save', {
        subjectId,
        visitCode: 'M6',
        formCode: 'RESPONSE',
        repeatKey: 0,
        // The comment stays as saved (the record* items are the back end's to write).
        data: { comment: form.data.comment ?? null, assessmentDate: date, confirmed: true },
        expectedVersion: form.version,
        ...(form.exists ? { reason: reason.trim() } : {}),
      });
      setNotice(t('clinical.response.saved'));
      setChecked(false);
      setReason('');
      reload();
    });
  };

  return (
    <>
      <ResponseRecord subjectId={subjectId} data={form.exists ? form.data : null} />
      <ResponseTables view={view} />
      <h2>{t('clinical.elig.confirmTitle')}</h2>
      <div className="confirm-box">
        <p className={savedConfirmed ? 'confirm-state ok' : 'confirm-state'} data-testid="response-confirm-state">
          {savedConfirmed ? t('clinical.response.confirmedOn', { date: String(form.data.assessmentDate ?? '') }) : t('clinical.response.notConfirmed')}
        </p>
        {!canConfirm && <p className="muted">{t('clinical.response.investigatorOnly')}</p>}
        {canConfirm && !evaluable && <p className="muted">{t('clinical.response.notEvaluableConfirm')}</p>}
        {canConfirm && (
          <>
            <label className="check-line">
              <input type="checkbox" checked={checked} onChange={(e) => setChecked(e.target.checked)} />
              {evaluable ? t('clinical.response.confirmLabel') : t('clinical.response.confirmNotEvaluableLabel')}
            </label>
            <div className="inline-fields">
              <label>
                {t('clinical.response.assessmentDate')}
                <input type="text" className="date-input" inputMode="numeric" placeholder="YYYY-MM-DD" maxLength={10} value={date} onChange={(e) => setDate(e.target.value.trim())} aria-invalid={!ISO_DATE.test(date)} />
              </label>
              {form.exists && (
                <label className="grow">
                  {t('clinical.common.reason')}
                  <input type="text" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
                </label>
              )}
            </div>
            <div className="actions actions-left">
              <button type="button" className="btn btn-primary" onClick={save} disabled={!checked || busy || !ISO_DATE.test(date) || (form.exists && !reason.trim())}>
                {t('clinical.response.confirm')}
              </button>
            </div>
          </>
        )}
      </div>
      {notice && <div className="banner banner-ok">{notice}</div>}
      <ErrorBanner error={action.error} />
    </>
  );
}
