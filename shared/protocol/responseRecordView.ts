// What the RESPONSE of record says (issue 14, rule 10), read from the stored system items for the screen and paper: the category
// confirmed, the four rule steps as confirmed, each input with the LAB form, visit and version it came from, the rules
// version, the missing inputs when not evaluable; and whether the confirmation was withdrawn, with the system's words.
import { FORMS } from './study';
import { MISSING_REASON_LABELS } from './missingValues';
import { qualifiedText } from './labValues';
import { recordedCategory, recordedInputs } from './responseRecord';
import { RENAL_INPUT_SOURCES } from './endpointInputs';
import { visitDef } from './visits';
import { RENAL_INPUT_LABELS, RENAL_RESPONSE_LABELS, RENAL_RESPONSE_RULES, type RenalResponseCategory } from '../rules/renalResponse';
import type { Bilingual, FormData } from './types';

/** Up to 2 decimals, no trailing zeros: 1.750 → "1.75" (as the response screen shows numbers). */
const num = (x: number): string => String(Number(x.toFixed(2)));

export interface RecordInputRow {
  key: string;
  label: Bilingual;
  /** The value as confirmed ('0.37 g/24 h', '满视野'), or the reason it had none ('未做'), or '—'. */
  value: Bilingual;
  missing: boolean;
  /** '第 6 个月 · 实验室检查 · 版本 2'. */
  source: Bilingual;
}

export interface RecordStepRow {
  rule: string;
  label: Bilingual;
  value: string;
  threshold: Bilingual;
  pass: boolean | null;
}

export interface ResponseRecordView {
  category: RenalResponseCategory;
  categoryLabel: Bilingual;
  rulesVersion: string;
  assessmentDate: string | null;
  confirmed: boolean;
  /** The system's words when a later input change withdrew the confirmation (null: not withdrawn). */
  withdrawal: Bilingual | null;
  inputs: RecordInputRow[];
  steps: RecordStepRow[];
  missing: Bilingual[];
}

const STEP_UNITS: Record<string, string> = { '1': 'µmol/L', '2': '/HPF', '3': 'g/24 h', complete: 'g/24 h' };

function parseJson(v: unknown): unknown {
  if (typeof v !== 'string') return null;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return null;
  }
}

const same = (text: string): Bilingual => ({ zh: text, en: text });

/**
 * The withdrawal text is stored once in both languages ('确认已撤销：… / Confirmation withdrawn: …'): split it so each
 * language shows its own half (the whole text when it is not in that shape).
 */
export function splitWithdrawal(text: string): Bilingual {
  const at = text.indexOf(' / Confirmation withdrawn');
  if (at <= 0) return same(text);
  // The banner's title already says "withdrawn": the halves without their lead-in.
  const zh = text.slice(0, at).replace(/^确认已撤销：/, '');
  const en = text.slice(at + 3).replace(/^Confirmation withdrawn: /, '');
  return { zh, en };
}

function stepThreshold(comparison: unknown, threshold: unknown, unit: string): Bilingual {
  if (typeof threshold !== 'number') return same('—');
  const t = `${num(threshold)} ${unit}`;
  if (comparison === '< and ≤') {
    const below = `< ${RENAL_RESPONSE_RULES.nephroticM6Below} ${unit}`;
    return { zh: `${below} 且 ≤ ${t}`, en: `${below} and ≤ ${t}` };
  }
  return same(`${typeof comparison === 'string' ? comparison : ''} ${t}`.trim());
}

/** The record as stored on RESPONSE, or null when it was never confirmed. */
export function responseRecordView(data: FormData | null | undefined): ResponseRecordView | null {
  const category = recordedCategory(data);
  if (!data || !category) return null;
  const recorded = recordedInputs(data) ?? {};
  const inputs: RecordInputRow[] = Object.keys(RENAL_INPUT_SOURCES).map((key) => {
    const src = RENAL_INPUT_SOURCES[key]!;
    const i = recorded[key];
    const visit = visitDef(src.visit)?.label ?? same(src.visit);
    const form = FORMS[src.form].label;
    const version = i?.formVersion;
    const value: Bilingual =
      i && i.value !== null
        ? typeof i.value === 'number'
          ? same(`${num(i.value)} ${src.unit}`)
          : { zh: `${qualifiedText(i.value).zh} ${src.unit}`, en: `${qualifiedText(i.value).en} ${src.unit}` }
        : i?.missingReason
          ? MISSING_REASON_LABELS[i.missingReason]
          : same('—');
    return {
      key,
      label: RENAL_INPUT_LABELS[key] ?? same(key),
      value,
      missing: !i || i.value === null,
      source: {
        zh: `${visit.zh} · ${form.zh}${typeof version === 'number' ? ` · 版本 ${version}` : ' · 无此表单'}`,
        en: `${visit.en} · ${form.en}${typeof version === 'number' ? ` · v${version}` : ' · no such form'}`,
      },
    };
  });
  const rawSteps = parseJson(data.recordSteps);
  const steps: RecordStepRow[] = (Array.isArray(rawSteps) ? rawSteps : []).flatMap((s: unknown) => {
    if (!s || typeof s !== 'object') return [];
    const step = s as { rule?: unknown; label?: Partial<Bilingual>; inputs?: Record<string, unknown>; threshold?: unknown; comparison?: unknown; pass?: unknown };
    const rule = String(step.rule ?? '');
    const unit = STEP_UNITS[rule] ?? '';
    const m6 = Object.entries(step.inputs ?? {}).find(([k]) => k.startsWith('month6'))?.[1];
    return [
      {
        rule,
        label: { zh: String(step.label?.zh ?? rule), en: String(step.label?.en ?? rule) },
        value: typeof m6 === 'number' ? `${num(m6)} ${unit}` : typeof m6 === 'string' ? `${m6} ${unit}` : '—',
        threshold: stepThreshold(step.comparison, step.threshold, unit),
        pass: typeof step.pass === 'boolean' ? step.pass : null,
      },
    ];
  });
  const missingKeys = parseJson(data.recordMissing);
  const withdrawal = data.confirmed !== true && typeof data.recordWithdrawal === 'string' && data.recordWithdrawal !== '' ? splitWithdrawal(data.recordWithdrawal) : null;
  return {
    category,
    categoryLabel: RENAL_RESPONSE_LABELS[category],
    rulesVersion: typeof data.recordRulesVersion === 'string' ? data.recordRulesVersion : '—',
    assessmentDate: typeof data.assessmentDate === 'string' ? data.assessmentDate : null,
    confirmed: data.confirmed === true,
    withdrawal,
    inputs,
    steps,
    missing: (Array.isArray(missingKeys) ? missingKeys : []).map((k) => RENAL_INPUT_LABELS[String(k)] ?? same(String(k))),
  };
}

const PASS_WORDS: Record<'true' | 'false' | 'null', Bilingual> = {
  true: { zh: '通过', en: 'pass' },
  false: { zh: '未通过', en: 'fail' },
  null: { zh: '缺少数据', en: 'missing' },
};

/**
 * The record items as lines of text (the casebook on paper): each rule step, each input with its source, the missing
 * inputs, the withdrawal (its language's half). null for any other item, or when nothing was confirmed.
 */
export function recordItemText(data: FormData, itemId: string, lang: 'zh' | 'en'): string | null {
  const view = responseRecordView(data);
  if (!view) return null;
  const sep = lang === 'zh' ? '；' : '; ';
  const colon = lang === 'zh' ? '：' : ': ';
  const paren = (x: string) => (lang === 'zh' ? `（${x}）` : ` (${x})`);
  switch (itemId) {
    case 'recordSteps':
      return view.steps
        .map((s) => `${s.rule === 'complete' ? (lang === 'zh' ? '完全缓解' : 'complete') : `${lang === 'zh' ? '规则' : 'rule'} ${s.rule}`}${colon}${s.value} ${s.threshold[lang]} ${PASS_WORDS[String(s.pass) as 'true' | 'false' | 'null'][lang]}`)
        .join(sep);
    case 'recordInputs':
      return view.inputs.map((i) => `${i.label[lang]} ${i.value[lang]}${paren(i.source[lang])}`).join(sep);
    case 'recordMissing':
      return view.missing.length ? view.missing.map((m) => m[lang]).join(sep) : null;
    case 'recordWithdrawal':
      return typeof data.recordWithdrawal === 'string' && data.recordWithdrawal !== '' ? splitWithdrawal(data.recordWithdrawal)[lang] : null;
    default:
      return null;
  }
}
