// Inputs of the primary endpoint read from the casebook: screening LAB = baseline, Month 6 LAB = month 6 (never an
// unscheduled visit's LAB, amendment 1 rule 12); reported limits ('<0.1', field full) as bounds (rule 11).
import type { CasebookForm, VisitCode } from './types';
import type { RenalValues } from '../rules/renalResponse';
import { formAt } from './crossFormData';
import { measuredValue } from './labValues';

/** Where each input of the endpoint comes from: the LAB of a visit and the item (RENAL_INPUT_LABELS names them). */
export const RENAL_INPUT_SOURCES: Readonly<Record<string, { visit: 'SCR' | 'M6'; form: 'LAB'; item: string; unit: string }>> = {
  'baseline.creatinineUmolL': { visit: 'SCR', form: 'LAB', item: 'creatinine', unit: 'µmol/L' },
  'baseline.proteinGPer24h': { visit: 'SCR', form: 'LAB', item: 'urineProtein24h', unit: 'g/24 h' },
  'month6.creatinineUmolL': { visit: 'M6', form: 'LAB', item: 'creatinine', unit: 'µmol/L' },
  'month6.urineRbcPerHpf': { visit: 'M6', form: 'LAB', item: 'urineRbc', unit: '/HPF' },
  'month6.proteinGPer24h': { visit: 'M6', form: 'LAB', item: 'urineProtein24h', unit: 'g/24 h' },
};

/** Whether a form of this visit feeds the endpoint (a change to it may withdraw a confirmed RESPONSE). */
export function feedsRenalResponse(visitCode: VisitCode, formCode: string): boolean {
  return formCode === 'LAB' && (visitCode === 'SCR' || visitCode === 'M6');
}

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
