// What the INFUSION and PHARM panels show (amendment 1, rule 4). The ward's INFUSION: the kit against randomisation and
// the pharmacy's release of that kit (blinded: kit, decision, date). The pharmacist's PHARM: cell dose per kg from the
// visit's weight, the viability and cell-count release checks, the kit.
import { CELLS_PER_BAG_SPEC, MIN_RELEASE_VIABILITY_PERCENT } from '../../../shared/protocol/forms/PHARM';
import { formAt } from '../../../shared/protocol/crossFormData';
import { formData } from '../../../shared/protocol/casebook';
import { dateValue, numberValue, stringValue } from '../../../shared/protocol/formValues';
import type { CasebookForm, FormData, VisitCode } from '../../../shared/protocol/types';

export type CheckState = 'pass' | 'fail' | 'missing';

export interface KitCheck {
  kitEntered: string | null;
  kitAssigned: string | null;
  kitMatch: CheckState;
}

export interface InfusionChecks extends KitCheck {
  /** The pharmacy's release of the bag for this visit (PHARM): never the product or its counts. */
  release: 'released' | 'not_released' | 'missing';
  releaseKit: string | null;
  releaseDate: string | null;
}

export interface PharmChecks extends KitCheck {
  productType: string | null;
  cellsInBag: number | null;
  weightKg: number | null;
  /** Cells in bag (×10⁶) ÷ weight kg. */
  cellsPerKg: number | null;
  viabilityPercent: number | null;
  /** Viability ≥ 70 % (hUC-MSC only). */
  viability: CheckState;
  /** Cells 80-120 ×10⁶ for hUC-MSC, 0 for placebo. */
  cells: CheckState;
}

const normaliseKit = (k: string) => k.trim().toUpperCase();

function kitCheck(values: FormData, casebook: readonly CasebookForm[]): KitCheck {
  const kitEntered = stringValue(values, 'kitNo');
  const kitAssigned = stringValue(formData(casebook, 'RAND'), 'kitNo');
  const kitMatch: CheckState = kitEntered === null || kitAssigned === null ? 'missing' : normaliseKit(kitEntered) === normaliseKit(kitAssigned) ? 'pass' : 'fail';
  return { kitEntered, kitAssigned, kitMatch };
}

export function infusionChecks(values: FormData, casebook: readonly CasebookForm[], visitCode: VisitCode): InfusionChecks {
  const pharm = formAt(casebook, 'PHARM', visitCode)?.data;
  const decision = stringValue(pharm, 'releaseDecision');
  return {
    ...kitCheck(values, casebook),
    release: decision === 'released' || decision === 'not_released' ? decision : 'missing',
    releaseKit: stringValue(pharm, 'kitNo'),
    releaseDate: dateValue(pharm, 'preparedDate'),
  };
}

export function pharmChecks(values: FormData, casebook: readonly CasebookForm[], visitCode: VisitCode): PharmChecks {
  const productType = stringValue(values, 'productType');
  const cellsInBag = numberValue(values, 'cellsInBag');
  const weightKg = numberValue(formAt(casebook, 'VITALS', visitCode)?.data, 'weightKg');
  const cellsPerKg = cellsInBag !== null && weightKg !== null && weightKg > 0 ? cellsInBag / weightKg : null;
  const viabilityPercent = numberValue(values, 'viabilityPercent');
  const viability: CheckState = viabilityPercent === null ? 'missing' : viabilityPercent >= MIN_RELEASE_VIABILITY_PERCENT ? 'pass' : 'fail';
  let cells: CheckState = 'missing';
  if (cellsInBag !== null && productType === 'PLACEBO') cells = cellsInBag === 0 ? 'pass' : 'fail';
  else if (cellsInBag !== null && productType === 'MSC') cells = cellsInBag >= CELLS_PER_BAG_SPEC.min && cellsInBag <= CELLS_PER_BAG_SPEC.max ? 'pass' : 'fail';
  return { ...kitCheck(values, casebook), productType, cellsInBag, weightKg, cellsPerKg, viabilityPercent, viability, cells };
}
