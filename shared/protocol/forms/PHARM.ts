// PHARM form: the pharmacy's preparation and release of one study-product bag (amendment 1, rule 4). Only the
// unblinded pharmacist saves it; blinded roles see the kit number and the release decision, never the product, the
// cell count, the viability or the cell dose. Its hidden part has the same items whatever the bag holds (a placebo's
// viability is "not applicable", every release has a note and says whether it is outside the specification), so not
// even the number of withheld audit rows tells the arms apart.
import type { FormData, FormDef } from '../types';
import { visitWeightKg } from '../casebook';
import { numberValue } from '../formValues';
import { bi, choice, field, inSection } from './fieldKit';

/** Release criterion: viability ≥ 70 %. Below it the product is not releasable. */
export const MIN_RELEASE_VIABILITY_PERCENT = 70;
/** The product specification per bag: 100 ×10⁶ cells (2×10⁸ over two infusions), releasable at 80-120 ×10⁶. */
export const CELLS_PER_BAG_SPEC = { min: 80, max: 120, nominal: 100 } as const;

const released = (d: FormData) => d.releaseDecision === 'released';

/** A released hUC-MSC bag outside the specification (cell count or viability): released only with an explanation. */
export function pharmOutOfSpec(d: FormData): boolean {
  if (d.productType !== 'MSC') return false;
  const cells = numberValue(d, 'cellsInBag');
  const viability = numberValue(d, 'viabilityPercent');
  return (
    (cells !== null && (cells < CELLS_PER_BAG_SPEC.min || cells > CELLS_PER_BAG_SPEC.max)) ||
    (viability !== null && viability < MIN_RELEASE_VIABILITY_PERCENT)
  );
}

const SECRET = { unblindedOnly: true } as const;

export const PHARM: FormDef = {
  code: 'PHARM',
  label: { zh: '研究药物配制与放行（药房）', en: 'Study product preparation and release (pharmacy)' },
  editRoles: ['pharmacist'],
  fields: [
    ...inSection(bi('药物', 'Kit'), [
      field('kitNo', 'text', '药物编号', 'Kit number', { required: true, maxLength: 20, help: bi('须与随机时分配的药物编号一致', 'Must match the kit assigned at randomisation') }),
      field('preparedDate', 'date', '配制日期', 'Date prepared', { required: true }),
    ]),
    ...inSection(bi('产品（仅非盲药师可见）', 'Product (unblinded pharmacist only)'), [
      field('productType', 'choice', '袋内产品', 'Product in the bag', {
        ...SECRET,
        required: true,
        choices: [choice('MSC', '人脐带间充质干细胞（hUC-MSC）', 'hUC-MSC'), choice('PLACEBO', '安慰剂', 'Placebo')],
        help: bi('按随机表核对：与该药物编号的分组一致', 'Check against the list: as allocated to this kit'),
      }),
      field('productLot', 'text', '产品批号', 'Product lot', { ...SECRET, required: true, maxLength: 30 }),
      // A placebo bag holds no cells (0); an hUC-MSC bag nominally 100 ×10⁶ (80-120 releasable). 0-1000 is the hard limit.
      field('cellsInBag', 'number', '每袋细胞数', 'Cells in bag', {
        ...SECRET,
        unit: '×10⁶',
        decimals: 1,
        required: true,
        plausible: { min: 0, max: 1000 },
        help: bi('安慰剂袋为 0；hUC-MSC 每袋 100×10⁶（放行范围 80–120×10⁶）', 'Placebo: 0; hUC-MSC: 100 ×10⁶ per bag (releasable 80-120 ×10⁶)'),
      }),
      field('viabilityPercent', 'number', '细胞活率', 'Viability', {
        ...SECRET,
        unit: '%',
        decimals: 1,
        plausible: { min: 0, max: 100 },
        required: true,
        qualified: { notApplicable: true },
        help: bi('放行要求活率 ≥70%；安慰剂袋填“不适用”', 'Release requires viability ≥70 %; a placebo bag: type "not applicable"'),
      }),
    ]),
    ...inSection(bi('放行', 'Release'), [
      field('releaseDecision', 'choice', '放行决定', 'Release decision', {
        required: true,
        choices: [choice('released', '放行', 'Released'), choice('not_released', '不放行', 'Not released')],
      }),
      field('releasedOutOfSpec', 'boolean', '超出产品标准放行（方案偏离）', 'Released outside the product specification (protocol deviation)', {
        ...SECRET,
        visibleWhen: released,
        required: released,
        help: bi('细胞数 80–120×10⁶、活率 ≥70% 以外仍放行时选“是”', 'Yes when released with cells outside 80-120 ×10⁶ or viability below 70 %'),
      }),
      field('releaseNote', 'textarea', '放行说明', 'Release note', {
        ...SECRET,
        visibleWhen: released,
        required: released,
        maxLength: 1000,
        help: bi('符合标准时写“符合放行标准”；超标放行须写明理由', 'Within the specification: "meets the release specification"; outside it: the reason'),
      }),
      field('notReleasedReason', 'text', '不放行原因', 'Reason not released', {
        ...SECRET,
        visibleWhen: (d) => d.releaseDecision === 'not_released',
        required: (d) => d.releaseDecision === 'not_released',
        maxLength: 200,
      }),
    ]),
  ],
  derived: [
    {
      id: 'cellsPerKg',
      label: { zh: '细胞剂量', en: 'Cell dose' },
      unit: '×10⁶/kg',
      unblindedOnly: true,
      formula: { zh: '每袋细胞数（×10⁶）÷ 同次访视体重 kg', en: 'Cells in bag (×10⁶) ÷ weight kg from the same visit' },
      decimals: 2,
      compute: (d, ctx) => {
        const cells = numberValue(d, 'cellsInBag');
        const w = visitWeightKg(ctx);
        return cells === null || w === null || w <= 0 ? null : cells / w;
      },
    },
  ],
  // The visit's weight (VITALS).
  derivedReads: ['VITALS'],
};
