// The clinical panels as form extensions: what FORM_PANELS shows above the Save button of ELIG, RESPONSE, CYC and INFUSION.
import { useContext, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formData, subjectFacts } from '../../../shared/protocol/casebook';
import type { CasebookForm, FormCode, FormContext, FormData, ItemValue, VisitCode } from '../../../shared/protocol/types';
import { cycCreatinineClearance } from '../../../shared/protocol/forms/CYC';
import type { FormPanelProps } from '../entry/formExtensions';
import { CycSources } from './CycSources';
import { ErrorBanner } from '../components/ErrorBanner';
import { useSession } from '../session';
import { SessionLostContext } from './sessionLost';
import { useApiAction } from '../components/useApiAction';
import { CycDosePanel } from './CycDosePanel';
import { eligibilityView } from './eligibilityRows';
import { EligibilityTable, EligibilityVerdict } from './EligibilityTable';
import { InfusionPanel, PharmPanel } from './InfusionPanel';
import { randomiseAvailable, randomiseSubject, type RandomiseOutcome } from './randomiseCall';
import { ResponseTables } from './ResponseScreen';
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

export function EligFormPanel({ subjectId, casebook, onSaved }: ClinicalPanelProps) {
  const { t } = useTranslation();
  const { user } = useSession();
  const action = useApiAction(useContext(SessionLostContext));
  const view = useMemo(() => eligibilityView(casebook), [casebook]);
  const facts = useMemo(() => subjectFacts(casebook), [casebook]);
  const [outcome, setOutcome] = useState<RandomiseOutcome | null>(null);
  const busy = action.busy;
  const savedConfirmed = formData(casebook, 'ELIG', 'SCR').confirmed === true;
  const randNo = outcome?.randNo ?? facts.randNo ?? null;
  const can = view.eligible === true && savedConfirmed && !randNo && ['investigator', 'admin'].includes(user.role) && randomiseAvailable();
  const go = () =>
    action.run(async () => {
      setOutcome(await randomiseSubject(subjectId));
      onSaved?.();
    });
  return (
    <section className="clin-panel" data-testid="elig-panel">
      <EligibilityVerdict view={view} />
      <EligibilityTable view={view} />
      <div className="randomise-box">
        {randNo ? (
          <div className="banner banner-ok" role="status">
            <strong>{t('clinical.elig.alreadyRandomised', { randNo, kitNo: outcome?.kitNo ?? facts.kitNo ?? '—' })}</strong>
          </div>
        ) : (
          <>
            <button type="button" className="btn btn-primary" disabled={!can || busy} onClick={go}>
              {busy ? t('clinical.elig.randomising') : t('clinical.elig.randomise')}
            </button>
            {!can && <p className="muted small">{randomiseAvailable() ? t('clinical.elig.randomiseBlocked') : t('clinical.elig.randomiseUnavailable')}</p>}
          </>
        )}
        <p className="muted small">{t('clinical.elig.blindNote')}</p>
      </div>
      <ErrorBanner error={action.error} />
    </section>
  );
}

export function ResponseFormPanel({ casebook }: ClinicalPanelProps) {
  const view = useMemo(() => responseView(casebook), [casebook]);
  return (
    <section className="clin-panel" data-testid="response-panel">
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
} as const;
