// Cross-form rules of amendment 1 (PROTOCOL.md "Cross-form rules"), as data beside the single-form edit checks:
// the form screen runs them for instant feedback and the back end, as the authority, on every save and again on the
// saved forms a change affects (dependentForms.ts). 'error' blocks the save; 'warning' saves and raises a query.
import type { Bilingual, FormContext, FormData } from './types';
import { cross, type CrossCheck } from './checkKit';
import { findForms } from './casebook';
import {
  CYC_LAB_MAX_AGE_DAYS,
  PREGNANCY_TEST_VALID_DAYS,
  daysBefore,
  describeSource,
  formAt,
  formDate,
  pregnancyTestFor,
  sameVisitData,
  type SourceRef,
} from './crossFormData';
import { CRITICAL_RULES, criticalFinding } from './criticalValues';
import { booleanValue, dateValue, listValue, numberValue, stringValue } from './formValues';
import { cycCreatinineClearance, cycLabSource } from './forms/CYC';
import { pharmOutOfSpec } from './forms/PHARM';
import { NOT_APPLICABLE, measuredValue, qualifiedText } from './labValues';
import { FORMS } from './study';
import { visitDef } from './visits';
import { CYC_RULES } from '../rules/cyclophosphamideDose';
import { daysBetween } from '../rules/dates';
import { formatMeasured, isAbove, isAtMost, isBelow } from '../rules/measured';
import { SLEDAI_DESCRIPTORS, SLEDAI_LAB_THRESHOLDS, suggestSledaiFromLab, type SledaiItem } from '../rules/sledai';

const where = (ref: SourceRef): Bilingual => describeSource(ref, FORMS[ref.formCode].label);

// --- Rule 1: screening timing ---------------------------------------------------------------------------------

/** The screening forms that must be dated day −28 … −1 (Day 0 = the randomisation date). */
export const SCREENING_DATED_FORMS = ['LAB', 'VITALS', 'PREG', 'SLEDAI', 'BILAG'] as const;

/** The screening forms dated outside day −28 … −1 of this Day 0, each with its study day. */
export function screeningOutOfRange(casebook: FormContext['casebook'], day0: string): { ref: SourceRef; day: number }[] {
  const range = visitDef('SCR')!.dayRange!;
  const out: { ref: SourceRef; day: number }[] = [];
  for (const code of SCREENING_DATED_FORMS) {
    const f = formAt(casebook, code, 'SCR');
    const date = f ? formDate(f) : null;
    if (!f || !date) continue;
    const day = daysBetween(day0, date);
    if (day < range.from || day > range.to) out.push({ ref: { visitCode: 'SCR', formCode: code, repeatKey: 0, date }, day });
  }
  return out;
}

const screeningTiming = cross(
  'RAND',
  'randDate',
  'screeningTiming',
  'error',
  { zh: '筛选期化验、生命体征、妊娠试验、SLEDAI、BILAG 须在第 −28 至 −1 天内', en: 'Screening LAB, VITALS, PREG, SLEDAI and BILAG must be dated day −28 to −1' },
  (d, ctx) => {
    const day0 = dateValue(d, 'randDate');
    if (!day0) return null;
    const bad = screeningOutOfRange(ctx?.casebook ?? [], day0);
    if (bad.length === 0) return null;
    const list = (lang: 'zh' | 'en') => bad.map((b) => `${FORMS[b.ref.formCode].label[lang]} ${b.ref.date}（${lang === 'zh' ? '第' : 'day'} ${b.day}${lang === 'zh' ? ' 天' : ''}）`).join(lang === 'zh' ? '；' : '; ');
    return {
      zh: `拒绝随机：筛选期表单须在第 −28 至 −1 天内（${daysBefore(day0, 28)} 至 ${daysBefore(day0, 1)}），请重复检查并更新：${list('zh')}`,
      en: `Randomisation refused: screening forms must be dated day −28 to −1 (${daysBefore(day0, 28)} to ${daysBefore(day0, 1)}); repeat and update: ${list('en').replace(/（/g, ' (').replace(/）/g, ')')}`,
    };
  },
);

// --- Rule 2: pregnancy tests before Day 0 and before each pulse --------------------------------------------------

function pregnancyMessage(ctx: FormContext, date: string, what: Bilingual): Bilingual | null {
  const t = pregnancyTestFor(ctx?.casebook ?? [], ctx?.subject ?? {}, date);
  if (t.state === 'not_required' || t.state === 'negative') return null;
  if (t.state === 'positive') {
    return { zh: `妊娠试验阳性（${where(t.source).zh}）：不得${what.zh}`, en: `Positive pregnancy test (${where(t.source).en}): no ${what.en}` };
  }
  return {
    zh: `有生育能力的女性须在${what.zh}前 ${PREGNANCY_TEST_VALID_DAYS} 天内（${t.from} 至 ${t.to}）有阴性妊娠试验，当前没有：不得${what.zh}`,
    en: `A woman of childbearing potential needs a negative pregnancy test within ${PREGNANCY_TEST_VALID_DAYS} days before ${what.en} (${t.from} to ${t.to}); there is none: no ${what.en}`,
  };
}

const randPregnancy = cross(
  'RAND',
  'randDate',
  'pregnancyTest',
  'error',
  { zh: '有生育能力的女性须在第 0 天前 7 天内有阴性妊娠试验', en: 'A woman of childbearing potential needs a negative pregnancy test within 7 days before Day 0' },
  (d, ctx) => {
    const day0 = dateValue(d, 'randDate');
    return day0 ? pregnancyMessage(ctx, day0, { zh: '随机', en: 'randomisation' }) : null;
  },
);

const cycPregnancy = cross(
  'CYC',
  'doseGiven',
  'pregnancyTest',
  'error',
  { zh: '环磷酰胺（致畸）给药前 7 天内须有阴性妊娠试验', en: 'A negative pregnancy test within 7 days before each cyclophosphamide pulse (teratogenic)' },
  (d, ctx) => {
    const date = dateValue(d, 'doseDate');
    return date && d.doseGiven === true ? pregnancyMessage(ctx, date, { zh: '给予环磷酰胺', en: 'cyclophosphamide' }) : null;
  },
);

// --- Rule 3: cyclophosphamide renal rule, intervals, doses ------------------------------------------------------

const cycNoRecentLab = cross(
  'CYC',
  'creatinineClearance',
  'noRecentLab',
  'warning',
  { zh: '给药前 14 天内无实验室检查：肌酐清除率为手工录入（质疑）', en: 'No LAB within 14 days before dosing: creatinine clearance typed by hand (query)' },
  (d, ctx) =>
    numberValue(d, 'creatinineClearance') !== null && cycLabSource(d, ctx) === null
      ? {
          zh: `给药日前 ${CYC_LAB_MAX_AGE_DAYS} 天内没有实验室检查，肌酐清除率 ${numberValue(d, 'creatinineClearance')} mL/min 为手工录入：请提供来源或补录化验`,
          en: `No LAB in the ${CYC_LAB_MAX_AGE_DAYS} days before dosing: creatinine clearance ${numberValue(d, 'creatinineClearance')} mL/min was typed by hand; give its source or enter the LAB`,
        }
      : null,
);

const cycCrClReduce = cross(
  'CYC',
  'targetMgPerM2',
  'crclReduce',
  'warning',
  { zh: '肌酐清除率 <30 mL/min：建议目标剂量 500 mg/m²（提示）', en: 'Creatinine clearance < 30 mL/min: 500 mg/m² suggested (notice)' },
  (d, ctx) => {
    const crcl = cycCreatinineClearance(d, ctx);
    const t = numberValue(d, 'targetMgPerM2');
    if (crcl === null || crcl >= CYC_RULES.reduceBelowCrCl || (t !== null && t <= CYC_RULES.reducedTargetMgPerM2)) return null;
    const c = Math.round(crcl * 10) / 10;
    return { zh: `肌酐清除率 ${c} mL/min <30 mL/min：建议目标剂量 500 mg/m²`, en: `Creatinine clearance ${c} mL/min is below 30 mL/min: 500 mg/m² suggested` };
  },
);

const cycDoseGivenPositive = cross(
  'CYC',
  'administeredDoseMg',
  'positive',
  'error',
  { zh: '已给药时实际给药剂量须大于 0', en: 'A dose given must be more than 0 mg' },
  (d) =>
    d.doseGiven === true && numberValue(d, 'administeredDoseMg') !== null && numberValue(d, 'administeredDoseMg')! <= 0
      ? { zh: '“本次已给药”为是，但实际给药剂量为 0 mg：请填写实际剂量，或将“本次已给药”改为否并填写原因', en: 'Dose given is yes but the administered dose is 0 mg: enter the dose, or set dose given to no with a reason' }
      : null,
);

const cycHeldPulse = cross(
  'CYC',
  'heldOn',
  'heldPulse',
  'error',
  { zh: '补给的冲击须对应本访视已暂缓的冲击，且在其之后给药', en: 'A pulse given later follows a held pulse of the same visit' },
  (d, ctx) => {
    if ((ctx?.repeatKey ?? 0) === 0) return null;
    const held = formAt(ctx?.casebook ?? [], 'CYC', ctx.visitCode, 0);
    const heldDate = held ? dateValue(held.data, 'doseDate') : null;
    if (!held || held.data.doseGiven !== false || !heldDate) {
      return { zh: '本访视没有暂缓的冲击（“本次已给药”为否）：不能补给', en: 'There is no held pulse at this visit (dose given: no): nothing to give later' };
    }
    const heldOn = dateValue(d, 'heldOn');
    if (heldOn && heldOn !== heldDate) {
      return { zh: `暂缓日期应为 ${heldDate}（本访视暂缓的冲击）`, en: `The held pulse of this visit is dated ${heldDate}` };
    }
    const date = dateValue(d, 'doseDate');
    return date && date <= heldDate
      ? { zh: `补给日期 ${date} 须晚于暂缓日期 ${heldDate}`, en: `The pulse given later (${date}) must be after the held date ${heldDate}` }
      : null;
  },
);

// --- Rule 4: the infusion's pharmacy release ----------------------------------------------------------------------

const pharmKitMatchesRand = cross(
  'PHARM',
  'kitNo',
  'matchesRand',
  'error',
  { zh: '配制的药物编号须与随机分配的药物编号一致', en: 'The kit prepared must be the kit assigned at randomisation' },
  (d, ctx) => {
    const kit = stringValue(d, 'kitNo');
    const randKit = ctx?.subject?.kitNo;
    if (kit === null) return null;
    if (!randKit) return { zh: `药物编号 ${kit}：受试者尚未随机`, en: `Kit ${kit}: the subject has not been randomised yet` };
    return kit.trim().toUpperCase() === randKit.trim().toUpperCase()
      ? null
      : { zh: `药物编号 ${kit} 与随机分配的 ${randKit} 不一致`, en: `Kit ${kit} does not match the randomised kit ${randKit}` };
  },
);

const pharmProductCells = cross(
  'PHARM',
  'cellsInBag',
  'productMatchesCells',
  'error',
  { zh: '安慰剂袋细胞数为 0、活率不适用；hUC-MSC 袋须含细胞并有活率', en: 'A placebo bag holds no cells (viability not applicable); an hUC-MSC bag holds cells with a viability' },
  (d) => {
    const cells = numberValue(d, 'cellsInBag');
    const naViability = d.viabilityPercent === NOT_APPLICABLE;
    if (d.productType === 'PLACEBO') {
      if (cells !== null && cells > 0) return { zh: `安慰剂袋记录了 ${cells}×10⁶ 个细胞：请核对产品`, en: `A placebo bag with ${cells} ×10⁶ cells: check the product` };
      if (d.viabilityPercent !== undefined && d.viabilityPercent !== null && !naViability) return { zh: '安慰剂袋的细胞活率应填“不适用”', en: 'A placebo bag’s viability is "not applicable"' };
    }
    if (d.productType === 'MSC') {
      if (cells === 0) return { zh: 'hUC-MSC 袋细胞数为 0：请核对产品', en: 'An hUC-MSC bag with 0 cells: check the product' };
      if (naViability) return { zh: 'hUC-MSC 袋须填写细胞活率', en: 'An hUC-MSC bag needs its viability' };
    }
    return null;
  },
);

const pharmOutOfSpecFlag = cross(
  'PHARM',
  'releasedOutOfSpec',
  'matchesSpec',
  'error',
  { zh: '“超出产品标准放行”须与细胞数和活率一致', en: '"Released outside the specification" agrees with the cell count and viability' },
  (d) => {
    if (d.releaseDecision !== 'released' || typeof d.releasedOutOfSpec !== 'boolean') return null;
    const out = pharmOutOfSpec(d);
    if (out && !d.releasedOutOfSpec) return { zh: '产品超出放行标准（细胞数 80–120×10⁶、活率 ≥70%）：请选择“超出产品标准放行：是”并在放行说明中写明理由', en: 'The product is outside the release specification (80-120 ×10⁶ cells, viability ≥70 %): answer "released outside the specification: yes" and give the reason in the release note' };
    if (!out && d.releasedOutOfSpec) return { zh: '细胞数和活率均在放行标准内，但选择了“超出产品标准放行”', en: 'Cells and viability are within the specification, but "released outside the specification" is yes' };
    return null;
  },
);

const pharmNotReleasable = cross(
  'PHARM',
  'releaseDecision',
  'outOfSpec',
  'warning',
  { zh: '超出产品标准（细胞数 80–120×10⁶、活率 ≥70%）的产品放行（药师提示）', en: 'Releasing a product outside its specification (80-120 ×10⁶ cells, viability ≥70 %) (pharmacist notice)' },
  (d) =>
    d.releaseDecision === 'released' && pharmOutOfSpec(d)
      ? {
          zh: `产品超出放行标准（细胞数 ${numberValue(d, 'cellsInBag') ?? '—'}×10⁶，活率 ${numberValue(d, 'viabilityPercent') ?? '—'}%）：放行属方案偏离，须说明`,
          en: `Product outside the release specification (cells ${numberValue(d, 'cellsInBag') ?? '—'} ×10⁶, viability ${numberValue(d, 'viabilityPercent') ?? '—'} %): releasing it is a protocol deviation and needs an explanation`,
        }
      : null,
);

const infusionReleased = cross(
  'INFUSION',
  'kitNo',
  'pharmacyRelease',
  'warning',
  { zh: '输注的研究药物须有药房放行记录（同一药物编号）', en: 'The bag infused needs a pharmacy release record for the same kit' },
  (d, ctx) => {
    const kit = stringValue(d, 'kitNo');
    if (kit === null) return null;
    const pharm = formAt(ctx?.casebook ?? [], 'PHARM', ctx.visitCode)?.data;
    if (!pharm) return { zh: `药房尚未记录药物编号 ${kit} 的配制与放行：请药师录入放行记录`, en: `The pharmacy has not recorded the preparation and release of kit ${kit}: the pharmacist should record it` };
    const pharmKit = stringValue(pharm, 'kitNo');
    if (pharmKit && pharmKit.trim().toUpperCase() !== kit.trim().toUpperCase()) {
      return { zh: `输注的药物编号 ${kit} 与药房放行的 ${pharmKit} 不一致`, en: `Kit infused ${kit} differs from the kit the pharmacy released (${pharmKit})` };
    }
    return pharm.releaseDecision === 'not_released'
      ? { zh: `药房记录药物编号 ${kit} 未放行：如已输注，属方案偏离，请说明`, en: `The pharmacy did not release kit ${kit}: if it was infused, this is a protocol deviation; explain` }
      : null;
  },
);

// --- Rule 5: critical values ------------------------------------------------------------------------------------

const criticalValues: CrossCheck[] = CRITICAL_RULES.map((rule) => {
  const f = FORMS[rule.formCode].fields.find((x) => x.id === rule.fieldId)!;
  const limits = rule.limits.map((l) => `${l.op} ${l.value}${rule.formCode === 'LAB' && rule.fieldId === 'creatinine' ? ' × baseline' : ''}`).join(' / ');
  return cross(
    rule.formCode,
    rule.fieldId,
    'critical',
    'warning',
    { zh: `危急值：${f.label.zh} ${limits}（质疑，建议记录不良事件）`, en: `Critical value: ${f.label.en} ${limits} (query; suggests an adverse event)` },
    (d, ctx) => criticalFinding(rule, d, ctx)?.message ?? null,
  );
});

// --- Rule 6: serious adverse events -----------------------------------------------------------------------------

const aeDeathConsistent = cross(
  'AE',
  'seriousCriteria',
  'deathConsistent',
  'error',
  { zh: '“导致死亡”标准须与 CTCAE 5 级和转归“死亡”一致', en: 'The criterion death goes with grade 5 and a fatal outcome' },
  (d) => {
    const death = booleanValue(d, 'serious') === true && listValue(d, 'seriousCriteria').includes('death');
    const g = stringValue(d, 'grade');
    const o = stringValue(d, 'outcome');
    if (!death || g === null) return null;
    if (g !== '5') return { zh: `SAE 判定标准为“导致死亡”，但 CTCAE 分级为 ${g} 级（应为 5 级）`, en: `Seriousness criterion death, but CTCAE grade ${g} (must be 5)` };
    return o !== null && o !== 'fatal' ? { zh: 'SAE 判定标准为“导致死亡”，转归须为“死亡”', en: 'Seriousness criterion death: the outcome must be fatal' } : null;
  },
);

const aeGrade4NotSerious = cross(
  'AE',
  'serious',
  'grade4NotSerious',
  'warning',
  { zh: 'CTCAE 4 级（危及生命）通常为严重不良事件（质疑）', en: 'Grade 4 (life-threatening) is usually serious (query)' },
  (d) =>
    stringValue(d, 'grade') === '4' && booleanValue(d, 'serious') === false
      ? { zh: 'CTCAE 4 级（危及生命）但未判定为严重不良事件：请核实（危及生命属 SAE 判定标准）', en: 'Grade 4 (life-threatening) but not marked serious: please verify (life-threatening is a seriousness criterion)' }
      : null,
);

const aeAwarenessAfterOnset = cross(
  'AE',
  'awarenessDate',
  'beforeOnset',
  'error',
  { zh: '获知日期不得早于开始日期', en: 'Awareness must not be before onset' },
  (d) => {
    const onset = dateValue(d, 'onsetDate');
    const aware = dateValue(d, 'awarenessDate');
    return onset && aware && aware < onset ? { zh: `获知日期 ${aware} 早于开始日期 ${onset}`, en: `Awareness date ${aware} is before the onset date ${onset}` } : null;
  },
);

/** Reported to the sponsor or the ethics committee: not before awareness (error), later than the next day: late (query). */
function reportTiming(fieldId: 'reportedSponsorDate' | 'reportedEcDate', who: Bilingual): CrossCheck[] {
  return [
    cross('AE', fieldId, 'beforeAwareness', 'error', { zh: `${who.zh}报告日期不得早于获知日期`, en: `The report to the ${who.en} must not be before awareness` }, (d) => {
      const aware = dateValue(d, 'awarenessDate');
      const reported = dateValue(d, fieldId);
      return aware && reported && reported < aware ? { zh: `${who.zh}报告日期 ${reported} 早于获知日期 ${aware}`, en: `Reported to the ${who.en} ${reported}, before awareness ${aware}` } : null;
    }),
    cross('AE', fieldId, 'late', 'warning', { zh: `SAE 须在获知后 24 小时内报告${who.zh}（质疑）`, en: `SAEs are reported to the ${who.en} within 24 h of awareness (query)` }, (d) => {
      const aware = dateValue(d, 'awarenessDate');
      const reported = dateValue(d, fieldId);
      const days = aware && reported ? daysBetween(aware, reported) : NaN;
      return days > 1
        ? { zh: `获知后 ${days} 天才报告${who.zh}（${reported}）：超过 24 小时时限，请说明`, en: `Reported to the ${who.en} ${days} days after awareness (${reported}): past the 24-hour deadline; explain` }
        : null;
    }),
  ];
}

// --- Rule 7: SLEDAI against the same visit's LAB and VITALS -----------------------------------------------------

/** The lab-based descriptor suggestions from the same visit's LAB and VITALS (qualified values decide where they can). */
export function sledaiSuggestions(ctx: FormContext): ReturnType<typeof suggestSledaiFromLab> {
  const lab = sameVisitData(ctx, 'LAB');
  const vitals = sameVisitData(ctx, 'VITALS');
  const m = (id: string) => measuredValue('LAB', lab, id);
  return suggestSledaiFromLab({
    urineRbc: m('urineRbc'),
    urineWbc: m('urineWbc'),
    urineCasts: booleanValue(lab, 'urineCasts'),
    urineProtein24h: m('urineProtein24h'),
    c3: m('c3'),
    c4: m('c4'),
    antiDsDna: m('antiDsDna'),
    platelets: m('platelets'),
    wbc: m('wbc'),
    temperatureC: numberValue(vitals, 'temperatureC'),
  });
}

/** The values behind one suggestion, as the query quotes them. */
const SLEDAI_EVIDENCE: Partial<Record<SledaiItem, (lab: FormData, vitals: FormData) => Bilingual>> = {
  haematuria: (l) => ev('尿红细胞', 'urine RBC', l.urineRbc, '/HPF', `>${SLEDAI_LAB_THRESHOLDS.haematuriaRbcPerHpf}`),
  pyuria: (l) => ev('尿白细胞', 'urine WBC', l.urineWbc, '/HPF', `>${SLEDAI_LAB_THRESHOLDS.pyuriaWbcPerHpf}`),
  urinaryCasts: (l) => ({ zh: `尿管型 ${l.urineCasts === true ? '有' : '无'}`, en: `urinary casts ${l.urineCasts === true ? 'yes' : 'no'}` }),
  proteinuria: (l) => ev('24 小时尿蛋白', '24-h protein', l.urineProtein24h, 'g/24 h', `>${SLEDAI_LAB_THRESHOLDS.proteinuriaGPer24h}`),
  lowComplement: (l) => {
    const c3 = ev('C3', 'C3', l.c3, 'g/L', `<${SLEDAI_LAB_THRESHOLDS.c3LowerGL}`);
    const c4 = ev('C4', 'C4', l.c4, 'g/L', `<${SLEDAI_LAB_THRESHOLDS.c4LowerGL}`);
    return { zh: `${c3.zh}，${c4.zh}`, en: `${c3.en}, ${c4.en}` };
  },
  increasedDnaBinding: (l) => ev('抗 dsDNA', 'anti-dsDNA', l.antiDsDna, 'IU/mL', `>${SLEDAI_LAB_THRESHOLDS.antiDsDnaUpperIuMl}`),
  fever: (_l, v) => ev('体温', 'temperature', v.temperatureC, '°C', `>${SLEDAI_LAB_THRESHOLDS.feverC}`),
  thrombocytopenia: (l) => ev('血小板', 'platelets', l.platelets, '×10⁹/L', `<${SLEDAI_LAB_THRESHOLDS.plateletsLower}`),
  leukopenia: (l) => ev('白细胞', 'WBC', l.wbc, '×10⁹/L', `<${SLEDAI_LAB_THRESHOLDS.wbcLower}`),
};

function ev(zh: string, en: string, v: unknown, unit: string, limit: string): Bilingual {
  const t = v === undefined || v === null ? { zh: '—', en: '—' } : qualifiedText(v);
  return { zh: `${zh} ${t.zh} ${unit}（判定 ${limit}）`, en: `${en} ${t.en} ${unit} (counts when ${limit})` };
}

const sledaiAgainstLab: CrossCheck[] = SLEDAI_DESCRIPTORS.filter((x) => x.labBased).map((desc) =>
  cross(
    'SLEDAI',
    desc.id,
    'labDisagrees',
    'warning',
    { zh: `「${desc.label.zh}」与同次访视化验/体温一致（不一致时质疑）`, en: `${desc.label.en} agrees with the same visit's labs/temperature (query when not)` },
    (d, ctx) => {
      const suggested = sledaiSuggestions(ctx)[desc.id];
      if (suggested === undefined) return null;
      const ticked = d[desc.id] === true;
      if (ticked === suggested) return null;
      const evidence = SLEDAI_EVIDENCE[desc.id]?.(sameVisitData(ctx, 'LAB'), sameVisitData(ctx, 'VITALS')) ?? { zh: '', en: '' };
      return {
        zh: `「${desc.label.zh}」${ticked ? '已勾选' : '未勾选'}，但同次访视 ${evidence.zh}：与化验不一致，请核实`,
        en: `${desc.label.en} is ${ticked ? 'ticked' : 'not ticked'}, but at the same visit ${evidence.en}: disagrees with the labs; please verify`,
      };
    },
  ),
);

// --- Rule 8: BILAG renal grade against the same visit's LAB -----------------------------------------------------

const bilagPlausible = cross(
  'BILAG',
  'renalGrade',
  'labPlausibility',
  'warning',
  { zh: '肾脏分级与同次访视尿蛋白/尿红细胞相符（不符时质疑）', en: 'Renal grade fits the same visit’s urine protein and RBC (query when not)' },
  (d, ctx) => {
    const g = stringValue(d, 'renalGrade');
    if (g === null) return null;
    const lab = sameVisitData(ctx, 'LAB');
    const prot = measuredValue('LAB', lab, 'urineProtein24h');
    const rbc = measuredValue('LAB', lab, 'urineRbc');
    const shown = `${formatMeasured(prot)} g/24 h, RBC ${formatMeasured(rbc)} /HPF`;
    if ((g === 'D' || g === 'E') && ((prot && isAbove(prot, 0.5) === true) || (rbc && isAbove(rbc, 5) === true))) {
      return { zh: `肾脏 ${g} 级（无活动），但同次访视尿蛋白/尿红细胞 ${shown} 提示活动：请核实`, en: `Renal grade ${g} (inactive) but the same visit shows ${shown}: please verify` };
    }
    if ((g === 'A' || g === 'B') && prot && rbc && isBelow(prot, 0.5) === true && isAtMost(rbc, 5) === true) {
      return { zh: `肾脏 ${g} 级（活动），但同次访视尿蛋白 <0.5 g 且尿红细胞 ≤5（${shown}）：请核实`, en: `Renal grade ${g} (active) but the same visit shows protein < 0.5 g and RBC ≤ 5 (${shown}): please verify` };
    }
    return null;
  },
);

// --- One end-of-study record per subject ------------------------------------------------------------------------

const eosOnce = cross(
  'EOS',
  'status',
  'onePerSubject',
  'error',
  { zh: '每位受试者只有一份研究结束记录', en: 'One end-of-study record per subject' },
  (_d, ctx) => {
    const other = findForms(ctx?.casebook ?? [], 'EOS')[0];
    if (!other) return null;
    const visit = visitDef(other.visitCode)?.label ?? { zh: other.visitCode, en: other.visitCode };
    const date = dateValue(other.data, 'eosDate') ?? '—';
    return {
      zh: `该受试者已有研究结束记录（${visit.zh}，${date}）：每位受试者只能有一份，请修改那一份`,
      en: `This subject already has an end-of-study record (${visit.en}, ${date}): only one is allowed; correct that one`,
    };
  },
);

/** Amendment 1's cross-form rules, in the order of PROTOCOL.md. */
export const CROSS_FORM_RULES: readonly CrossCheck[] = [
  screeningTiming,
  randPregnancy,
  cycPregnancy,
  cycNoRecentLab,
  cycCrClReduce,
  cycDoseGivenPositive,
  cycHeldPulse,
  pharmKitMatchesRand,
  pharmProductCells,
  pharmOutOfSpecFlag,
  pharmNotReleasable,
  infusionReleased,
  ...criticalValues,
  aeDeathConsistent,
  aeGrade4NotSerious,
  aeAwarenessAfterOnset,
  ...reportTiming('reportedSponsorDate', { zh: '申办方', en: 'sponsor' }),
  ...reportTiming('reportedEcDate', { zh: '伦理委员会', en: 'ethics committee' }),
  ...sledaiAgainstLab,
  bilagPlausible,
  eosOnce,
];

/** Warnings of these rules inform and raise no query (a suggestion, the pharmacist's own notice). */
export const NOTICE_ONLY_RULES: readonly string[] = [cycCrClReduce.id, pharmNotReleasable.id];

