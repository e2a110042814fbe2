// MEDHX form: SLE diagnosis, ACR criteria count, newly diagnosed LN, and history items mapped to exclusion criteria (PROTOCOL.md "MEDHX").
import type { FormDef } from '../types';
import { bi, field, inSection } from './fieldKit';

const EXCLUSION_HISTORY = bi('排除标准相关病史', 'History relevant to exclusion criteria');

export const MEDHX: FormDef = {
  code: 'MEDHX',
  label: { zh: '病史', en: 'Medical history' },
  fields: [
    ...inSection(bi('系统性红斑狼疮', 'Systemic lupus erythematosus'), [
      field('sleDiagnosisDate', 'date', 'SLE 确诊日期', 'Date of SLE diagnosis', { required: true, allowBeforeConsent: true }),
      field('acrCriteriaCount', 'integer', '符合 ACR 分类标准条数（共 11 条）', 'ACR classification criteria met (of 11)', {
        required: true,
        plausible: { min: 0, max: 11 },
        help: { zh: '≥4 条方可确诊 SLE（入选标准）', en: '≥4 needed for SLE (inclusion criterion)' },
      }),
      field('lnNewlyDiagnosed', 'boolean', '狼疮性肾炎为新诊断', 'Lupus nephritis newly diagnosed', { required: true }),
    ]),
    ...inSection(EXCLUSION_HISTORY, [
      field('activePepticUlcer', 'boolean', '活动性消化性溃疡', 'Active peptic ulcer disease', { required: true }),
      field('activeSystemicInfection', 'boolean', '活动性全身感染', 'Active systemic infection', { required: true }),
      field('substanceAbuseHistory', 'boolean', '酗酒或药物滥用史', 'History of alcohol or substance abuse', { required: true }),
      field('malignancyWithin5Years', 'boolean', '近 5 年内恶性肿瘤病史', 'Malignancy within the previous 5 years', { required: true }),
      field('investigationalProductWithin30Days', 'boolean', '筛选前 30 天内曾使用试验用药品', 'Investigational product within 30 days before screening', { required: true }),
      field('involvedInStudyConduct', 'boolean', '直接参与本研究实施的人员', 'Directly involved in the conduct of this study', { required: true }),
      field('otherSeriousCondition', 'boolean', '其他严重疾病或残疾（研究者判断影响治疗、评估或完成研究）', 'Other serious condition or disability (investigator judges it would interfere)', { required: true }),
      field('otherSeriousConditionDetails', 'textarea', '其他严重疾病详情', 'Details of the serious condition', {
        visibleWhen: (d) => d.otherSeriousCondition === true,
        required: (d) => d.otherSeriousCondition === true,
        maxLength: 500,
      }),
    ]),
  ],
};
