// Extension points of the form screen: panels above Save per form (clinical calculators), adornments beside
// each field (query badges) and footers (SDV, signature, audit). Other features add one line here.
import type { ComponentType } from 'react';
import type { CasebookForm, FormCode, FormContext, FormData, ItemValue, VisitCode } from '../../../shared/protocol/types';
import { buildFormContext, subjectFacts } from '../../../shared/protocol/casebook';
import { sledaiSuggestions } from '../../../shared/protocol/crossFormRules';
import { CLINICAL_FORM_PANELS } from '../clinical/formPanels';
import { CriticalAeFooter } from '../clinical/CriticalAePanel';
import { cycStartValues } from '../clinical/cycStartValues';
import { LifecycleFooter } from '../gcp/lifecycle/LifecycleFooter';
import { QueryAdornment } from '../gcp/queries/QueryAdornment';
import { UnblindPanel } from '../gcp/rand/UnblindPanel';
import { AeSourcePanel } from '../safety/AeSourcePanel';

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
  /** The form has been saved at least once. */
  saved: boolean;
  /** The user only views this form (locked, another role's). */
  readOnly: boolean;
  onSaved(): void;
  /** Opens another form of the subject: the source of a value, a suggested adverse event. */
  onOpenForm(route: { subjectId: number; visitCode: VisitCode; formCode: FormCode; repeatKey: number; prefill?: FormData }): void;
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
  AE: AeSourcePanel,
};

export const FIELD_ADORNMENTS: ComponentType<FieldAdornmentProps>[] = [QueryAdornment];

/**
 * Below the form. `live`: it reads the values being typed (re-rendered on every change); a footer that does not (SDV,
 * signatures) renders only when the form's saved state changes, so typing does not redraw it (issue 16: one frame
 * per keystroke on a busy ward PC).
 */
export const FORM_FOOTERS: { component: ComponentType<FormPanelProps>; live: boolean }[] = [
  { component: CriticalAeFooter, live: true },
  { component: LifecycleFooter, live: false },
];

/** Values a new (never saved) form starts with, drawn from the rest of the casebook; the user can change them. */
export const FORM_PREFILL: Partial<Record<FormCode, (casebook: CasebookForm[], visitCode: VisitCode, repeatKey: number) => FormData>> = {
  CYC: (casebook, visitCode, repeatKey) => cycStartValues(casebook, visitCode, repeatKey),
  INFUSION: (casebook) => ({ kitNo: subjectFacts(casebook).kitNo ?? null }),
  PHARM: (casebook) => ({ kitNo: subjectFacts(casebook).kitNo ?? null }),
  // Amendment 1, rule 7: the lab-based descriptors as the same visit's LAB and VITALS suggest (the investigator decides).
  SLEDAI: (casebook, visitCode, repeatKey) => sledaiSuggestions(buildFormContext(casebook, visitCode, undefined, repeatKey)),
};
