// The clinical panels as form extensions: what FORM_PANELS shows above the Save button of ELIG, RESPONSE, CYC and INFUSION.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { subjectFacts } from '../../../shared/protocol/casebook';
import type { CasebookForm, FormCode, FormContext, FormData, ItemValue, VisitCode } from '../../../shared/protocol/types';
import { cycCreatinineClearance } from '../../../shared/protocol/forms/CYC';
import type { FormPanelProps } from '../entry/formExtensions';
import { useSession } from '../session';
import { CycSources } from './CycSources';
import { CycDosePanel } from './CycDosePanel';
import { eligibilityView } from './eligibilityRows';
import { EligibilityTable, EligibilityVerdict } from './EligibilityTable';
import { InfusionPanel, PharmPanel } from './InfusionPanel';
import { ResponseTables } from './ResponseScreen';
import { ResponseRecord } from './ResponseRecord';
import { formAt } from '../../../shared/protocol/crossFormData';
import { SledaiPanel } from './SledaiPanel';
import { responseView } from './responseView';

/** The part of the form engine's FormPanelProps these panels use (structurally compatible with it). */
export interface ClinicalPanelProps {
  subjectId: number;
  visitCode: VisitCode;
  formCode: FormCode;
  values: FormData;
  casebook: CasebookForm[];
  setValue(fieldId: string, value: ItemValue): void;
  status: string | null;
  onSaved?(): void;
  ctx: FormContext;
  readOnly: boolean;
  onOpenForm: FormPanelProps['onOpenForm'];
}

/** ELIG in the form screen: the verdict and criteria; randomising happens in one place only, the eligibility screen. */
export function EligFormPanel({ casebook }: ClinicalPanelProps) {
  const { t } = useTranslation();
  const view = useMemo(() => eligibilityView(casebook), [casebook]);
  const facts = useMemo(() => subjectFacts(casebook), [casebook]);
  return (
    <section className="clin-panel" data-testid="elig-panel">
      <EligibilityVerdict view={view} />
      <EligibilityTable view={view} />
      <div className="randomise-box">
        {facts.randNo ? (
          <div className="banner banner-ok" role="status">
            <strong>{t('clinical.elig.alreadyRandomised', { randNo: facts.randNo, kitNo: facts.kitNo ?? '—' })}</strong>
          </div>
        ) : (
          <p className="muted small" data-testid="randomise-where">
            {t('clinical.elig.randomiseWhere')}
          </p>
        )}
        <p className="muted small">{t('clinical.elig.blindNote')}</p>
      </div>
    </section>
  );
}

export function ResponseFormPanel({ casebook, subjectId }: ClinicalPanelProps) {
  const view = useMemo(() => responseView(casebook), [casebook]);
  // The record is what is stored (system items), never what is being typed.
  const stored = formAt(casebook, 'RESPONSE', 'M6')?.data;
  return (
    <section className="clin-panel" data-testid="response-panel">
      <ResponseRecord subjectId={subjectId} data={stored} />
      <ResponseTables view={view} />
    </section>
  );
}

export function CycFormPanel({ values, setValue, status, ctx, subjectId, onOpenForm, readOnly }: ClinicalPanelProps) {
  return (
    <>
      <CycSources values={values} ctx={ctx} subjectId={subjectId} onOpenForm={onOpenForm} />
      <CycDosePanel values={values} setValue={setValue} creatinineClearance={cycCreatinineClearance(values, ctx)} readOnly={readOnly || status === 'signed' || status === 'locked'} />
    </>
  );
}

export function InfusionFormPanel({ values, casebook, visitCode }: ClinicalPanelProps) {
  return <InfusionPanel values={values} casebook={casebook} visitCode={visitCode} />;
}

export function PharmFormPanel({ values, casebook, visitCode }: ClinicalPanelProps) {
  const { user } = useSession();
  return <PharmPanel values={values} casebook={casebook} visitCode={visitCode} unblinded={user.role === 'pharmacist'} />;
}

/** Register with one line in the form engine: FORM_PANELS = { ...CLINICAL_FORM_PANELS }. */
export const CLINICAL_FORM_PANELS = {
  ELIG: EligFormPanel,
  RESPONSE: ResponseFormPanel,
  CYC: CycFormPanel,
  INFUSION: InfusionFormPanel,
  PHARM: PharmFormPanel,
  SLEDAI: SledaiPanel,
} as const;
