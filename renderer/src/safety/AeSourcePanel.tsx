// On an AE opened from another form (an infusion reaction, a critical value): where it came from, in words, with a
// link to that form, instead of the stored code 'D7/INFUSION'.
import { useTranslation } from 'react-i18next';
import { FORMS, isFormCode } from '../../../shared/protocol/study';
import { isVisitCode, visitDef } from '../../../shared/protocol/visits';
import type { FormPanelProps } from '../entry/formExtensions';
import { pick } from '../i18n';

/** 'D7/INFUSION' → the visit and form it names, or null for anything else. */
export function parseSource(text: unknown): { visitCode: string; formCode: string } | null {
  const m = typeof text === 'string' ? /^([A-Z0-9]+)\/([A-Z]+)(?:#(\d+))?$/.exec(text.trim()) : null;
  return m && isVisitCode(m[1]) && isFormCode(m[2]) ? { visitCode: m[1]!, formCode: m[2]! } : null;
}

export function AeSourcePanel({ values, subjectId, onOpenForm }: FormPanelProps) {
  const { t } = useTranslation();
  const source = parseSource(values.sourceForm);
  if (!source || !isVisitCode(source.visitCode) || !isFormCode(source.formCode)) return null;
  const visit = visitDef(source.visitCode);
  return (
    <div className="banner banner-info" data-testid="ae-source">
      {t('ward.aeSource.text', { visit: visit ? pick(visit.label) : source.visitCode, form: pick(FORMS[source.formCode].label) })}{' '}
      <button
        type="button"
        className="btn btn-small"
        onClick={() => onOpenForm({ subjectId, visitCode: source.visitCode as never, formCode: source.formCode as never, repeatKey: 0 })}
        data-testid="ae-source-open"
      >
        {t('ward.aeSource.open')}
      </button>
    </div>
  );
}
