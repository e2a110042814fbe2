// ELIG form: eligibility is derived from the casebook; the investigator only reviews and confirms (PROTOCOL.md "ELIG").
import type { FormDef } from '../types';
import { evaluateEligibility } from '../../rules/eligibility';
import { INVESTIGATOR_ONLY, field } from './fieldKit';

export const ELIG: FormDef = {
  code: 'ELIG',
  label: { zh: '入选/排除标准', en: 'Eligibility' },
  derivedOnly: true,
  fields: [
    field('confirmed', 'boolean', '研究者已逐条核对并确认以上入选/排除标准评估结果', 'Investigator has reviewed and confirms the criteria evaluation above', {
      required: true,
      ...INVESTIGATOR_ONLY,
    }),
    field('confirmedDate', 'date', '确认日期', 'Date confirmed', { required: (d) => d.confirmed === true, ...INVESTIGATOR_ONLY }),
    field('comment', 'textarea', '研究者备注', 'Investigator comment', { maxLength: 1000, ...INVESTIGATOR_ONLY }),
  ],
  derived: [
    {
      id: 'eligible',
      label: { zh: '符合全部标准', en: 'All criteria met' },
      formula: {
        zh: '全部入选标准符合且无排除标准 = 1；任一不符合 = 0；有缺失数据 = 空',
        en: '1 when every inclusion criterion is met and no exclusion applies; 0 when any fails; empty while data are missing',
      },
      decimals: 0,
      compute: (_d, ctx) => {
        const r = evaluateEligibility(ctx?.casebook ?? []);
        return r.eligible === null ? null : r.eligible ? 1 : 0;
      },
    },
    {
      id: 'criteriaMet',
      label: { zh: '已满足标准数', en: 'Criteria satisfied' },
      formula: { zh: '状态为"符合"的标准条数', en: 'Number of criteria with status met' },
      decimals: 0,
      compute: (_d, ctx) => evaluateEligibility(ctx?.casebook ?? []).criteria.filter((c) => c.status === 'met').length,
    },
  ],
};
