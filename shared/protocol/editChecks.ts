// Edit checks as data: range checks generated from the field definitions plus the explicit cross-field and cross-form checks.
import type { Bilingual, FieldDef, FormCode, FormContext } from './types';
import { type CrossCheck, type EditCheck, cross, dateOrder } from './checkKit';
import { FORMS, FORM_CODES } from './study';
import { formData } from './casebook';
import { booleanValue, dateValue, listValue, numberValue, stringValue } from './formValues';
import { ageYears } from '../rules/age';
import { bsaMosteller } from '../rules/bsa';
import { CYC_RULES, CYC_WARNING_MESSAGES } from '../rules/cyclophosphamideDose';
import { minutesOfDay } from '../rules/dates';
import { ELIGIBILITY_CRITERIA, ELIGIBILITY_LIMITS, evaluateEligibility } from '../rules/eligibility';
import { eligibilityOf } from './forms/ELIG';
import { withdrawalReason } from './responseRecord';
import { MISSING_REASON_LABELS } from './missingValues';
import { CROSS_FORM_RULES, NOTICE_ONLY_RULES } from './crossFormRules';
import { VALIDATION_MESSAGES, formatRange } from '../i18n/validation';

const ageAtConsent = (dob: string | null | undefined, ctx: FormContext): number | null => {
  const consent = ctx?.subject?.consentDate;
  if (!dob || !consent) return null;
  const a = ageYears(dob, consent);
  return Number.isFinite(a) ? a : null;
};

const guardianSigned = (signedBy: string | null) => signedBy === 'guardian' || signedBy === 'patient_and_guardian';

/** Expected CYC pulse number at each dosing visit (D0 = 1, M1 = 2 … M5 = 6). */
const PULSE_AT_VISIT: Partial<Record<string, number>> = { D0: 1, M1: 2, M2: 3, M3: 4, M4: 5, M5: 6 };

/** The single-form cross-field checks and the older cross-form ones, listed explicitly. */
const FORM_CHECKS: readonly CrossCheck[] = [
  // --- CONSENT / DEMOG: guardian for 16-17-year-olds ---
  cross('CONSENT', 'signedBy', 'guardianForMinor', 'error', { zh: '16–17 岁受试者须由法定监护人签署知情同意', en: 'Subjects aged 16-17 need a guardian’s signature' }, (d, ctx) => {
    const age = ageAtConsent(ctx?.subject?.dateOfBirth, { ...ctx, subject: { ...ctx?.subject, consentDate: dateValue(d, 'consentDate') ?? undefined } });
    const signedBy = stringValue(d, 'signedBy');
    return age !== null && age < ELIGIBILITY_LIMITS.guardianBelowAge && signedBy !== null && !guardianSigned(signedBy)
      ? { zh: `受试者签署知情同意时 ${age} 岁（16–17 岁），签署人须包括法定监护人`, en: `Subject was ${age} at consent (16-17): a legal guardian must sign` }
      : null;
  }),
  cross('DEMOG', 'dateOfBirth', 'guardianForMinor', 'error', { zh: '16–17 岁受试者须由法定监护人签署知情同意', en: 'Subjects aged 16-17 need a guardian’s signature' }, (d, ctx) => {
    const age = ageAtConsent(dateValue(d, 'dateOfBirth'), ctx);
    const signedBy = stringValue(formData(ctx?.casebook ?? [], 'CONSENT'), 'signedBy');
    return age !== null && age < ELIGIBILITY_LIMITS.guardianBelowAge && signedBy !== null && !guardianSigned(signedBy)
      ? { zh: `按出生日期，受试者签署知情同意时 ${age} 岁，但知情同意仅由患者本人签署，须补充法定监护人签字`, en: `By this date of birth the subject was ${age} at consent, but only the patient signed: a legal guardian must sign` }
      : null;
  }),
  cross('DEMOG', 'dateOfBirth', 'implausibleAge', 'error', { zh: '签署知情同意时年龄应为 0–110 岁', en: 'Age at consent must be 0-110 years' }, (d, ctx) => {
    const dob = dateValue(d, 'dateOfBirth');
    const consent = ctx?.subject?.consentDate;
    if (!dob || !consent) return null;
    const age = ageYears(dob, consent);
    return !Number.isFinite(age) || age > 110
      ? { zh: `出生日期 ${dob} 不合理（知情同意日期 ${consent}）`, en: `Date of birth ${dob} is implausible (consent ${consent})` }
      : null;
  }),
  cross('DEMOG', 'dateOfBirth', 'ageEligibility', 'warning', { zh: '签署知情同意时年龄应为 16–65 岁（入选标准）', en: 'Age at consent should be 16-65 (inclusion criterion)' }, (d, ctx) => {
    const age = ageAtConsent(dateValue(d, 'dateOfBirth'), ctx);
    return age !== null && (age < ELIGIBILITY_LIMITS.minAge || age > ELIGIBILITY_LIMITS.maxAge)
      ? { zh: `签署知情同意时年龄 ${age} 岁，不在入选范围 16–65 岁内`, en: `Age at consent ${age} is outside the eligible range 16-65` }
      : null;
  }),
  // --- MEDHX / BIOPSY: SLE diagnosis before biopsy and consent ---
  cross('MEDHX', 'sleDiagnosisDate', 'afterConsent', 'error', { zh: 'SLE 确诊日期不得晚于知情同意日期', en: 'SLE diagnosis must not be after consent' }, (d, ctx) => {
    const dx = dateValue(d, 'sleDiagnosisDate');
    const consent = ctx?.subject?.consentDate;
    return dx && consent && dx > consent
      ? { zh: `SLE 确诊日期 ${dx} 晚于知情同意日期 ${consent}`, en: `SLE diagnosis date ${dx} is after the consent date ${consent}` }
      : null;
  }),
  cross('MEDHX', 'sleDiagnosisDate', 'afterBiopsy', 'error', { zh: 'SLE 确诊日期不得晚于肾活检日期', en: 'SLE diagnosis must not be after the renal biopsy' }, (d, ctx) => {
    const dx = dateValue(d, 'sleDiagnosisDate');
    const biopsy = dateValue(formData(ctx?.casebook ?? [], 'BIOPSY'), 'biopsyDate');
    return dx && biopsy && dx > biopsy
      ? { zh: `SLE 确诊日期 ${dx} 晚于肾活检日期 ${biopsy}`, en: `SLE diagnosis date ${dx} is after the biopsy date ${biopsy}` }
      : null;
  }),
  cross('MEDHX', 'sleDiagnosisDate', 'beforeBirth', 'error', { zh: 'SLE 确诊日期不得早于出生日期', en: 'SLE diagnosis must not be before birth' }, (d, ctx) => {
    const dx = dateValue(d, 'sleDiagnosisDate');
    const dob = ctx?.subject?.dateOfBirth;
    return dx && dob && dx < dob ? { zh: `SLE 确诊日期 ${dx} 早于出生日期 ${dob}`, en: `SLE diagnosis date ${dx} is before the date of birth ${dob}` } : null;
  }),
  cross('MEDHX', 'acrCriteriaCount', 'belowFour', 'warning', { zh: 'ACR 标准少于 4 条不符合入选标准', en: 'Fewer than 4 ACR criteria fails inclusion' }, (d) => {
    const n = numberValue(d, 'acrCriteriaCount');
    return n !== null && n < ELIGIBILITY_LIMITS.minAcrCriteria
      ? { zh: `符合 ACR 分类标准 ${n} 条，少于入选要求的 4 条`, en: `${n} ACR criteria met: fewer than the 4 required for inclusion` }
      : null;
  }),
  cross('BIOPSY', 'biopsyDate', 'beforeSleDiagnosis', 'error', { zh: '肾活检日期不得早于 SLE 确诊日期', en: 'Biopsy must not be before the SLE diagnosis' }, (d, ctx) => {
    const biopsy = dateValue(d, 'biopsyDate');
    const dx = dateValue(formData(ctx?.casebook ?? [], 'MEDHX'), 'sleDiagnosisDate');
    return biopsy && dx && biopsy < dx
      ? { zh: `肾活检日期 ${biopsy} 早于 SLE 确诊日期 ${dx}`, en: `Biopsy date ${biopsy} is before the SLE diagnosis date ${dx}` }
      : null;
  }),
  cross('BIOPSY', 'isnClass', 'notIIIorIV', 'warning', { zh: '仅 III 型或 IV 型符合入选标准', en: 'Only class III or IV meets inclusion' }, (d) => {
    const c = stringValue(d, 'isnClass');
    return c !== null && c !== 'III' && c !== 'IV'
      ? { zh: `病理分型 ${c} 型，不符合入选标准（须为 III 型或 IV 型）`, en: `Class ${c} does not meet inclusion (class III or IV required)` }
      : null;
  }),
  // --- VITALS ---
  cross('VITALS', 'diastolicBp', 'belowSystolic', 'error', { zh: '舒张压须低于收缩压', en: 'Diastolic must be below systolic' }, (d) => {
    const s = numberValue(d, 'systolicBp');
    const dia = numberValue(d, 'diastolicBp');
    return s !== null && dia !== null && dia >= s
      ? { zh: `舒张压 ${dia} mmHg 不低于收缩压 ${s} mmHg`, en: `Diastolic BP ${dia} mmHg is not below systolic ${s} mmHg` }
      : null;
  }),
  // --- LAB ---
  cross('LAB', 'neutrophils', 'aboveWbc', 'error', { zh: '中性粒细胞计数不得高于白细胞计数', en: 'Neutrophils must not exceed WBC' }, (d) => {
    const w = numberValue(d, 'wbc');
    const n = numberValue(d, 'neutrophils');
    return w !== null && n !== null && n > w
      ? { zh: `中性粒细胞 ${n}×10⁹/L 高于白细胞 ${w}×10⁹/L`, en: `Neutrophils ${n}×10⁹/L exceed WBC ${w}×10⁹/L` }
      : null;
  }),
  // --- PREG ---
  cross('PREG', 'result', 'positive', 'warning', { zh: '妊娠试验阳性者不符合入选标准', en: 'A positive pregnancy test excludes the subject' }, (d) =>
    stringValue(d, 'result') === 'positive'
      ? { zh: '妊娠试验阳性：受试者不符合入选标准，不得随机', en: 'Pregnancy test positive: the subject is not eligible and must not be randomised' }
      : null,
  ),
  cross('PREG', 'testDate', 'notRequired', 'warning', { zh: '仅有生育能力的女性需做妊娠试验', en: 'Only women of childbearing potential need the test' }, (_d, ctx) =>
    ctx?.subject?.sex === 'M' || ctx?.subject?.childbearingPotential === false
      ? { zh: '人口学资料显示受试者无生育能力，无需妊娠试验，请核实', en: 'Demographics say the subject is not of childbearing potential: no test is required; please verify' }
      : null,
  ),
  // --- ELIG / RAND ---
  cross('ELIG', 'confirmed', 'notEligible', 'warning', { zh: '确认的评估结果为不符合或数据不全（随机前）', en: 'Confirmed evaluation is not eligible or incomplete (before randomisation)' }, (d, ctx) => {
    // After randomisation each criterion is queried on its own (below): a deviation to document, not a refusal.
    if (booleanValue(d, 'confirmed') !== true || ctx?.subject?.randNo) return null;
    const r = evaluateEligibility(ctx?.casebook ?? []);
    if (r.eligible === true) return null;
    const bad = r.criteria.filter((c) => c.status !== 'met').map((c) => c.id);
    return { zh: `受试者不符合或尚缺数据的标准：${bad.join('、')}（不能随机）`, en: `Criteria not met or missing: ${bad.join(', ')} (cannot be randomised)` };
  }),
  cross('RAND', 'randNo', 'eligibilityConfirmed', 'error', { zh: '随机前须全部标准符合且研究者已确认', en: 'Randomisation needs every criterion met and confirmed' }, (_d, ctx) => {
    const casebook = ctx?.casebook ?? [];
    const confirmed = booleanValue(formData(casebook, 'ELIG'), 'confirmed') === true;
    const r = evaluateEligibility(casebook);
    if (confirmed && r.eligible === true) return null;
    const bad = r.criteria.filter((c) => c.status !== 'met').map((c) => c.id);
    return {
      zh: `拒绝随机：${confirmed ? '' : '研究者尚未确认入选/排除标准；'}${bad.length ? `不符合或缺少数据的标准：${bad.join('、')}` : ''}`.replace(/；$/, ''),
      en: `Randomisation refused: ${[confirmed ? '' : 'eligibility not confirmed by the investigator', bad.length ? `criteria not met or missing: ${bad.join(', ')}` : ''].filter(Boolean).join('; ')}`,
    };
  }),
  // Rule 9: after randomisation, a change to a source value re-evaluates eligibility (ELIG is re-checked whenever a
  // screening form changes); a criterion now not met, or no longer decidable, is queried on its own to the investigator.
  ...ELIGIBILITY_CRITERIA.map((c) =>
    cross('ELIG', c.id, 'afterRandomisation', 'warning', { zh: `随机后“${c.label.zh}”不再符合或缺少数据`, en: `After randomisation, "${c.label.en}" no longer met or missing` }, (_d, ctx) => {
      if (!ctx?.subject?.randNo) return null;
      const r = eligibilityOf(ctx).criteria.find((x) => x.id === c.id);
      if (!r || r.status === 'met') return null;
      const value = r.value === null || r.value === undefined || r.value === '' ? '' : `（${String(r.value)}）`;
      const valueEn = value ? ` (${String(r.value)})` : '';
      return r.status === 'not_met'
        ? { zh: `受试者已随机，但${c.kind === 'inclusion' ? '入选' : '排除'}标准“${c.label.zh}”现不符合${value}：请研究者核实并记录方案偏离（随机不会撤销）`, en: `The subject is randomised, but ${c.kind} criterion "${c.label.en}" is now not met${valueEn}: investigator to verify and document a protocol deviation (randomisation is not undone)` }
        : { zh: `受试者已随机，但${c.kind === 'inclusion' ? '入选' : '排除'}标准“${c.label.zh}”现缺少数据，无法判定：请研究者核实`, en: `The subject is randomised, but ${c.kind} criterion "${c.label.en}" can no longer be decided (data missing): investigator to verify` };
    }),
  ),
  // --- RESPONSE (rule 10): an input changed after the confirmation ---
  cross('RESPONSE', 'confirmed', 'inputChanged', 'warning', { zh: '确认后终点输入值已更改，确认已撤销', en: 'An endpoint input changed after the confirmation: the confirmation is withdrawn' }, (d, ctx) => {
    const why = withdrawalReason(d, ctx?.casebook ?? []);
    if (!why) return null;
    const locked = booleanValue(d, 'confirmed') === true;
    return {
      zh: `${why.zh}。${locked ? '表单已锁定，确认暂未撤销：请解锁后复核' : '确认已撤销：请研究者复核后重新确认'}`,
      en: `${why.en}. ${locked ? 'The form is locked, so the confirmation stands until it is unlocked and reviewed' : 'The confirmation was withdrawn: investigator to review and confirm again'}`,
    };
  }),
  // --- INFUSION ---
  cross('INFUSION', 'kitNo', 'matchesRand', 'error', { zh: '输注药物编号须与随机药物编号一致', en: 'Infusion kit must match the randomised kit' }, (d, ctx) => {
    const kit = stringValue(d, 'kitNo');
    if (kit === null) return null;
    const randKit = ctx?.subject?.kitNo;
    if (!randKit) return { zh: `药物编号 ${kit}：受试者尚未随机，不能输注`, en: `Kit ${kit}: the subject has not been randomised yet` };
    return kit.trim().toUpperCase() === randKit.trim().toUpperCase()
      ? null
      : { zh: `药物编号 ${kit} 与随机分配的药物编号 ${randKit} 不一致`, en: `Kit number ${kit} does not match the randomised kit ${randKit}` };
  }),
  cross('INFUSION', 'stopTime', 'afterStart', 'error', { zh: '结束时间须晚于开始时间', en: 'Stop time must be after start time' }, (d) => {
    const start = minutesOfDay(d?.startTime);
    const stop = minutesOfDay(d?.stopTime);
    return Number.isFinite(start) && Number.isFinite(stop) && stop <= start
      ? { zh: `结束时间 ${String(d.stopTime)} 不晚于开始时间 ${String(d.startTime)}`, en: `Stop time ${String(d.stopTime)} is not after start time ${String(d.startTime)}` }
      : null;
  }),
  // --- CYC ---
  cross('CYC', 'wbc', 'hold', 'warning', { zh: CYC_WARNING_MESSAGES.WBC_HOLD.zh, en: CYC_WARNING_MESSAGES.WBC_HOLD.en }, (d) => {
    const w = numberValue(d, 'wbc');
    return w !== null && w < CYC_RULES.holdBelowWbc && booleanValue(d, 'doseGiven') !== false
      ? { zh: `给药日白细胞 ${w}×10⁹/L <3.0×10⁹/L：应暂缓本次冲击`, en: `WBC on dosing day ${w}×10⁹/L is below 3.0×10⁹/L: this pulse should be held` }
      : null;
  }),
  cross('CYC', 'administeredDoseMg', 'aboveCap', 'error', { zh: '实际剂量不得超过 1000 mg/m²', en: 'Administered dose must not exceed 1000 mg/m²' }, (d) => {
    const given = numberValue(d, 'administeredDoseMg');
    const h = numberValue(d, 'heightCm');
    const w = numberValue(d, 'weightKg');
    if (given === null || h === null || w === null) return null;
    const bsa = bsaMosteller({ heightCm: h, weightKg: w });
    // Allow the 10 mg rounding step above the exact cap.
    const cap = Math.min(bsa * CYC_RULES.maxTargetMgPerM2 + CYC_RULES.roundToMg / 2, CYC_RULES.maxDoseMgPerPulse);
    return Number.isFinite(cap) && given > cap
      ? { zh: `实际给药剂量 ${given} mg 超过上限 ${Math.floor(cap)} mg（1000 mg/m² × BSA ${bsa.toFixed(2)} m²）`, en: `Administered dose ${given} mg exceeds the cap ${Math.floor(cap)} mg (1000 mg/m² × BSA ${bsa.toFixed(2)} m²)` }
      : null;
  }),
  cross('CYC', 'pulseNumber', 'visitOrder', 'warning', { zh: '冲击次数与访视顺序一致（第 0 天为第 1 次）', en: 'Pulse number follows the visit (Day 0 = pulse 1)' }, (d, ctx) => {
    const p = numberValue(d, 'pulseNumber');
    const expected = PULSE_AT_VISIT[ctx?.visitCode ?? ''];
    return p !== null && expected !== undefined && p !== expected
      ? { zh: `冲击次数 ${p} 与访视应有的第 ${expected} 次不一致`, en: `Pulse number ${p} differs from the ${expected} expected at this visit` }
      : null;
  }),
  cross('CYC', 'heightCm', 'differsFromScreening', 'warning', { zh: '身高与筛选期相差 >3 cm', en: 'Height differs from screening by > 3 cm' }, (d, ctx) => {
    const h = numberValue(d, 'heightCm');
    const scr = ctx?.subject?.heightCm;
    return h !== null && typeof scr === 'number' && Math.abs(h - scr) > 3
      ? { zh: `身高 ${h} cm 与筛选期 ${scr} cm 相差超过 3 cm`, en: `Height ${h} cm differs from the screening height ${scr} cm by more than 3 cm` }
      : null;
  }),
  // --- AE ---
  dateOrder('AE', 'onsetDate', 'endDate', 'beforeOnset'),
  cross('AE', 'outcome', 'grade5Fatal', 'error', { zh: '5 级不良事件与转归"死亡"须一致', en: 'Grade 5 and a fatal outcome go together' }, (d) => {
    const g = stringValue(d, 'grade');
    const o = stringValue(d, 'outcome');
    if (g === null || o === null) return null;
    if (g === '5' && o !== 'fatal') return { zh: 'CTCAE 5 级（死亡）的转归须为"死亡"', en: 'A grade 5 (death) event must have outcome "fatal"' };
    if (o === 'fatal' && g !== '5') return { zh: `转归为"死亡"，但 CTCAE 分级为 ${g} 级（应为 5 级）`, en: `Outcome fatal but CTCAE grade ${g} (must be 5)` };
    return null;
  }),
  cross('AE', 'serious', 'deathCriterion', 'error', { zh: '5 级不良事件须为 SAE 且判定标准含"导致死亡"', en: 'A grade 5 AE is serious with criterion death' }, (d) =>
    stringValue(d, 'grade') === '5' && (booleanValue(d, 'serious') !== true || !listValue(d, 'seriousCriteria').includes('death'))
      ? { zh: 'CTCAE 5 级不良事件须勾选"严重不良事件"及判定标准"导致死亡"', en: 'A grade 5 event must be serious with the criterion "results in death"' }
      : null,
  ),
  cross('AE', 'serious', 'expeditedReport', 'warning', { zh: 'SAE 须 24 小时内上报', en: 'SAEs need expedited reporting' }, (d) =>
    booleanValue(d, 'serious') === true
      ? { zh: '严重不良事件：须在获知后 24 小时内上报申办方和伦理委员会', en: 'Serious adverse event: report to the sponsor and ethics committee within 24 h of awareness' }
      : null,
  ),
  cross('AE', 'outcome', 'ongoingConsistent', 'warning', { zh: '持续中的不良事件转归不应为痊愈或死亡', en: 'An ongoing AE cannot be recovered or fatal' }, (d) => {
    const o = stringValue(d, 'outcome');
    return booleanValue(d, 'ongoing') === true && (o === 'recovered' || o === 'recovered_with_sequelae' || o === 'fatal')
      ? { zh: '不良事件标记为"持续中"，但转归为痊愈或死亡，请核实', en: 'The AE is marked ongoing but its outcome is recovered or fatal; please verify' }
      : null;
  }),
  // --- CONMED / EOS ---
  dateOrder('CONMED', 'startDate', 'stopDate', 'beforeStart'),
  dateOrder('EOS', 'deathDate', 'eosDate', 'beforeDeath'),
];

/** Every cross-field and cross-form check: the form's own, then amendment 1's cross-form rules (crossFormRules.ts). */
export const CROSS_CHECKS: readonly CrossCheck[] = [...FORM_CHECKS, ...CROSS_FORM_RULES];

export type { CrossCheck, EditCheck, EditCheckKind } from './checkKit';

const KIND_DESCRIPTIONS = {
  required: (l: Bilingual): Bilingual => ({ zh: `「${l.zh}」必填`, en: `${l.en} required` }),
  type: (l: Bilingual, t: string): Bilingual => ({ zh: `「${l.zh}」类型（${t}）`, en: `${l.en} type (${t})` }),
  decimals: (l: Bilingual, n: number): Bilingual => ({ zh: `「${l.zh}」最多 ${n} 位小数`, en: `${l.en} at most ${n} decimals` }),
  maxLength: (l: Bilingual, n: number): Bilingual => ({ zh: `「${l.zh}」最多 ${n} 个字符`, en: `${l.en} at most ${n} characters` }),
  pattern: (l: Bilingual, ex?: string): Bilingual => ({ zh: `「${l.zh}」格式 ${ex ?? ''}`, en: `${l.en} format ${ex ?? ''}` }),
  plausible: (l: Bilingual, f: FieldDef): Bilingual => ({ zh: `${l.zh}可信范围 ${formatRange(f.plausible ?? {}, f.unit)}`, en: `${l.en} plausible range ${formatRange(f.plausible ?? {}, f.unit)}` }),
  normal: (l: Bilingual, f: FieldDef): Bilingual => {
    const r = f.normalBySex ? `F ${formatRange(f.normalBySex.F, f.unit)} / M ${formatRange(f.normalBySex.M, f.unit)}` : formatRange(f.normal ?? {}, f.unit);
    return { zh: `${l.zh}正常参考范围 ${r}`, en: `${l.en} normal range ${r}` };
  },
  beforeConsent: (l: Bilingual): Bilingual => ({ zh: `${l.zh}不得早于知情同意日期`, en: `${l.en} not before consent` }),
  future: (l: Bilingual): Bilingual => ({ zh: `${l.zh}不得晚于今天`, en: `${l.en} not after today` }),
  visitWindow: (l: Bilingual): Bilingual => ({ zh: `${l.zh}在访视窗内（超窗发出质疑）`, en: `${l.en} within the visit window (query if outside)` }),
};

/** The generated checks of one field, derived from its definition. */
export function fieldChecks(formCode: FormCode, f: FieldDef): EditCheck[] {
  const base = { formCode, fieldId: f.id };
  const id = (k: string) => `${formCode}.${f.id}.${k}`;
  const out: EditCheck[] = [{ ...base, id: id('type'), kind: 'type', severity: 'error', description: KIND_DESCRIPTIONS.type(f.label, f.type) }];
  if (f.required) out.push({ ...base, id: id('required'), kind: 'required', severity: 'error', description: KIND_DESCRIPTIONS.required(f.label) });
  if (f.type === 'number' && f.decimals !== undefined)
    out.push({ ...base, id: id('decimals'), kind: 'decimals', severity: 'error', description: KIND_DESCRIPTIONS.decimals(f.label, f.decimals) });
  if (f.maxLength !== undefined)
    out.push({ ...base, id: id('maxLength'), kind: 'maxLength', severity: 'error', description: KIND_DESCRIPTIONS.maxLength(f.label, f.maxLength) });
  if (f.pattern) out.push({ ...base, id: id('pattern'), kind: 'pattern', severity: 'error', description: KIND_DESCRIPTIONS.pattern(f.label, f.patternExample) });
  if (f.plausible) out.push({ ...base, id: id('plausible'), kind: 'plausible', severity: 'error', description: KIND_DESCRIPTIONS.plausible(f.label, f) });
  if (f.normal || f.normalBySex) out.push({ ...base, id: id('normal'), kind: 'normal', severity: 'warning', description: KIND_DESCRIPTIONS.normal(f.label, f) });
  if (f.missingReasons?.length) {
    const reasons = f.missingReasons.map((r) => MISSING_REASON_LABELS[r]);
    out.push({ ...base, id: id('missingReason'), kind: 'missingReason', severity: 'error', description: { zh: `「${f.label.zh}」为空时可注明：${reasons.map((r) => r.zh).join('、')}（有数值时不可）`, en: `${f.label.en} when empty may say why: ${reasons.map((r) => r.en.toLowerCase()).join(', ')} (never with a value)` } });
  }
  if (f.type === 'date') {
    if (!f.allowBeforeConsent && formCode !== 'CONSENT')
      out.push({ ...base, id: id('beforeConsent'), kind: 'beforeConsent', severity: 'error', description: KIND_DESCRIPTIONS.beforeConsent(f.label) });
    out.push({ ...base, id: id('future'), kind: 'future', severity: 'error', description: KIND_DESCRIPTIONS.future(f.label) });
    if (f.visitDate) out.push({ ...base, id: id('visitWindow'), kind: 'visitWindow', severity: 'warning', description: KIND_DESCRIPTIONS.visitWindow(f.label) });
  }
  return out;
}

/** Form-level checks that are not tied to one field (consent gate, visit scheduling). */
function formChecks(formCode: FormCode): EditCheck[] {
  const out: EditCheck[] = [
    { id: `${formCode}.visit.notScheduled`, formCode, fieldId: '', kind: 'cross', severity: 'error', description: { zh: '表单须属于所在访视', en: 'Form must be scheduled at the visit' } },
    { id: `${formCode}.visit.repeat`, formCode, fieldId: '', kind: 'cross', severity: 'error', description: { zh: '计划访视的表单只有一份（日志、非计划访视及补给的环磷酰胺除外）', en: 'One instance per scheduled visit (except logs, unscheduled visits and a held cyclophosphamide pulse given later)' } },
  ];
  if (formCode !== 'CONSENT')
    out.push({ id: `${formCode}.consentGate`, formCode, fieldId: '', kind: 'cross', severity: 'error', description: VALIDATION_MESSAGES.consentRequired() });
  return out;
}

/** Every edit check of the study: generated range/type/required/date checks, then the explicit cross checks. */
export const EDIT_CHECKS: readonly EditCheck[] = FORM_CODES.flatMap((code) => [
  ...formChecks(code),
  ...FORMS[code].fields.flatMap((f) => fieldChecks(code, f)),
  ...CROSS_CHECKS.filter((c) => c.formCode === code),
]);

export function editChecksFor(formCode: FormCode): EditCheck[] {
  return EDIT_CHECKS.filter((c) => c.formCode === formCode);
}

export function crossChecksFor(formCode: FormCode): CrossCheck[] {
  return CROSS_CHECKS.filter((c) => c.formCode === formCode);
}

const CHECKS_BY_ID = new Map(EDIT_CHECKS.map((c) => [c.id, c]));

export function editCheckById(id: string): EditCheck | undefined {
  return CHECKS_BY_ID.get(id);
}

/**
 * Warnings that inform and are not data queries: a value outside the normal reference range is flagged, not
 * queried (PROTOCOL.md: "normal range (soft: flagged, not blocked)"; in lupus nephritis most kidney values are
 * abnormal by design), an SAE reminder, a dose suggestion.
 */
const NOTICE_ONLY_CHECKS: ReadonlySet<string> = new Set(['AE.serious.expeditedReport', ...NOTICE_ONLY_RULES]);

/** A check on an item blinded roles never see (PHARM's cell count, say): its warning is never a query they could read. */
const onBlindedItem = (c: EditCheck): boolean => FORMS[c.formCode].fields.some((f) => f.id === c.fieldId && f.unblindedOnly === true);

/** Whether a warning with this check id raises a data query on save (visit window, inconsistency, protocol holds). */
export function raisesQuery(checkId: string): boolean {
  const check = CHECKS_BY_ID.get(checkId);
  if (!check) return true; // an unlisted warning is queried rather than silently accepted
  return check.severity === 'warning' && check.kind !== 'normal' && !NOTICE_ONLY_CHECKS.has(check.id) && !onBlindedItem(check);
}
