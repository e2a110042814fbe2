// SLEDAI-2K: the 24 descriptors with weights and labels, the total score, and lab-based suggestions (PROTOCOL.md "SLEDAI").
import type { Bilingual } from '../protocol/types';
import { asMeasured, isAbove, isBelow, type Measured } from './measured';

export const SLEDAI_ITEMS = [
  'seizure',
  'psychosis',
  'organicBrainSyndrome',
  'visualDisturbance',
  'cranialNerveDisorder',
  'lupusHeadache',
  'cva',
  'vasculitis',
  'arthritis',
  'myositis',
  'urinaryCasts',
  'haematuria',
  'proteinuria',
  'pyuria',
  'rash',
  'alopecia',
  'mucosalUlcers',
  'pleurisy',
  'pericarditis',
  'lowComplement',
  'increasedDnaBinding',
  'fever',
  'thrombocytopenia',
  'leukopenia',
] as const;

export type SledaiItem = (typeof SLEDAI_ITEMS)[number];

export type SledaiGroup = 'neuro' | 'vascular' | 'musculoskeletal' | 'renal' | 'mucocutaneous' | 'serosal' | 'immunological' | 'constitutional' | 'haematological';

export interface SledaiDescriptor {
  id: SledaiItem;
  weight: 1 | 2 | 4 | 8;
  label: Bilingual;
  /** Whether the descriptor can be suggested from the same visit's LAB (or VITALS temperature). */
  labBased: boolean;
  group: SledaiGroup;
}

/** The SLEDAI-2K descriptors in the order of the paper form, each with its weight. */
export const SLEDAI_DESCRIPTORS: readonly SledaiDescriptor[] = [
  { id: 'seizure', weight: 8, group: 'neuro', labBased: false, label: { zh: '癫痫发作', en: 'Seizure' } },
  { id: 'psychosis', weight: 8, group: 'neuro', labBased: false, label: { zh: '精神病', en: 'Psychosis' } },
  { id: 'organicBrainSyndrome', weight: 8, group: 'neuro', labBased: false, label: { zh: '器质性脑病综合征', en: 'Organic brain syndrome' } },
  { id: 'visualDisturbance', weight: 8, group: 'neuro', labBased: false, label: { zh: '视觉障碍（狼疮视网膜病变）', en: 'Visual disturbance' } },
  { id: 'cranialNerveDisorder', weight: 8, group: 'neuro', labBased: false, label: { zh: '颅神经病变', en: 'Cranial nerve disorder' } },
  { id: 'lupusHeadache', weight: 8, group: 'neuro', labBased: false, label: { zh: '狼疮性头痛', en: 'Lupus headache' } },
  { id: 'cva', weight: 8, group: 'neuro', labBased: false, label: { zh: '脑血管意外', en: 'Cerebrovascular accident (CVA)' } },
  { id: 'vasculitis', weight: 8, group: 'vascular', labBased: false, label: { zh: '血管炎', en: 'Vasculitis' } },
  { id: 'arthritis', weight: 4, group: 'musculoskeletal', labBased: false, label: { zh: '关节炎（≥2 个关节）', en: 'Arthritis (≥2 joints)' } },
  { id: 'myositis', weight: 4, group: 'musculoskeletal', labBased: false, label: { zh: '肌炎', en: 'Myositis' } },
  { id: 'urinaryCasts', weight: 4, group: 'renal', labBased: true, label: { zh: '管型尿（红细胞/颗粒管型）', en: 'Urinary casts (heme-granular or RBC)' } },
  { id: 'haematuria', weight: 4, group: 'renal', labBased: true, label: { zh: '血尿（>5 个红细胞/HPF）', en: 'Haematuria (>5 RBC/HPF)' } },
  { id: 'proteinuria', weight: 4, group: 'renal', labBased: true, label: { zh: '蛋白尿（>0.5 g/24 h）', en: 'Proteinuria (>0.5 g/24 h)' } },
  { id: 'pyuria', weight: 4, group: 'renal', labBased: true, label: { zh: '脓尿（>5 个白细胞/HPF）', en: 'Pyuria (>5 WBC/HPF)' } },
  { id: 'rash', weight: 2, group: 'mucocutaneous', labBased: false, label: { zh: '皮疹', en: 'Rash' } },
  { id: 'alopecia', weight: 2, group: 'mucocutaneous', labBased: false, label: { zh: '脱发', en: 'Alopecia' } },
  { id: 'mucosalUlcers', weight: 2, group: 'mucocutaneous', labBased: false, label: { zh: '黏膜溃疡', en: 'Mucosal ulcers' } },
  { id: 'pleurisy', weight: 2, group: 'serosal', labBased: false, label: { zh: '胸膜炎', en: 'Pleurisy' } },
  { id: 'pericarditis', weight: 2, group: 'serosal', labBased: false, label: { zh: '心包炎', en: 'Pericarditis' } },
  { id: 'lowComplement', weight: 2, group: 'immunological', labBased: true, label: { zh: '低补体（C3 或 C4 低于正常）', en: 'Low complement (C3 or C4 below normal)' } },
  { id: 'increasedDnaBinding', weight: 2, group: 'immunological', labBased: true, label: { zh: '抗 dsDNA 抗体升高', en: 'Increased DNA binding (anti-dsDNA)' } },
  { id: 'fever', weight: 1, group: 'constitutional', labBased: true, label: { zh: '发热（>38 °C）', en: 'Fever (>38 °C)' } },
  { id: 'thrombocytopenia', weight: 1, group: 'haematological', labBased: true, label: { zh: '血小板减少（<100×10⁹/L）', en: 'Thrombocytopenia (<100×10⁹/L)' } },
  { id: 'leukopenia', weight: 1, group: 'haematological', labBased: true, label: { zh: '白细胞减少（<3×10⁹/L）', en: 'Leukopenia (<3×10⁹/L)' } },
];

export const SLEDAI_WEIGHTS: Readonly<Record<SledaiItem, number>> = Object.fromEntries(
  SLEDAI_DESCRIPTORS.map((d) => [d.id, d.weight]),
) as Record<SledaiItem, number>;

/** Highest possible SLEDAI-2K total (8×8 + 6×4 + 7×2 + 3×1 = 105). */
export const SLEDAI_MAX = 105;

/**
 * SLEDAI-2K total: sum of the weights of the descriptors that are exactly `true`.
 * Anything else (false, null, strings, unknown keys) counts as absent, so any input gives a number 0-105.
 */
export function sledai2kScore(items: Partial<Record<SledaiItem, boolean>>): number {
  if (!items || typeof items !== 'object') return 0;
  let total = 0;
  for (const d of SLEDAI_DESCRIPTORS) {
    if ((items as Record<string, unknown>)[d.id] === true) total += d.weight;
  }
  return total;
}

/** A lab value as a number or as a reported limit ('<0.1', field full as '>100'). */
type LabValue = number | Measured | null;

/** The lab (and temperature) values the suggestions use; ids match the LAB and VITALS fields. */
export interface SledaiLabInput {
  urineRbc?: LabValue;
  urineWbc?: LabValue;
  urineCasts?: boolean | null;
  urineProtein24h?: LabValue;
  c3?: LabValue;
  c4?: LabValue;
  antiDsDna?: LabValue;
  platelets?: LabValue;
  wbc?: LabValue;
  temperatureC?: LabValue;
}

/** Lower limits of normal and upper limit used by the suggestions; they mirror the LAB field normal ranges. */
export const SLEDAI_LAB_THRESHOLDS = {
  haematuriaRbcPerHpf: 5,
  pyuriaWbcPerHpf: 5,
  proteinuriaGPer24h: 0.5,
  c3LowerGL: 0.9,
  c4LowerGL: 0.1,
  antiDsDnaUpperIuMl: 100,
  feverC: 38,
  plateletsLower: 100,
  wbcLower: 3,
} as const;

/**
 * Suggested values for the lab-based descriptors from the same visit's LAB (and VITALS temperature).
 * Only descriptors whose inputs are present are returned; the investigator still decides (e.g. haematuria
 * due to stones or infection does not count), so these are pre-ticks, never the final answer.
 */
export function suggestSledaiFromLab(lab: SledaiLabInput): Partial<Record<SledaiItem, boolean>> {
  const out: Partial<Record<SledaiItem, boolean>> = {};
  if (!lab || typeof lab !== 'object') return out;
  const t = SLEDAI_LAB_THRESHOLDS;
  // A reported limit suggests only where it decides ('<5' RBC: no haematuria; '<20': no suggestion).
  const set = (item: SledaiItem, v: unknown, test: (m: Measured) => boolean | null) => {
    const m = asMeasured(v);
    const answer = m ? test(m) : null;
    if (answer !== null) out[item] = answer;
  };
  set('haematuria', lab.urineRbc, (m) => isAbove(m, t.haematuriaRbcPerHpf));
  set('pyuria', lab.urineWbc, (m) => isAbove(m, t.pyuriaWbcPerHpf));
  if (typeof lab.urineCasts === 'boolean') out.urinaryCasts = lab.urineCasts;
  set('proteinuria', lab.urineProtein24h, (m) => isAbove(m, t.proteinuriaGPer24h));
  const c3 = asMeasured(lab.c3);
  const c4 = asMeasured(lab.c4);
  const c3Low = c3 ? isBelow(c3, t.c3LowerGL) : null;
  const c4Low = c4 ? isBelow(c4, t.c4LowerGL) : null;
  // Low complement: C3 or C4 below normal; decided when either is low, or when every known one is normal.
  if (c3Low === true || c4Low === true) out.lowComplement = true;
  else if ((c3 || c4) && (c3 === null || c3Low === false) && (c4 === null || c4Low === false)) out.lowComplement = false;
  set('increasedDnaBinding', lab.antiDsDna, (m) => isAbove(m, t.antiDsDnaUpperIuMl));
  set('fever', lab.temperatureC, (m) => isAbove(m, t.feverC));
  set('thrombocytopenia', lab.platelets, (m) => isBelow(m, t.plateletsLower));
  set('leukopenia', lab.wbc, (m) => isBelow(m, t.wbcLower));
  return out;
}
