// Inputs of the primary endpoint read from the casebook: screening LAB = baseline, Month 6 LAB = month 6 (never an
// unscheduled visit's LAB, amendment 1 rule 12); reported limits ('<0.1', field full) as bounds (rule 11).
import type { CasebookForm } from './types';
import type { RenalValues } from '../rules/renalResponse';
import { formAt } from './crossFormData';
import { measuredValue } from './labValues';

function renalValues(casebook: readonly CasebookForm[], visit: 'SCR' | 'M6'): RenalValues {
  const lab = formAt(casebook, 'LAB', visit)?.data;
  return {
    creatinineUmolL: measuredValue('LAB', lab, 'creatinine'),
    urineRbcPerHpf: measuredValue('LAB', lab, 'urineRbc'),
    proteinGPer24h: measuredValue('LAB', lab, 'urineProtein24h'),
  };
}

/** { baseline, month6 } for classifyRenalResponse(), with null where a value has not been entered. */
export function renalResponseInputs(casebook: readonly CasebookForm[]): { baseline: RenalValues; month6: RenalValues } {
  return { baseline: renalValues(casebook, 'SCR'), month6: renalValues(casebook, 'M6') };
}
