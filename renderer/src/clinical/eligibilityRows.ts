// Eligibility rows for the ELIG screen: each criterion with its label, status and the source value it was judged from, in both languages.
import { ageYears } from '../../../shared/rules/age';
import {
  ELIGIBILITY_CRITERIA,
  ELIGIBILITY_LIMITS,
  eligibilityFactsFromCasebook,
  evaluateEligibility,
  type CriterionId,
  type CriterionStatus,
  type EligibilityFacts,
} from '../../../shared/rules/eligibility';
import type { Bilingual, CasebookForm } from '../../../shared/protocol/types';
import { asMeasured, formatMeasured } from '../../../shared/rules/measured';

export interface EligibilityRow {
  id: CriterionId;
  kind: 'inclusion' | 'exclusion';
  label: Bilingual;
  status: CriterionStatus;
  /** What the status was judged from, e.g. "年龄 34 岁（知情同意日 2026-03-02）". */
  source: Bilingual;
}

export interface EligibilityView {
  /** true: all met; false: any not met; null: none failed but data are missing. */
  eligible: boolean | null;
  rows: EligibilityRow[];
  counts: Record<CriterionStatus, number>;
}

const MISSING: Bilingual = { zh: '未录入', en: 'not entered' };

function yesNo(v: boolean | null | undefined): Bilingual {
  return v === true ? { zh: '是', en: 'yes' } : v === false ? { zh: '否', en: 'no' } : MISSING;
}

function join(parts: Bilingual[], zhSep = '；', enSep = '; '): Bilingual {
  return { zh: parts.map((p) => p.zh).join(zhSep), en: parts.map((p) => p.en).join(enSep) };
}

function historyItem(zhForm: string, enForm: string, v: boolean | null | undefined): Bilingual {
  const yn = yesNo(v);
  return { zh: `${zhForm}：${yn.zh}`, en: `${enForm}: ${yn.en}` };
}

const SIGNED_BY: Record<string, Bilingual> = {
  patient: { zh: '患者本人', en: 'patient' },
  patient_and_guardian: { zh: '患者及监护人', en: 'patient and guardian' },
  guardian: { zh: '监护人', en: 'guardian' },
};

function pregnancyTest(f: EligibilityFacts): Bilingual {
  return f.pregnancyTestResult === 'negative'
    ? { zh: '妊娠试验阴性', en: 'pregnancy test negative' }
    : f.pregnancyTestResult === 'positive'
      ? { zh: '妊娠试验阳性', en: 'pregnancy test positive' }
      : { zh: '妊娠试验未录入', en: 'pregnancy test not entered' };
}

function sexText(f: EligibilityFacts): Bilingual {
  return f.sex === 'F' ? { zh: '女性', en: 'female' } : f.sex === 'M' ? { zh: '男性', en: 'male' } : { zh: '性别未录入', en: 'sex not entered' };
}

/** Source value of one criterion, from the facts the rule used. */
export function criterionSource(id: CriterionId, f: EligibilityFacts, status: CriterionStatus): Bilingual {
  const L = ELIGIBILITY_LIMITS;
  switch (id) {
    case 'INC_AGE': {
      const age = f.dateOfBirth && f.consentDate ? ageYears(f.dateOfBirth, f.consentDate) : NaN;
      if (!Number.isFinite(age)) {
        return { zh: `出生日期 ${f.dateOfBirth ?? '未录入'}，知情同意日 ${f.consentDate ?? '未录入'}`, en: `Date of birth ${f.dateOfBirth ?? 'not entered'}, consent ${f.consentDate ?? 'not entered'}` };
      }
      return { zh: `年龄 ${age} 岁（知情同意日 ${f.consentDate}）`, en: `Age ${age} years (consent ${f.consentDate})` };
    }
    case 'INC_SEX_NOT_PREGNANT':
      if (f.sex === 'F') {
        const wocbp = f.childbearingPotential === false ? { zh: '无生育能力', en: 'not of childbearing potential' } : pregnancyTest(f);
        return join([sexText(f), wocbp], '，', ', ');
      }
      return sexText(f);
    case 'INC_CONSENT': {
      const by = f.consentSignedBy ? SIGNED_BY[f.consentSignedBy] ?? { zh: f.consentSignedBy, en: f.consentSignedBy } : MISSING;
      return f.consentDate
        ? { zh: `知情同意日 ${f.consentDate}，签署人：${by.zh}`, en: `Consent ${f.consentDate}, signed by ${by.en}` }
        : { zh: '知情同意未录入', en: 'Consent not entered' };
    }
    case 'INC_SLE_ACR':
      return typeof f.acrCriteriaCount === 'number'
        ? { zh: `ACR 标准 ${f.acrCriteriaCount} 条（需 ≥${L.minAcrCriteria}）`, en: `ACR criteria ${f.acrCriteriaCount} (needs ≥${L.minAcrCriteria})` }
        : { zh: 'ACR 标准条数未录入', en: 'ACR criteria count not entered' };
    case 'INC_DISEASE_ACTIVITY': {
      const s: Bilingual =
        typeof f.sledaiTotal === 'number'
          ? { zh: `SLEDAI-2K ${f.sledaiTotal} 分（需 >${L.sledaiAbove}）`, en: `SLEDAI-2K ${f.sledaiTotal} (needs >${L.sledaiAbove})` }
          : { zh: 'SLEDAI-2K 未录入', en: 'SLEDAI-2K not entered' };
      const b: Bilingual = f.bilagRenalGrade
        ? { zh: `BILAG 肾脏 ${f.bilagRenalGrade} 级`, en: `BILAG renal grade ${f.bilagRenalGrade}` }
        : { zh: 'BILAG 肾脏未录入', en: 'BILAG renal not entered' };
      return join([s, b]);
    }
    case 'INC_LN_CLASS_III_IV': {
      const c: Bilingual = f.biopsyClass ? { zh: `肾活检 ISN/RPS ${f.biopsyClass} 型`, en: `Biopsy ISN/RPS class ${f.biopsyClass}` } : { zh: '肾活检分型未录入', en: 'Biopsy class not entered' };
      return join([c, historyItem('新诊断', 'newly diagnosed', f.lnNewlyDiagnosed)]);
    }
    case 'EXC_PREGNANCY_NURSING': {
      if (f.sex !== 'F') return sexText(f);
      const parts: Bilingual[] = [sexText(f), historyItem('有生育能力', 'childbearing potential', f.childbearingPotential), historyItem('哺乳', 'nursing', f.breastfeeding)];
      if (f.childbearingPotential !== false) parts.push(pregnancyTest(f), historyItem('避孕', 'contraception', f.contraception));
      return join(parts, '，', ', ');
    }
    case 'EXC_INVESTIGATIONAL_30D':
      return historyItem('病史记录', 'Medical history', f.investigationalProductWithin30Days);
    case 'EXC_STUDY_CONDUCT':
      return historyItem('病史记录', 'Medical history', f.involvedInStudyConduct);
    case 'EXC_CREATININE_GT_250': {
      const cr = asMeasured(f.creatinineUmolL);
      if (!cr) return { zh: '筛选期血肌酐未录入', en: 'Screening creatinine not entered' };
      const v = formatMeasured(cr);
      if (status === 'missing') return { zh: `血肌酐 ${v} µmol/L：检测限无法判定是否 > ${L.maxCreatinineUmolL}`, en: `Creatinine ${v} µmol/L: the limit cannot tell > ${L.maxCreatinineUmolL}` };
      return status === 'not_met'
        ? { zh: `血肌酐 ${v} µmol/L > ${L.maxCreatinineUmolL}`, en: `Creatinine ${v} µmol/L > ${L.maxCreatinineUmolL}` }
        : { zh: `血肌酐 ${v} µmol/L ≤ ${L.maxCreatinineUmolL}`, en: `Creatinine ${v} µmol/L ≤ ${L.maxCreatinineUmolL}` };
    }
    case 'EXC_WBC_LT_3_5': {
      const wbc = asMeasured(f.wbc);
      if (!wbc) return { zh: '筛选期白细胞未录入', en: 'Screening WBC not entered' };
      const v = formatMeasured(wbc);
      if (status === 'missing') return { zh: `白细胞 ${v}×10⁹/L：检测限无法判定是否 < ${L.minWbc}`, en: `WBC ${v}×10⁹/L: the limit cannot tell < ${L.minWbc}` };
      return status === 'not_met'
        ? { zh: `白细胞 ${v}×10⁹/L < ${L.minWbc}`, en: `WBC ${v}×10⁹/L < ${L.minWbc}` }
        : { zh: `白细胞 ${v}×10⁹/L ≥ ${L.minWbc}`, en: `WBC ${v}×10⁹/L ≥ ${L.minWbc}` };
    }
    case 'EXC_PEPTIC_ULCER':
      return historyItem('病史记录', 'Medical history', f.activePepticUlcer);
    case 'EXC_SYSTEMIC_INFECTION':
      return historyItem('病史记录', 'Medical history', f.activeSystemicInfection);
    case 'EXC_SUBSTANCE_ABUSE':
      return historyItem('病史记录', 'Medical history', f.substanceAbuseHistory);
    case 'EXC_MALIGNANCY_5Y':
      return historyItem('病史记录', 'Medical history', f.malignancyWithin5Years);
    case 'EXC_OTHER_SERIOUS':
      return historyItem('研究者判断', "Investigator's judgement", f.otherSeriousCondition);
  }
}

/** Every criterion of the registry record, evaluated over the casebook by the shared rule, with its source value. */
export function eligibilityView(casebook: CasebookForm[]): EligibilityView {
  const facts = eligibilityFactsFromCasebook(casebook);
  const result = evaluateEligibility(facts);
  const counts: Record<CriterionStatus, number> = { met: 0, not_met: 0, missing: 0 };
  const rows = result.criteria.map((c) => {
    counts[c.status]++;
    const def = ELIGIBILITY_CRITERIA.find((d) => d.id === c.id);
    return { id: c.id, kind: c.kind, label: def?.label ?? { zh: c.id, en: c.id }, status: c.status, source: criterionSource(c.id, facts, c.status) };
  });
  return { eligible: result.eligible, rows, counts };
}
