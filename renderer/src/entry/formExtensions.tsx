// Extension points of the form screen: panels above Save per form (clinical calculators), adornments beside
// each field (query badges) and footers (SDV, signature, audit). Other features add one line here.
import type { ComponentType } from 'react';
import type { CasebookForm, FormCode, FormContext, FormData, ItemValue, VisitCode } from '../../../shared/protocol/types';
import { subjectFacts } from '../../../shared/protocol/casebook';
import { CLINICAL_FORM_PANELS } from '../clinical/formPanels';
import { CYC_VISITS, cycStartValues } from '../clinical/cycStartValues';
import { LifecycleFooter } from '../gcp/lifecycle/LifecycleFooter';
import { QueryAdornment } from '../gcp/queries/QueryAdornment';
import { UnblindPanel } from '../gcp/rand/UnblindPanel';

export interface FormPanelProps {
  subjectId: number;
  visitCode: VisitCode;
  formCode: FormCode;
  repeatKey: number;
  /** The live values being typed (cleaned: numbers as numbers, booleans as booleans). */
  values: FormData;
  casebook: CasebookForm[];
  ctx: FormContext;
  setValue(fieldId: string, value: ItemValue): void;
  status: string | null;
  version: number;
  onSaved(): void;
}

export interface FieldAdornmentProps {
  subjectId: number;
  visitCode: VisitCode;
  formCode: FormCode;
  repeatKey: number;
  fieldId: string;
}

export const FORM_PANELS: Partial<Record<FormCode, ComponentType<FormPanelProps>>> = {
  ...CLINICAL_FORM_PANELS,
  UNBLIND: UnblindPanel,
};

export const FIELD_ADORNMENTS: ComponentType<FieldAdornmentProps>[] = [QueryAdornment];

export const FORM_FOOTERS: ComponentType<FormPanelProps>[] = [LifecycleFooter];

/** Values a new (never saved) form starts with, drawn from the rest of the casebook; the user can change them. */
export const FORM_PREFILL: Partial<Record<FormCode, (casebook: CasebookForm[], visitCode: VisitCode) => FormData>> = {
  CYC: (casebook, visitCode) => ({
    ...cycStartValues(casebook, visitCode),
    pulseNumber: (CYC_VISITS as readonly VisitCode[]).indexOf(visitCode) + 1 || null,
  }),
  INFUSION: (casebook) => ({ kitNo: subjectFacts(casebook).kitNo ?? null }),
};
