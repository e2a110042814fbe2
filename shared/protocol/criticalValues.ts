// Critical values (amendment 1, rule 5): the limits as data, a query on save and a suggested adverse event term.
// A lab value reported against a limit ('<0.1') counts where the limit decides (rules/measured.ts).
import type { Bilingual, FieldDef, FormCode, FormContext, FormData } from './types';
import { FORMS } from './study';
import { measuredOf } from './labValues';
import { formAt, formDate } from './crossFormData';
import { exactValue, formatMeasured, isAtLeast, isAbove, isBelow } from '../rules/measured';

type Comparison = '<' | '≥' | '>';

interface Limit {
  op: Comparison;
  value: number;
  /** CTCAE v5 term to suggest for the adverse event. */
  aeTerm: Bilingual;
}

export interface CriticalRule {
  formCode: FormCode;
  fieldId: string;
  limits: Limit[];
}

const term = (zh: string, en: string): Bilingual => ({ zh, en });

const VITAL_LIMITS = {
  temperature: [{ op: '≥', value: 39.0, aeTerm: term('发热', 'Fever') }],
  systolic: [
    { op: '≥', value: 180, aeTerm: term('高血压', 'Hypertension') },
    { op: '<', value: 80, aeTerm: term('低血压', 'Hypotension') },
  ],
  diastolic: [{ op: '≥', value: 110, aeTerm: term('高血压', 'Hypertension') }],
  heartRate: [
    { op: '≥', value: 130, aeTerm: term('窦性心动过速', 'Sinus tachycardia') },
    { op: '<', value: 45, aeTerm: term('窦性心动过缓', 'Sinus bradycardia') },
  ],
  spo2: [{ op: '<', value: 90, aeTerm: term('低氧血症', 'Hypoxia') }],
} satisfies Record<string, Limit[]>;

const INFUSION_TIME_POINTS = ['pre', 'min15', 'min30', 'min45', 'min60', 'post1h'];

/** The limits, one rule per field. Creatinine's limit is relative to baseline (creatinineBaseline below). */
export const CRITICAL_RULES: readonly CriticalRule[] = [
  { formCode: 'LAB', fieldId: 'wbc', limits: [{ op: '<', value: 2.0, aeTerm: term('白细胞计数降低', 'White blood cell decreased') }] },
  { formCode: 'LAB', fieldId: 'neutrophils', limits: [{ op: '<', value: 1.0, aeTerm: term('中性粒细胞计数降低', 'Neutrophil count decreased') }] },
  { formCode: 'LAB', fieldId: 'platelets', limits: [{ op: '<', value: 50, aeTerm: term('血小板计数降低', 'Platelet count decreased') }] },
  { formCode: 'LAB', fieldId: 'haemoglobin', limits: [{ op: '<', value: 70, aeTerm: term('贫血', 'Anemia') }] },
  { formCode: 'LAB', fieldId: 'creatinine', limits: [{ op: '>', value: 1.5, aeTerm: term('血肌酐升高', 'Creatinine increased') }] },
  { formCode: 'CYC', fieldId: 'wbc', limits: [{ op: '<', value: 2.0, aeTerm: term('白细胞计数降低', 'White blood cell decreased') }] },
  { formCode: 'VITALS', fieldId: 'temperatureC', limits: VITAL_LIMITS.temperature },
  { formCode: 'VITALS', fieldId: 'systolicBp', limits: VITAL_LIMITS.systolic },
  { formCode: 'VITALS', fieldId: 'diastolicBp', limits: VITAL_LIMITS.diastolic },
  { formCode: 'VITALS', fieldId: 'heartRate', limits: VITAL_LIMITS.heartRate },
  { formCode: 'VITALS', fieldId: 'spo2', limits: VITAL_LIMITS.spo2 },
  ...INFUSION_TIME_POINTS.flatMap((p): CriticalRule[] => [
    { formCode: 'INFUSION', fieldId: `${p}Sbp`, limits: VITAL_LIMITS.systolic },
    { formCode: 'INFUSION', fieldId: `${p}Dbp`, limits: VITAL_LIMITS.diastolic },
    { formCode: 'INFUSION', fieldId: `${p}Hr`, limits: VITAL_LIMITS.heartRate },
    { formCode: 'INFUSION', fieldId: `${p}TempC`, limits: VITAL_LIMITS.temperature },
  ]),
];

/** Creatinine is critical above 1.5 × the screening (baseline) creatinine, at every visit after screening. */
export const CREATININE_CRITICAL_RATIO = 1.5;

/** The baseline creatinine (screening LAB), exact values only; null at screening itself or when unknown. */
function creatinineBaseline(ctx: FormContext): number | null {
  if (ctx?.visitCode === 'SCR') return null;
  return exactValue(measuredOf(FORMS.LAB.fields.find((f) => f.id === 'creatinine'), formAt(ctx?.casebook ?? [], 'LAB', 'SCR')?.data?.creatinine));
}

export interface CriticalFinding {
  formCode: FormCode;
  fieldId: string;
  message: Bilingual;
  aeTerm: Bilingual;
}

const OP_TEXT: Record<Comparison, string> = { '<': '<', '≥': '≥', '>': '>' };

function fieldOf(formCode: FormCode, id: string): FieldDef | undefined {
  return FORMS[formCode].fields.find((f) => f.id === id);
}

/** The critical finding of one field, or null (also when a reported limit cannot decide). */
export function criticalFinding(rule: CriticalRule, data: FormData, ctx: FormContext): CriticalFinding | null {
  const f = fieldOf(rule.formCode, rule.fieldId);
  const m = measuredOf(f, data?.[rule.fieldId]);
  if (!f || !m) return null;
  for (const limit of rule.limits) {
    let threshold = limit.value;
    let basis: Bilingual | null = null;
    if (rule.formCode === 'LAB' && rule.fieldId === 'creatinine') {
      const baseline = creatinineBaseline(ctx);
      if (baseline === null) return null;
      threshold = limit.value * baseline;
      basis = { zh: `（基线 ${baseline} × 1.5）`, en: ` (baseline ${baseline} × 1.5)` };
    }
    const hit = limit.op === '<' ? isBelow(m, threshold) : limit.op === '≥' ? isAtLeast(m, threshold) : isAbove(m, threshold);
    if (hit !== true) continue;
    const value = `${formatMeasured(m)}${f.unit ? ` ${f.unit}` : ''}`;
    const shown = Number(threshold.toFixed(1));
    return {
      formCode: rule.formCode,
      fieldId: rule.fieldId,
      aeTerm: limit.aeTerm,
      message: {
        zh: `危急值：${f.label.zh} ${value} ${OP_TEXT[limit.op]} ${shown}${basis?.zh ?? ''}。请立即评估，如属不良事件请填写不良事件表（建议：${limit.aeTerm.zh}）`,
        en: `Critical value: ${f.label.en} ${value} ${OP_TEXT[limit.op]} ${shown}${basis?.en ?? ''}. Assess now and record an adverse event if it is one (suggested: ${limit.aeTerm.en})`,
      },
    };
  }
  return null;
}

/** Every critical finding of a form's values: what the query says and the AE the form screen offers to open. */
export function criticalFindings(formCode: FormCode, data: FormData, ctx: FormContext): CriticalFinding[] {
  return CRITICAL_RULES.filter((r) => r.formCode === formCode)
    .map((r) => criticalFinding(r, data, ctx))
    .filter((f): f is CriticalFinding => f !== null);
}

/** The onset date to suggest for an AE opened from a critical value: the form's own date. */
export const criticalOnsetDate = (formCode: FormCode, data: FormData): string | null => formDate({ formCode, data });
