// What the CYC form takes from other forms (amendment 1, rules 2 and 3), each shown with its value, its date and a link
// to the form it came from: the creatinine clearance of the latest LAB of 14 days, that LAB's WBC, the previous pulse,
// and the pregnancy test that covers the dose.
import { useTranslation } from 'react-i18next';
import { describeSource, previousPulse, pregnancyTestFor, type SourceRef } from '../../../shared/protocol/crossFormData';
import { cycLabSource } from '../../../shared/protocol/forms/CYC';
import { dateValue } from '../../../shared/protocol/formValues';
import { FORMS } from '../../../shared/protocol/study';
import type { FormContext, FormData } from '../../../shared/protocol/types';
import type { FormPanelProps } from '../entry/formExtensions';
import { pick } from '../i18n';
import { num } from './responseView';
import { StatusBadge } from './StatusBadge';

function SourceLink({ source, onOpen }: { source: SourceRef; onOpen(ref: SourceRef): void }) {
  return (
    <button type="button" className="link-button" onClick={() => onOpen(source)} data-testid={`source-${source.visitCode}-${source.formCode}-${source.repeatKey}`}>
      {pick(describeSource(source, FORMS[source.formCode].label))}
    </button>
  );
}

export function CycSources({ values, ctx, subjectId, onOpenForm }: { values: FormData; ctx: FormContext } & Pick<FormPanelProps, 'subjectId' | 'onOpenForm'>) {
  const { t } = useTranslation();
  const date = dateValue(values, 'doseDate');
  if (!date) return null;
  const open = (ref: SourceRef) => onOpenForm({ subjectId, visitCode: ref.visitCode, formCode: ref.formCode, repeatKey: ref.repeatKey });
  const lab = cycLabSource(values, ctx);
  const prev = previousPulse(ctx.casebook, date);
  const preg = pregnancyTestFor(ctx.casebook, ctx.subject, date);
  return (
    <section className="clin-panel" aria-label={t('clinical.sources.title')}>
      <h3>{t('clinical.sources.title')}</h3>
    <dl className="calc-grid cyc-sources" data-testid="cyc-sources">
      <dt>{t('clinical.sources.crcl')}</dt>
      <dd data-testid="cyc-crcl-source">
        {lab ? (
          <>
            <strong>{t('clinical.sources.crclFrom', { value: num(lab.creatinineClearance, 0) })}</strong> <SourceLink source={lab} onOpen={open} />
          </>
        ) : (
          <span className="muted">{t('clinical.sources.crclTyped')}</span>
        )}
      </dd>
      <dt>{t('clinical.sources.wbc')}</dt>
      <dd>
        {lab && lab.wbc !== null ? (
          <>
            {t('clinical.sources.wbcFrom', { value: num(lab.wbc, 2) })} <SourceLink source={lab} onOpen={open} />
          </>
        ) : (
          <span className="muted">{t('clinical.sources.noLab')}</span>
        )}
      </dd>
      <dt>{t('clinical.sources.previous')}</dt>
      <dd>
        {prev ? (
          <>
            {t('clinical.sources.previousFrom', { days: prev.days })} <SourceLink source={prev} onOpen={open} />
          </>
        ) : (
          <span className="muted">{t('clinical.sources.noPrevious')}</span>
        )}
      </dd>
      {values.doseGiven !== false && (
        <>
          <dt>{t('clinical.sources.pregnancy')}</dt>
          <dd data-testid="cyc-pregnancy" data-state={preg.state}>
            {preg.state === 'not_required' && <span className="muted">{t('clinical.sources.pregnancyNotRequired')}</span>}
            {preg.state === 'negative' && (
              <>
                <StatusBadge status="pass" label={t('clinical.sources.pregnancyNegative')} /> <SourceLink source={preg.source} onOpen={open} />
              </>
            )}
            {preg.state === 'positive' && <StatusBadge status="fail" label={t('clinical.sources.pregnancyPositive')} />}
            {preg.state === 'missing' && <StatusBadge status="fail" label={t('clinical.sources.pregnancyMissing', { from: preg.from, to: preg.to })} />}
          </dd>
        </>
      )}
    </dl>
    </section>
  );
}
