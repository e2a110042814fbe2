// Below a LAB, VITALS, INFUSION or CYC form with a critical value (amendment 1, rule 5): each critical finding with the
// adverse event it suggests, and a button that opens that AE pre-filled (term, onset date, source), or the AE already
// recorded for it.
import { useTranslation } from 'react-i18next';
import { criticalFindings, criticalOnsetDate } from '../../../shared/protocol/criticalValues';
import { describeSource } from '../../../shared/protocol/crossFormData';
import { findForms } from '../../../shared/protocol/casebook';
import { FORMS } from '../../../shared/protocol/study';
import type { Bilingual } from '../../../shared/protocol/types';
import type { FormPanelProps } from '../entry/formExtensions';
import { pick } from '../i18n';
import { useSession } from '../session';

const AE_WRITERS = new Set(['data_entry', 'investigator', 'admin']);

/** The AE term as the suggestion stores it: both languages, as the ward's AE log writes terms. */
export const aeTermText = (term: Bilingual) => `${term.zh} ${term.en}`;

export function CriticalAeFooter(props: FormPanelProps) {
  const { t } = useTranslation();
  const { user } = useSession();
  const { formCode, visitCode, repeatKey, subjectId, values, ctx, casebook, saved, onOpenForm } = props;
  const findings = criticalFindings(formCode, values, ctx);
  if (findings.length === 0) return null;
  const onset = criticalOnsetDate(formCode, values);
  const aes = findForms(casebook, 'AE');
  const nextAe = Math.max(0, ...aes.map((f) => f.repeatKey)) + 1;
  const source = describeSource({ visitCode, formCode, repeatKey, date: onset ?? '' }, FORMS[formCode].label).zh.slice(0, 40);
  return (
    <section className="clin-panel critical-panel" data-testid="critical-panel" aria-label={t('clinical.critical.title')}>
      <h3>⚠ {t('clinical.critical.title')}</h3>
      <ul>
        {findings.map((f) => {
          const recorded = aes.find((ae) => ae.data.term === aeTermText(f.aeTerm) && ae.data.onsetDate === onset);
          return (
            <li key={f.fieldId} data-critical={f.fieldId}>
              <span>{pick(f.message)}</span>{' '}
              {recorded ? (
                <button type="button" className="link-button" onClick={() => onOpenForm({ subjectId, visitCode: 'LOG', formCode: 'AE', repeatKey: recorded.repeatKey })}>
                  {t('clinical.critical.recorded', { n: recorded.repeatKey })}
                </button>
              ) : saved && AE_WRITERS.has(user.role) ? (
                <button
                  type="button"
                  className="btn btn-small"
                  data-testid={`suggest-ae-${f.fieldId}`}
                  onClick={() =>
                    onOpenForm({ subjectId, visitCode: 'LOG', formCode: 'AE', repeatKey: nextAe, prefill: { term: aeTermText(f.aeTerm), onsetDate: onset, sourceForm: source } })
                  }
                >
                  {t('clinical.critical.openAe', { term: pick(f.aeTerm) })}
                </button>
              ) : (
                !saved && <span className="muted small">{t('clinical.critical.saveFirst')}</span>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
