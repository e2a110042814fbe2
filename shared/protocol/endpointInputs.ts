// Inputs of the primary endpoint read from the casebook: screening LAB = baseline, Month 6 LAB = month 6.
import type { CasebookForm } from './types';
import type { RenalValues } from '../rules/renalResponse';
import { formData } from './casebook';
import { numberValue } from './formValues';

function renalValues(casebook: CasebookForm[], visit: 'SCR' | 'M6'): RenalValues {
  const lab = formData(casebook, 'LAB', visit);
  return {
    creatinineUmolL: numberValue(lab, 'creatinine'),
    urineRbcPerHpf: numberValue(lab, 'urineRbc'),
    proteinGPer24h: numberValue(lab, 'urineProtein24h'),
  };
}

/** { baseline, month6 } for classifyRenalResponse(), with null where a value has not been entered. */
export function renalResponseInputs(casebook: CasebookForm[]): { baseline: RenalValues; month6: RenalValues } {
  return { baseline: renalValues(casebook, 'SCR'), month6: renalValues(casebook, 'M6') };
}
