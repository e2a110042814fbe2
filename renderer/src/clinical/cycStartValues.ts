// Starting values of the CYC dose calculator for a visit, read from the casebook (pure, unit-tested).
import { formData, subjectFacts } from '../../../shared/protocol/casebook';
import { numberValue } from '../../../shared/protocol/formValues';
import { CYC_RULES } from '../../../shared/rules/cyclophosphamideDose';
import type { CasebookForm, FormData, VisitCode } from '../../../shared/protocol/types';

export const CYC_VISITS = ['D0', 'M1', 'M2', 'M3', 'M4', 'M5'] as const satisfies readonly VisitCode[];

/** Starting values for a visit: the saved CYC form if any, else SCR height, the visit's weight and WBC, target 750 mg/m². */
export function cycStartValues(casebook: CasebookForm[], visit: VisitCode): FormData {
  const saved = formData(casebook, 'CYC', visit);
  if (Object.keys(saved).length > 0) return saved;
  return {
    heightCm: subjectFacts(casebook).heightCm ?? null,
    weightKg: numberValue(formData(casebook, 'VITALS', visit), 'weightKg'),
    targetMgPerM2: CYC_RULES.defaultTargetMgPerM2,
    wbc: numberValue(formData(casebook, 'LAB', visit), 'wbc'),
    creatinineClearance: null,
    administeredDoseMg: null,
  };
}

