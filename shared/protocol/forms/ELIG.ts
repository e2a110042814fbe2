// ELIG form: eligibility is derived from the casebook; the investigator only reviews and confirms (PROTOCOL.md "ELIG").
// Each criterion's status is a derived value of its own (met / not met / missing), stored with the form (rule 13).
import type { DerivedDef, FormContext, FormDef } from '../types';
import { evaluateEligibility, type EligibilityResult } from '../../rules/eligibility';
import { ELIGIBILITY_CRITERIA, ELIGIBILITY_STATUS_LABELS, type CriterionStatus } from '../../rules/eligibilityCriteria';
import { INVESTIGATOR_ONLY, bi, choice, field } from './fieldKit';

/** The evaluation of the casebook (one per context object: the derived values and checks share it). */
const cache = new WeakMap<object, EligibilityResult>();
export function eligibilityOf(ctx: FormContext | undefined): EligibilityResult {
  const casebook = ctx?.casebook ?? [];
  let r = cache.get(casebook);
  if (!r) cache.set(casebook, (r = evaluateEligibility([...casebook])));
  return r;
}

const STATUS_CHOICES = (Object.keys(ELIGIBILITY_STATUS_LABELS) as CriterionStatus[]).map((s) => choice(s, ELIGIBILITY_STATUS_LABELS[s].zh, ELIGIBILITY_STATUS_LABELS[s].en));

/** One criterion's status as a derived value: 'met' / 'not_met' / 'missing' (the id is the criterion's, e.g. INC_AGE). */
const criterionValues: DerivedDef[] = ELIGIBILITY_CRITERIA.map((c) => ({
  id: c.id,
  label: { zh: `${c.kind === 'inclusion' ? '入选' : '排除'}：${c.label.zh}`, en: `${c.kind === 'inclusion' ? 'Inclusion' : 'Exclusion'}: ${c.label.en}` },
  formula: bi(
    c.kind === 'inclusion' ? '符合 = 具备该入选条件；不符合；缺少数据' : '符合 = 不存在该排除情况；不符合 = 存在；缺少数据',
    c.kind === 'inclusion' ? 'met = the subject has the required feature; not met; missing = data not entered' : 'met = the exclusion does not apply; not met = it applies; missing = data not entered',
  ),
  choices: STATUS_CHOICES,
  hideOnForm: true,
  compute: (_d, ctx) => eligibilityOf(ctx).criteria.find((x) => x.id === c.id)?.status ?? null,
}));

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
        const r = eligibilityOf(ctx);
        return r.eligible === null ? null : r.eligible ? 1 : 0;
      },
    },
    {
      id: 'criteriaMet',
      label: { zh: '已满足标准数', en: 'Criteria satisfied' },
      formula: { zh: '状态为"符合"的标准条数', en: 'Number of criteria with status met' },
      decimals: 0,
      compute: (_d, ctx) => eligibilityOf(ctx).criteria.filter((c) => c.status === 'met').length,
    },
    ...criterionValues,
  ],
  // The screening forms every criterion reads (VITALS, RAND and the others are not criteria).
  derivedReads: ['CONSENT', 'DEMOG', 'MEDHX', 'BIOPSY', 'SLEDAI', 'BILAG', 'LAB', 'PREG'],
};
