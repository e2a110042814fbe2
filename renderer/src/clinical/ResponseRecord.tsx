// The RESPONSE of record on screen (issue 14, rule 10): what the investigator confirmed, as the back end stored it
// (category, the four rule steps, each input with its source form, visit and version, the rules version, the missing
// inputs when not evaluable); when a later input change withdrew it, a banner with the system's words and the query.
import { useMemo, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { FORMS } from '../../../shared/protocol/study';
import type { FormData } from '../../../shared/protocol/types';
import { useFormQueries } from '../gcp/queries/formQueriesStore';
import { QueryThreadDialog } from '../gcp/queries/QueryThreadDialog';
import { pick } from '../i18n';
import { wardDateTime } from '../../../shared/rules/wardClock';
import { responseRecordView } from '../../../shared/protocol/responseRecordView';
import { InputsTable, StepsTable } from './ResponseTablesParts';

const WITHDRAWN_CHECK = 'RESPONSE.confirmed.inputChanged';

export function ResponseRecord({ subjectId, data }: { subjectId: number; data: FormData | null | undefined }) {
  const { t } = useTranslation();
  const view = useMemo(() => responseRecordView(data), [data]);
  if (!view) return null;
  return (
    <section className={`record-box${view.withdrawal ? ' record-withdrawn' : ''}`} data-testid="response-record" data-category={view.category} data-withdrawn={String(!!view.withdrawal)}>
      {view.withdrawal && <WithdrawalBanner subjectId={subjectId} text={pick(view.withdrawal)} />}
      <h2>{view.withdrawal ? t('clinical.record.titleWithdrawn') : t('clinical.record.title')}</h2>
      <dl className="record-facts">
        <div>
          <dt>{t('clinical.record.category')}</dt>
          <dd data-testid="record-category">
            <strong>{pick(view.categoryLabel)}</strong>
          </dd>
        </div>
        <div>
          <dt>{t('clinical.record.assessmentDate')}</dt>
          <dd>{view.assessmentDate ?? '—'}</dd>
        </div>
        <div>
          <dt>{t('clinical.record.rulesVersion')}</dt>
          <dd data-testid="record-rules-version">{view.rulesVersion}</dd>
        </div>
      </dl>
      {view.missing.length > 0 && (
        <p className="small" data-testid="record-missing">
          {t('clinical.record.missing', { items: view.missing.map((m) => pick(m)).join(t('clinical.sledai.listSeparator')) })}
        </p>
      )}
      <div className="record-tables">
        <InputsTable
          caption={t('clinical.record.inputs')}
          rowKey="data-record-input"
          sourceHeading={t('clinical.record.source')}
          rows={view.inputs.map((i) => ({ key: i.key, label: pick(i.label), value: pick(i.value), source: pick(i.source), missing: i.missing }))}
        />
        <StepsTable
          compact
          caption={t('clinical.record.steps')}
          rowKey="data-record-rule"
          rows={view.steps.map((s) => ({ rule: s.rule, label: pick(s.label), value: s.value, threshold: pick(s.threshold), pass: s.pass }))}
        />
      </div>
    </section>
  );
}

/** The confirmation was withdrawn: the system's words, and the query it raised (open it to answer or read). */
function WithdrawalBanner({ subjectId, text }: { subjectId: number; text: string }) {
  const { t } = useTranslation();
  const form = useMemo(() => ({ subjectId, visitCode: 'M6' as const, formCode: 'RESPONSE' as const, repeatKey: 0 }), [subjectId]);
  const query = useFormQueries(form).find((q) => q.checkId === WITHDRAWN_CHECK && q.status !== 'closed');
  const [open, setOpen] = useState(false);
  const confirmedLabel = FORMS.RESPONSE.fields.find((f) => f.id === 'confirmed')?.label;
  return (
    <div className="banner banner-error record-withdrawal" role="alert" data-testid="record-withdrawn">
      <strong>{t('clinical.record.withdrawnTitle')}</strong>
      <div data-testid="record-withdrawal-text">{text}</div>
      {query && (
        <div className="record-query" data-testid="record-query" data-status={query.status}>
          {t('clinical.record.query', { status: t(`queries.status.${query.status}`), at: wardDateTime(query.createdAt) })}{' '}
          <button type="button" className="btn btn-small" onClick={() => setOpen(true)} data-testid="record-query-open">
            {t('clinical.record.openQuery')}
          </button>
        </div>
      )}
      <div className="small">{t('clinical.record.confirmAgain')}</div>
      {open &&
        createPortal(
          <div onKeyDown={(e) => e.stopPropagation()} onSubmit={(e) => e.stopPropagation()}>
            <QueryThreadDialog form={form} itemCode="confirmed" itemLabel={confirmedLabel ? pick(confirmedLabel) : 'confirmed'} onClose={() => setOpen(false)} />
          </div>,
          document.body,
        )}
    </div>
  );
}
