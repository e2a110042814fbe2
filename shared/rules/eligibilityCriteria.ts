// The eligibility criteria of the registry record as data (ids, kinds, labels) and the status labels: no imports, so
// the ELIG form definition can list one derived value per criterion without an import cycle through the study.
import type { Bilingual } from '../protocol/types';

export type CriterionId =
  | 'INC_AGE'
  | 'INC_SEX_NOT_PREGNANT'
  | 'INC_CONSENT'
  | 'INC_SLE_ACR'
  | 'INC_DISEASE_ACTIVITY'
  | 'INC_LN_CLASS_III_IV'
  | 'EXC_PREGNANCY_NURSING'
  | 'EXC_INVESTIGATIONAL_30D'
  | 'EXC_STUDY_CONDUCT'
  | 'EXC_CREATININE_GT_250'
  | 'EXC_WBC_LT_3_5'
  | 'EXC_PEPTIC_ULCER'
  | 'EXC_SYSTEMIC_INFECTION'
  | 'EXC_SUBSTANCE_ABUSE'
  | 'EXC_MALIGNANCY_5Y'
  | 'EXC_OTHER_SERIOUS';

/**
 * Status says whether the eligibility REQUIREMENT is satisfied, for both kinds:
 * inclusion 'met' = the subject has the required feature; exclusion 'met' = the exclusion does NOT apply
 * (the subject is fine with respect to it); 'not_met' = ineligible on this criterion; 'missing' = data not yet entered.
 */
export type CriterionStatus = 'met' | 'not_met' | 'missing';

export const ELIGIBILITY_CRITERIA: readonly { id: CriterionId; kind: 'inclusion' | 'exclusion'; label: Bilingual }[] = [
  { id: 'INC_AGE', kind: 'inclusion', label: { zh: '签署知情同意时年龄 16–65 岁（含）', en: 'Age 16 to 65 years inclusive at consent' } },
  { id: 'INC_SEX_NOT_PREGNANT', kind: 'inclusion', label: { zh: '男性，或未妊娠的女性', en: 'Male, or female not pregnant' } },
  { id: 'INC_CONSENT', kind: 'inclusion', label: { zh: '患者或其父母/监护人已签署书面知情同意（16–17 岁须监护人签字）', en: 'Written informed consent from patient or parent/guardian (guardian if aged 16-17)' } },
  { id: 'INC_SLE_ACR', kind: 'inclusion', label: { zh: '符合美国风湿病学会（ACR）SLE 分类标准（≥4 条）', en: 'SLE by American College of Rheumatology criteria (≥4)' } },
  { id: 'INC_DISEASE_ACTIVITY', kind: 'inclusion', label: { zh: 'SLEDAI-2K 评分 >8 或 BILAG 肾脏 A/B 级', en: 'SLEDAI-2K > 8 or BILAG renal grade A/B' } },
  { id: 'INC_LN_CLASS_III_IV', kind: 'inclusion', label: { zh: '新诊断的 WHO/ISN-RPS III 型或 IV 型狼疮性肾炎', en: 'Newly diagnosed WHO/ISN-RPS class III or IV lupus nephritis' } },
  { id: 'EXC_PREGNANCY_NURSING', kind: 'exclusion', label: { zh: '妊娠或哺乳期，或有生育能力但无阴性妊娠试验/未采取公认避孕措施', en: 'Pregnant or nursing, or childbearing potential without a negative test / accepted contraception' } },
  { id: 'EXC_INVESTIGATIONAL_30D', kind: 'exclusion', label: { zh: '筛选前 30 天内曾使用试验用药品', en: 'Investigational product within 30 days before screening' } },
  { id: 'EXC_STUDY_CONDUCT', kind: 'exclusion', label: { zh: '直接参与本研究实施的人员', en: 'Directly involved in the conduct of the study' } },
  { id: 'EXC_CREATININE_GT_250', kind: 'exclusion', label: { zh: '血肌酐 >250 µmol/L', en: 'Serum creatinine > 250 µmol/L' } },
  { id: 'EXC_WBC_LT_3_5', kind: 'exclusion', label: { zh: '白细胞计数 <3.5×10⁹/L', en: 'WBC < 3.5×10⁹/L' } },
  { id: 'EXC_PEPTIC_ULCER', kind: 'exclusion', label: { zh: '活动性消化性溃疡', en: 'Active peptic ulcer disease' } },
  { id: 'EXC_SYSTEMIC_INFECTION', kind: 'exclusion', label: { zh: '活动性全身感染', en: 'Active systemic infection' } },
  { id: 'EXC_SUBSTANCE_ABUSE', kind: 'exclusion', label: { zh: '酗酒或药物滥用史', en: 'History of alcohol or substance abuse' } },
  { id: 'EXC_MALIGNANCY_5Y', kind: 'exclusion', label: { zh: '近 5 年内恶性肿瘤病史', en: 'Malignancy within the previous 5 years' } },
  { id: 'EXC_OTHER_SERIOUS', kind: 'exclusion', label: { zh: '研究者判断会影响治疗、评估或完成研究的其他严重疾病或残疾', en: 'Other serious condition or disability that would interfere (investigator’s opinion)' } },
];

export const ELIGIBILITY_STATUS_LABELS: Record<CriterionStatus, Bilingual> = {
  met: { zh: '符合', en: 'Met' },
  not_met: { zh: '不符合', en: 'Not met' },
  missing: { zh: '缺少数据', en: 'Missing' },
};
