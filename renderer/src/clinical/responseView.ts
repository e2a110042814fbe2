// What the Month 6 renal response screen shows: every input (SCR and M6 LAB) and every rule step of the shared classifier.
import { renalResponseInputs } from '../../../shared/protocol/endpointInputs';
import { formData } from '../../../shared/protocol/casebook';
import { dateValue } from '../../../shared/protocol/formValues';
import { formatMeasured, type Measured } from '../../../shared/rules/measured';
import {
  RENAL_INPUT_LABELS,
  RENAL_RESPONSE_LABELS,
  RENAL_RESPONSE_RULES,
  classifyRenalResponse,
  type RenalResponseCategory,
  type RenalRuleStep,
} from '../../../shared/rules/renalResponse';
import type { Bilingual, CasebookForm } from '../../../shared/protocol/types';
import { RENAL_INPUT_SOURCES } from '../../../shared/protocol/endpointInputs';
import { MISSING_REASON_LABELS, missingReasonOf } from '../../../shared/protocol/missingValues';

export interface ResponseInputRow {
  key: string;
  label: Bilingual;
  /** A number, or a limit as the laboratory reported it ('<0.1', '>100' for field full). */
  value: number | string | null;
  unit: string;
  /** Visit the value was read from and its collection date. */
  visit: 'SCR' | 'M6';
  date: string | null;
  /** Why the LAB has no value, when it says (未做 / 不详): shown instead of "missing". */
  missingReason: Bilingual | null;
}

export interface ResponseStepRow {
  rule: RenalRuleStep['rule'];
  label: Bilingual;
  /** The M6 value compared, e.g. "95 µmol/L". */
  value: string;
  /** The limit, e.g. "≤ 110 µmol/L (1.25 × 88)"; in both languages where it has words ("且" / "and"). */
  threshold: string | Bilingual;
  pass: boolean | null;
}

export interface ResponseView {
  category: RenalResponseCategory;
  categoryLabel: Bilingual;
  inputs: ResponseInputRow[];
  steps: ResponseStepRow[];
  missing: Bilingual[];
  /** Inputs reported as a limit that cannot decide the category (amendment 1, rule 11). */
  undecided: Bilingual[];
}

/** Up to 3 significant decimals, no trailing zeros: 110.00 → "110", 1.8 → "1.8". */
export function num(x: number | null | undefined, decimals = 2): string {
  return typeof x === 'number' && Number.isFinite(x) ? String(Number(x.toFixed(decimals))) : '—';
}

export function responseView(casebook: CasebookForm[]): ResponseView {
  const inputs = renalResponseInputs(casebook);
  const r = classifyRenalResponse(inputs);
  const dates = { SCR: dateValue(formData(casebook, 'LAB', 'SCR'), 'collectionDate'), M6: dateValue(formData(casebook, 'LAB', 'M6'), 'collectionDate') };
  const reasonOf = (key: string): Bilingual | null => {
    const src = RENAL_INPUT_SOURCES[key];
    const reason = src ? missingReasonOf(formData(casebook, 'LAB', src.visit), src.item) : null;
    return reason ? MISSING_REASON_LABELS[reason] : null;
  };
  const row = (key: string, visit: 'SCR' | 'M6', value: number | Measured | null | undefined, unit: string): ResponseInputRow => ({
    key,
    missingReason: value === null || value === undefined ? reasonOf(key) : null,
    label: RENAL_INPUT_LABELS[key] ?? { zh: key, en: key },
    value: value === null || value === undefined ? null : typeof value === 'number' ? value : value.op === '=' ? value.value : formatMeasured(value),
    unit,
    visit,
    date: dates[visit],
  });
  const { renalFunction, urineRbc, proteinuria, complete } = r.steps;
  const exactOf = (x: number | string | null | undefined) => (typeof x === 'number' ? x : null);
  const bCr = exactOf(renalFunction.inputs.baselineCreatinineUmolL);
  const bProt = exactOf(proteinuria.inputs.baselineProteinGPer24h);
  const R = RENAL_RESPONSE_RULES;
  const withUnit = (x: number | string | null | undefined, unit: string, d = 2) =>
    typeof x === 'number' ? `${num(x, d)} ${unit}` : typeof x === 'string' ? `${x} ${unit}` : '—';
  const protThreshold =
    proteinuria.branch === 'nephrotic'
      ? (() => {
          const below = `< ${R.nephroticM6Below} g/24 h`;
          const half = `≤ ${num(R.nephroticM6MaxFraction * (bProt ?? NaN))} g/24 h`;
          const basis = `${R.nephroticM6MaxFraction} × ${num(bProt)}`;
          return { zh: `${below} 且 ${half}（${basis}）`, en: `${below} and ${half} (${basis})` };
        })()
      : proteinuria.branch === 'subnephrotic'
        ? `< ${R.subnephroticM6Below} g/24 h`
        : '—';
  const steps: ResponseStepRow[] = [
    {
      rule: 1,
      label: renalFunction.label,
      value: withUnit(renalFunction.inputs.month6CreatinineUmolL, 'µmol/L', 1),
      threshold: renalFunction.threshold === null ? '—' : `≤ ${num(renalFunction.threshold, 1)} µmol/L (1.25 × ${num(bCr, 1)})`,
      pass: renalFunction.pass,
    },
    { rule: 2, label: urineRbc.label, value: withUnit(urineRbc.inputs.month6UrineRbcPerHpf, '/HPF', 1), threshold: '< 10 /HPF', pass: urineRbc.pass },
    { rule: 3, label: proteinuria.label, value: withUnit(proteinuria.inputs.month6ProteinGPer24h, 'g/24 h'), threshold: protThreshold, pass: proteinuria.pass },
    { rule: 'complete', label: complete.label, value: withUnit(complete.inputs.month6ProteinGPer24h, 'g/24 h'), threshold: '< 0.5 g/24 h', pass: complete.pass },
  ];
  return {
    category: r.category,
    categoryLabel: RENAL_RESPONSE_LABELS[r.category],
    inputs: [
      row('baseline.creatinineUmolL', 'SCR', inputs.baseline.creatinineUmolL, 'µmol/L'),
      row('baseline.proteinGPer24h', 'SCR', inputs.baseline.proteinGPer24h, 'g/24 h'),
      row('month6.creatinineUmolL', 'M6', inputs.month6.creatinineUmolL, 'µmol/L'),
      row('month6.urineRbcPerHpf', 'M6', inputs.month6.urineRbcPerHpf, '/HPF'),
      row('month6.proteinGPer24h', 'M6', inputs.month6.proteinGPer24h, 'g/24 h'),
    ],
    steps,
    missing: r.missing.map((k) => RENAL_INPUT_LABELS[k] ?? { zh: k, en: k }),
    undecided: r.undecided.map((k) => RENAL_INPUT_LABELS[k] ?? { zh: k, en: k }),
  };
}
