// RESPONSE form: the derived Month 6 renal response (primary endpoint), confirmed by the investigator (PROTOCOL.md "Primary endpoint").
import type { FormDef } from '../types';
import { classifyRenalResponse, isRemission } from '../../rules/renalResponse';
import { renalResponseInputs } from '../endpointInputs';
import { INVESTIGATOR_ONLY, field } from './fieldKit';

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
        const r = classifyRenalResponse(renalResponseInputs(ctx?.casebook ?? []));
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
        const b = baseline.creatinineUmolL;
        const m = month6.creatinineUmolL;
        return typeof b === 'number' && typeof m === 'number' && b > 0 ? m / b : null;
      },
    },
  ],
};
