// What the INFUSION panel shows: cell dose per kg from the same visit's weight, the viability release check and the kit match.
import { MIN_RELEASE_VIABILITY_PERCENT } from '../../../shared/protocol/forms/INFUSION';
import { formData } from '../../../shared/protocol/casebook';
import { numberValue, stringValue } from '../../../shared/protocol/formValues';
import type { CasebookForm, FormData, VisitCode } from '../../../shared/protocol/types';

export type CheckState = 'pass' | 'fail' | 'missing';

export interface InfusionChecks {
  cellsInBag: number | null;
  weightKg: number | null;
  /** Cells in bag (×10⁶) ÷ weight kg. */
  cellsPerKg: number | null;
  viabilityPercent: number | null;
  release: CheckState;
  kitEntered: string | null;
  kitAssigned: string | null;
  kitMatch: CheckState;
}

const normaliseKit = (k: string) => k.trim().toUpperCase();

export function infusionChecks(values: FormData, casebook: CasebookForm[], visitCode: VisitCode): InfusionChecks {
  const cellsInBag = numberValue(values, 'cellsInBag');
  const weightKg = numberValue(formData(casebook, 'VITALS', visitCode), 'weightKg');
  const cellsPerKg = cellsInBag !== null && weightKg !== null && weightKg > 0 ? cellsInBag / weightKg : null;
  const viabilityPercent = numberValue(values, 'viabilityPercent');
  const release: CheckState = viabilityPercent === null ? 'missing' : viabilityPercent >= MIN_RELEASE_VIABILITY_PERCENT ? 'pass' : 'fail';
  const kitEntered = stringValue(values, 'kitNo');
  const kitAssigned = stringValue(formData(casebook, 'RAND'), 'kitNo');
  const kitMatch: CheckState = kitEntered === null || kitAssigned === null ? 'missing' : normaliseKit(kitEntered) === normaliseKit(kitAssigned) ? 'pass' : 'fail';
  return { cellsInBag, weightKg, cellsPerKg, viabilityPercent, release, kitEntered, kitAssigned, kitMatch };
}
