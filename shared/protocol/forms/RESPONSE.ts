// RESPONSE form: the derived Month 6 renal response (primary endpoint), confirmed by the investigator (PROTOCOL.md
// "Primary endpoint"); the confirmation is stored as the RESPONSE of record (cross-form rule 10, responseRecord.ts).
import type { DerivedDef, FormDef } from '../types';
import { RENAL_RESPONSE_LABELS, classifyRenalResponse, isRemission, type RenalResponseResult, type RenalRuleStep } from '../../rules/renalResponse';
import { renalResponseInputs } from '../endpointInputs';
import { asMeasured, exactValue } from '../../rules/measured';
import { INVESTIGATOR_ONLY, bi, choice, field, inSection } from './fieldKit';
import type { FormContext } from '../types';

/** The classification of the casebook (one per context object: the derived values below share it). */
const cache = new WeakMap<object, RenalResponseResult>();
function classified(ctx: FormContext | undefined): RenalResponseResult {
  const casebook = ctx?.casebook ?? [];
  let r = cache.get(casebook);
  if (!r) cache.set(casebook, (r = classifyRenalResponse(renalResponseInputs(casebook))));
  return r;
}

const CATEGORY_CHOICES = (Object.keys(RENAL_RESPONSE_LABELS) as (keyof typeof RENAL_RESPONSE_LABELS)[]).map((c) =>
  choice(c, RENAL_RESPONSE_LABELS[c].zh, RENAL_RESPONSE_LABELS[c].en),
);

const PASS_FORMULA = bi('1 = 成立，0 = 不成立，空 = 缺少输入或检测限无法判定', '1 = holds, 0 = fails, empty = an input missing or a reported limit cannot decide');

/** One rule step as a derived value: 1 / 0 / null (the step's `pass`). */
function stepValue(id: string, zh: string, en: string, step: (r: RenalResponseResult) => RenalRuleStep): DerivedDef {
  return {
    id,
    label: bi(zh, en),
    formula: PASS_FORMULA,
    decimals: 0,
    hideOnForm: true,
    compute: (_d, ctx) => {
      const pass = step(classified(ctx)).pass;
      return pass === null ? null : pass ? 1 : 0;
    },
  };
}

export const RESPONSE: FormDef = {
  code: 'RESPONSE',
  label: { zh: '肾脏缓解评估（主要终点）', en: 'Renal response (primary endpoint)' },
  derivedOnly: true,
  fields: [
    field('assessmentDate', 'date', '评估日期', 'Assessment date', { required: true, visitDate: true }),
    field('confirmed', 'boolean', '研究者已核对各项输入值及判定步骤并确认结果', 'Investigator has checked every input and rule step and confirms the result', {
      required: true,
      ...INVESTIGATOR_ONLY,
    }),
    field('comment', 'textarea', '研究者备注', 'Investigator comment', { maxLength: 1000, ...INVESTIGATOR_ONLY }),
    // Written by the back end when the investigator confirms (and recordWithdrawal when an input changes after).
    ...inSection(bi('终点记录（系统生成）', 'Endpoint of record (written by the system)'), [
      field('recordCategory', 'choice', '确认时的判定', 'Category confirmed', { system: true, choices: CATEGORY_CHOICES }),
      field('recordSteps', 'textarea', '确认时的判定步骤（JSON）', 'Rule steps confirmed (JSON)', { system: true }),
      field('recordInputs', 'textarea', '确认时的输入值及来源表单版本（JSON）', 'Inputs confirmed, with their source form and version (JSON)', { system: true }),
      field('recordRulesVersion', 'text', '确认时的规则版本', 'Rules version confirmed', { system: true }),
      field('recordMissing', 'textarea', '无法评估时缺少的输入（JSON）', 'Missing inputs when not evaluable (JSON)', { system: true }),
      field('recordWithdrawal', 'textarea', '确认撤销原因', 'Why the confirmation was withdrawn', { system: true }),
    ]),
  ],
  derived: [
    {
      id: 'remission',
      label: { zh: '缓解（完全 + 部分）', en: 'Remission (complete + partial)' },
      formula: {
        zh: '1 = 完全或部分缓解，0 = 未缓解，空 = 无法评估（缺少输入）',
        en: '1 = complete or partial remission, 0 = no remission, empty = not evaluable (input missing)',
      },
      decimals: 0,
      compute: (_d, ctx) => {
        const r = classified(ctx);
        return r.category === 'not_evaluable' ? null : isRemission(r.category) ? 1 : 0;
      },
    },
    {
      id: 'creatinineRatio',
      label: { zh: '第 6 个月血肌酐 / 基线', en: 'Month 6 / baseline creatinine' },
      formula: { zh: '第 6 个月血肌酐 ÷ 基线血肌酐（≤1.25 为稳定或改善）', en: 'M6 creatinine ÷ baseline creatinine (≤1.25 = stable or improved)' },
      decimals: 2,
      compute: (_d, ctx) => {
        const { baseline, month6 } = renalResponseInputs(ctx?.casebook ?? []);
        // Exact values only: a reported limit ('<50') gives no ratio.
        const b = exactValue(asMeasured(baseline.creatinineUmolL));
        const m = exactValue(asMeasured(month6.creatinineUmolL));
        return b !== null && m !== null && b > 0 ? m / b : null;
      },
    },
    {
      id: 'category',
      label: bi('肾脏缓解判定', 'Renal response category'),
      formula: bi(
        '完全缓解：规则 1、2 成立且第 6 个月尿蛋白 < 0.5 g/24 h；部分缓解：规则 1–3 成立但非完全；未缓解：任一规则不成立；无法评估：缺少输入',
        'Complete: rules 1 and 2 hold and M6 protein < 0.5 g/24 h; partial: rules 1-3 hold, not complete; none: any of 1-3 fails; not evaluable: an input missing',
      ),
      choices: CATEGORY_CHOICES,
      hideOnForm: true,
      compute: (_d, ctx) => classified(ctx).category,
    },
    stepValue('step1RenalFunction', '规则 1：第 6 个月血肌酐 ≤ 1.25 × 基线', 'Rule 1: M6 creatinine ≤ 1.25 × baseline', (r) => r.steps.renalFunction),
    stepValue('step2UrineRbc', '规则 2：第 6 个月尿红细胞 < 10 /HPF', 'Rule 2: M6 urine RBC < 10 /HPF', (r) => r.steps.urineRbc),
    stepValue('step3Proteinuria', '规则 3：蛋白尿缓解', 'Rule 3: proteinuria', (r) => r.steps.proteinuria),
    stepValue('stepComplete', '完全缓解：规则 1、2 且尿蛋白 < 0.5 g/24 h', 'Complete: rules 1, 2 and protein < 0.5 g/24 h', (r) => r.steps.complete),
    {
      id: 'missingInputs',
      label: bi('无法评估时缺少或无法判定的输入', 'Inputs missing or undecided (not evaluable)'),
      formula: bi('缺少的输入及检测限无法判定的输入，以“; ”分隔', 'The missing inputs and the reported limits that cannot decide, separated by "; "'),
      hideOnForm: true,
      compute: (_d, ctx) => {
        const r = classified(ctx);
        const all = [...r.missing, ...r.undecided];
        return all.length ? all.join('; ') : null;
      },
    },
  ],
  // Baseline (screening) and Month 6 LAB.
  derivedReads: ['LAB'],
};
