// Starting values of the CYC dose calculator for a visit, read from the casebook (pure, unit-tested).
import { formData, subjectFacts } from '../../../shared/protocol/casebook';
import { formAt } from '../../../shared/protocol/crossFormData';
import { dateValue, numberValue } from '../../../shared/protocol/formValues';
import { CYC_RULES } from '../../../shared/rules/cyclophosphamideDose';
import type { CasebookForm, FormData, VisitCode } from '../../../shared/protocol/types';

export const CYC_VISITS = ['D0', 'M1', 'M2', 'M3', 'M4', 'M5'] as const satisfies readonly VisitCode[];

/**
 * Starting values for a visit: the saved CYC form if any, else the pulse number of the visit, SCR height, the visit's
 * weight and WBC, target 750 mg/m². A held pulse given later (repeat key 1, 2, …) starts from the held one: its
 * date, pulse number, height, weight and target (a new WBC is counted on the day).
 */
export function cycStartValues(casebook: CasebookForm[], visit: VisitCode, repeatKey = 0): FormData {
  if (repeatKey > 0) {
    const held = formAt(casebook, 'CYC', visit, 0)?.data ?? {};
    return {
      heldOn: dateValue(held, 'doseDate'),
      pulseNumber: numberValue(held, 'pulseNumber'),
      heightCm: numberValue(held, 'heightCm'),
      weightKg: numberValue(held, 'weightKg'),
      targetMgPerM2: numberValue(held, 'targetMgPerM2') ?? CYC_RULES.defaultTargetMgPerM2,
    };
  }
  const saved = formData(casebook, 'CYC', visit);
  if (Object.keys(saved).length > 0) return saved;
  return {
    pulseNumber: (CYC_VISITS as readonly VisitCode[]).indexOf(visit) + 1 || null,
    heightCm: subjectFacts(casebook).heightCm ?? null,
    weightKg: numberValue(formData(casebook, 'VITALS', visit), 'weightKg'),
    targetMgPerM2: CYC_RULES.defaultTargetMgPerM2,
    wbc: numberValue(formData(casebook, 'LAB', visit), 'wbc'),
    creatinineClearance: null,
    administeredDoseMg: null,
  };
}
