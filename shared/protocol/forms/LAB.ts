// LAB form: haematology, chemistry, urine and serology in ward SI units, with eGFR and creatinine clearance derived (PROTOCOL.md "LAB").
import type { DerivedDef, FormContext, FormData, FormDef } from '../types';
import { ageYears } from '../../rules/age';
import {
  type EgfrInput,
  creatinineClearanceCockcroftGault,
  egfrChineseMdrd,
  egfrCkdEpi2009,
  egfrCkdEpi2021,
} from '../../rules/kidneyFunction';
import { visitWeightKg } from '../casebook';
import { dateValue, numberValue } from '../formValues';
import { MEASUREMENT_MISSING, bi, field, inSection, withMissing } from './fieldKit';

/*
 * Ranges. Plausible = hard limits of physiology (outside: a typing error, save blocked).
 * Normal = soft reference intervals of Chinese adults (WS/T 405-2012 blood count, WS/T 404 chemistry, and the
 * hospital laboratory's own intervals for urine and serology): outside them the value is flagged, never blocked.
 */
const HAEM = bi('血常规', 'Haematology');
const CHEM = bi('生化', 'Chemistry');
const URINE = bi('尿液检查', 'Urine');
const SERO = bi('免疫学', 'Serology');

/** '阴性' / 'negative' or a dilution such as 1:320. */
const TITRE_PATTERN = '^(阴性|negative|1:[1-9][0-9]{0,5})$';

/** Age at the collection date and sex, for the kidney-function equations; null when not yet known. */
function egfrInput(d: FormData, ctx: FormContext): EgfrInput | null {
  const scr = numberValue(d, 'creatinine');
  const date = dateValue(d, 'collectionDate');
  const dob = ctx?.subject?.dateOfBirth;
  const sex = ctx?.subject?.sex;
  if (scr === null || !date || !dob || (sex !== 'F' && sex !== 'M')) return null;
  const age = ageYears(dob, date);
  return Number.isFinite(age) ? { creatinineUmolL: scr, ageYears: age, sex } : null;
}

const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

/** Every LAB result may be reported against a reporting limit, '<x' or '>x' (amendment 1, rule 11). */
const LIMITS = { qualified: {} } as const;
/** Urine sediment may be too many to count: 满视野 / field full, above 100 /HPF. */
const SEDIMENT = { qualified: { fieldFullAbove: 100 } } as const;

const KIDNEY_DERIVED: DerivedDef[] = [
  {
    id: 'egfrCkdEpi2021',
    label: { zh: 'eGFR（CKD-EPI 2021）', en: 'eGFR (CKD-EPI 2021)' },
    unit: 'mL/min/1.73 m²',
    decimals: 0,
    formula: {
      zh: '142 × min(Scr/κ,1)^α × max(Scr/κ,1)^−1.200 × 0.9938^年龄 × 1.012（女）；Scr mg/dL = µmol/L ÷ 88.4；κ 女 0.7/男 0.9，α 女 −0.241/男 −0.302；未满 18 岁仅供参考',
      en: '142 × min(Scr/κ,1)^α × max(Scr/κ,1)^−1.200 × 0.9938^age × 1.012 if female; Scr mg/dL = µmol/L ÷ 88.4; κ 0.7 F / 0.9 M, α −0.241 F / −0.302 M; under 18: reference only',
    },
    compute: (d, ctx) => {
      const i = egfrInput(d, ctx);
      return i ? finiteOrNull(egfrCkdEpi2021(i)) : null;
    },
  },
  {
    id: 'egfrCkdEpi2009',
    label: { zh: 'eGFR（CKD-EPI 2009）', en: 'eGFR (CKD-EPI 2009)' },
    unit: 'mL/min/1.73 m²',
    decimals: 0,
    formula: {
      zh: '141 × min(Scr/κ,1)^α × max(Scr/κ,1)^−1.209 × 0.993^年龄 × 1.018（女）；κ 女 0.7/男 0.9，α 女 −0.329/男 −0.411；不用种族系数',
      en: '141 × min(Scr/κ,1)^α × max(Scr/κ,1)^−1.209 × 0.993^age × 1.018 if female; κ 0.7 F / 0.9 M, α −0.329 F / −0.411 M; no race factor',
    },
    compute: (d, ctx) => {
      const i = egfrInput(d, ctx);
      return i ? finiteOrNull(egfrCkdEpi2009(i)) : null;
    },
  },
  {
    id: 'egfrChineseMdrd',
    label: { zh: 'eGFR（中国改良 MDRD）', en: 'eGFR (Chinese-modified MDRD)' },
    unit: 'mL/min/1.73 m²',
    decimals: 0,
    formula: { zh: '175 × Scr^−1.234 × 年龄^−0.179 × 0.79（女）；Scr 单位 mg/dL', en: '175 × Scr^−1.234 × age^−0.179 × 0.79 if female; Scr in mg/dL' },
    compute: (d, ctx) => {
      const i = egfrInput(d, ctx);
      return i ? finiteOrNull(egfrChineseMdrd(i)) : null;
    },
  },
  {
    id: 'creatinineClearance',
    label: { zh: '肌酐清除率（Cockcroft-Gault）', en: 'Creatinine clearance (Cockcroft-Gault)' },
    unit: 'mL/min',
    decimals: 0,
    formula: {
      zh: '（140 − 年龄）× 体重 kg ÷（72 × Scr mg/dL）× 0.85（女）；体重取同次访视生命体征',
      en: '(140 − age) × weight kg / (72 × Scr mg/dL) × 0.85 if female; weight from the same visit’s vital signs',
    },
    compute: (d, ctx) => {
      const i = egfrInput(d, ctx);
      const w = visitWeightKg(ctx);
      return i && w !== null ? finiteOrNull(creatinineClearanceCockcroftGault({ ...i, weightKg: w })) : null;
    },
  },
];

export const LAB: FormDef = {
  code: 'LAB',
  label: { zh: '实验室检查', en: 'Laboratory tests' },
  fields: [
    field('collectionDate', 'date', '采样日期', 'Collection date', { required: true, visitDate: true }),
    // Every result may be "not done" or "unknown" instead of a value (a required one too: the endpoint then says which).
    ...withMissing(MEASUREMENT_MISSING, [
    ...inSection(HAEM, [
      field('wbc', 'number', '白细胞计数', 'White blood cells', { ...LIMITS, unit: '×10⁹/L', decimals: 2, required: true, plausible: { min: 0.01, max: 200 }, normal: { min: 3.5, max: 9.5 } }),
      field('neutrophils', 'number', '中性粒细胞计数', 'Neutrophils', { ...LIMITS, unit: '×10⁹/L', decimals: 2, plausible: { min: 0, max: 150 }, normal: { min: 1.8, max: 6.3 } }),
      field('haemoglobin', 'integer', '血红蛋白', 'Haemoglobin', { ...LIMITS,
        unit: 'g/L',
        plausible: { min: 20, max: 250 },
        normal: { min: 115, max: 175 },
        normalBySex: { F: { min: 115, max: 150 }, M: { min: 130, max: 175 } },
      }),
      field('platelets', 'integer', '血小板计数', 'Platelets', { ...LIMITS, unit: '×10⁹/L', plausible: { min: 1, max: 2000 }, normal: { min: 125, max: 350 } }),
    ]),
    ...inSection(CHEM, [
      // Enzymatic creatinine, adults 20-59 y: F 41-73, M 57-97 µmol/L (WS/T 404.5-2015); the combined 41-97 when sex is unknown.
      field('creatinine', 'number', '血肌酐', 'Serum creatinine', { ...LIMITS,
        unit: 'µmol/L',
        decimals: 1,
        required: true,
        plausible: { min: 10, max: 3000 },
        normal: { min: 41, max: 97 },
        normalBySex: { F: { min: 41, max: 73 }, M: { min: 57, max: 97 } },
      }),
      field('albumin', 'number', '血清白蛋白', 'Serum albumin', { ...LIMITS, unit: 'g/L', decimals: 1, plausible: { min: 5, max: 70 }, normal: { min: 40, max: 55 } }),
      field('urea', 'number', '尿素', 'Urea', { ...LIMITS,
        unit: 'mmol/L',
        decimals: 2,
        plausible: { min: 0.5, max: 100 },
        normal: { min: 2.6, max: 8.0 },
        normalBySex: { F: { min: 2.6, max: 7.5 }, M: { min: 3.1, max: 8.0 } },
      }),
    ]),
    ...inSection(URINE, [
      field('urineRbc', 'number', '尿红细胞', 'Urine RBC', { ...SEDIMENT, unit: '/HPF', decimals: 1, required: true, plausible: { min: 0, max: 1000 }, normal: { min: 0, max: 3 }, help: bi('满视野可填“满视野”（>100/HPF）', 'Too many to count: type "field full" (>100 /HPF)') }),
      field('urineWbc', 'number', '尿白细胞', 'Urine WBC', { ...SEDIMENT, unit: '/HPF', decimals: 1, plausible: { min: 0, max: 1000 }, normal: { min: 0, max: 5 }, help: bi('满视野可填“满视野”（>100/HPF）', 'Too many to count: type "field full" (>100 /HPF)') }),
      field('urineCasts', 'boolean', '尿管型（红细胞/颗粒管型）', 'Urinary casts (RBC or granular)'),
      field('urineProtein24h', 'number', '24 小时尿蛋白定量', '24-h urine protein', { ...LIMITS, unit: 'g/24 h', decimals: 2, required: true, plausible: { min: 0, max: 40 }, normal: { min: 0, max: 0.15 } }),
    ]),
    ...inSection(SERO, [
      field('c3', 'number', '补体 C3', 'Complement C3', { ...LIMITS, unit: 'g/L', decimals: 2, plausible: { min: 0.01, max: 5 }, normal: { min: 0.9, max: 1.8 } }),
      field('c4', 'number', '补体 C4', 'Complement C4', {
        qualified: { undetectableBelow: 0.06 },
        unit: 'g/L',
        decimals: 2,
        plausible: { min: 0.01, max: 2 },
        normal: { min: 0.1, max: 0.4 },
        help: bi('未检出可填“未检出”（<0.06 g/L）或 <检测限', 'Below detection: type "undetectable" (<0.06 g/L) or <limit'),
      }),
      // ELISA anti-dsDNA; the hospital laboratory reports <100 IU/mL as negative.
      field('antiDsDna', 'number', '抗 dsDNA 抗体', 'Anti-dsDNA', {
        ...LIMITS,
        unit: 'IU/mL',
        decimals: 1,
        plausible: { min: 0, max: 10000 },
        normal: { min: 0, max: 100 },
        help: bi('超过检测上限可填 >10000', 'Above the reporting limit: type >10000'),
      }),
      field('antiDsDnaTitre', 'text', '抗 dsDNA 抗体滴度（如用间接免疫荧光法）', 'Anti-dsDNA titre (if by IIF)', {
        pattern: TITRE_PATTERN,
        patternExample: '1:10 / 阴性',
        maxLength: 20,
      }),
      field('anaTitre', 'text', '抗核抗体（ANA）滴度', 'ANA titre', { pattern: TITRE_PATTERN, patternExample: '1:320 / 阴性', maxLength: 20 }),
    ]),
    ]),
  ],
  derived: KIDNEY_DERIVED,
  // Age and sex (DEMOG, with CONSENT for the facts), the visit's weight (VITALS) for the creatinine clearance.
  derivedReads: ['DEMOG', 'VITALS'],
};
