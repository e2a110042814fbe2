// Kidney function estimates: eGFR CKD-EPI 2021 and 2009, Chinese-modified MDRD, Cockcroft-Gault (PROTOCOL.md "Derived values").
import type { Bilingual } from '../protocol/types';

export type Sex = 'F' | 'M';

export interface EgfrInput {
  creatinineUmolL: number;
  ageYears: number;
  sex: Sex;
}

export interface CrClInput extends EgfrInput {
  weightKg: number;
}

/** µmol/L per mg/dL of creatinine: creatinine mg/dL = µmol/L ÷ 88.4. */
export const CREATININE_UMOL_PER_MG_DL = 88.4;

export function creatinineMgDl(creatinineUmolL: number): number {
  return creatinineUmolL / CREATININE_UMOL_PER_MG_DL;
}

function validInput(input: EgfrInput): boolean {
  if (!input || typeof input !== 'object') return false;
  const { creatinineUmolL, ageYears, sex } = input;
  return (
    typeof creatinineUmolL === 'number' &&
    Number.isFinite(creatinineUmolL) &&
    creatinineUmolL > 0 &&
    typeof ageYears === 'number' &&
    Number.isFinite(ageYears) &&
    ageYears >= 0 &&
    (sex === 'F' || sex === 'M')
  );
}

/**
 * eGFR (mL/min/1.73 m²) by CKD-EPI 2021 (race-free):
 * 142 × min(Scr/κ,1)^α × max(Scr/κ,1)^−1.200 × 0.9938^age × 1.012 if female; κ 0.7 F / 0.9 M; α −0.241 F / −0.302 M.
 * Scr in mg/dL. NaN on invalid input.
 */
export function egfrCkdEpi2021(input: EgfrInput): number {
  if (!validInput(input)) return NaN;
  const scr = creatinineMgDl(input.creatinineUmolL);
  const female = input.sex === 'F';
  const kappa = female ? 0.7 : 0.9;
  const alpha = female ? -0.241 : -0.302;
  const r = scr / kappa;
  return 142 * Math.min(r, 1) ** alpha * Math.max(r, 1) ** -1.2 * 0.9938 ** input.ageYears * (female ? 1.012 : 1);
}

/**
 * eGFR (mL/min/1.73 m²) by CKD-EPI 2009 without the race factor:
 * 141 × min(Scr/κ,1)^α × max(Scr/κ,1)^−1.209 × 0.993^age × 1.018 if female; κ 0.7 F / 0.9 M; α −0.329 F / −0.411 M.
 */
export function egfrCkdEpi2009(input: EgfrInput): number {
  if (!validInput(input)) return NaN;
  const scr = creatinineMgDl(input.creatinineUmolL);
  const female = input.sex === 'F';
  const kappa = female ? 0.7 : 0.9;
  const alpha = female ? -0.329 : -0.411;
  const r = scr / kappa;
  return 141 * Math.min(r, 1) ** alpha * Math.max(r, 1) ** -1.209 * 0.993 ** input.ageYears * (female ? 1.018 : 1);
}

/** eGFR (mL/min/1.73 m²) by the Chinese-modified MDRD: 175 × Scr^−1.234 × age^−0.179 × 0.79 if female. NaN for age 0. */
export function egfrChineseMdrd(input: EgfrInput): number {
  if (!validInput(input) || input.ageYears <= 0) return NaN;
  const scr = creatinineMgDl(input.creatinineUmolL);
  return 175 * scr ** -1.234 * input.ageYears ** -0.179 * (input.sex === 'F' ? 0.79 : 1);
}

/** Creatinine clearance (mL/min) by Cockcroft-Gault: (140 − age) × weight / (72 × Scr mg/dL) × 0.85 if female. NaN on invalid input. */
export function creatinineClearanceCockcroftGault(input: CrClInput): number {
  if (!validInput(input)) return NaN;
  const { weightKg } = input;
  if (typeof weightKg !== 'number' || !Number.isFinite(weightKg) || weightKg <= 0) return NaN;
  const scr = creatinineMgDl(input.creatinineUmolL);
  return (((140 - input.ageYears) * weightKg) / (72 * scr)) * (input.sex === 'F' ? 0.85 : 1);
}

export type KidneyFunctionWarning = 'UNDER_18_ADULT_EQUATION';

export const KIDNEY_FUNCTION_WARNING_MESSAGES: Record<KidneyFunctionWarning, Bilingual> = {
  UNDER_18_ADULT_EQUATION: {
    zh: '受试者未满 18 岁，成人 eGFR / 肌酐清除率公式仅供参考',
    en: 'Subject is under 18: adult eGFR / creatinine clearance equations are shown for reference only',
  },
};

/** Warnings to show beside the adult equations (PROTOCOL.md: "For subjects under 18 ... shown with a warning"). */
export function kidneyFunctionWarnings(ageYears: number): KidneyFunctionWarning[] {
  return typeof ageYears === 'number' && Number.isFinite(ageYears) && ageYears < 18 ? ['UNDER_18_ADULT_EQUATION'] : [];
}

/** All four estimates at once, with the under-18 warning, as the LAB screen shows them. */
export function kidneyFunction(input: EgfrInput & { weightKg?: number }): {
  ckdEpi2021: number;
  ckdEpi2009: number;
  chineseMdrd: number;
  cockcroftGault: number;
  warnings: KidneyFunctionWarning[];
} {
  const safe = input && typeof input === 'object' ? input : ({} as EgfrInput);
  return {
    ckdEpi2021: egfrCkdEpi2021(safe),
    ckdEpi2009: egfrCkdEpi2009(safe),
    chineseMdrd: egfrChineseMdrd(safe),
    cockcroftGault: creatinineClearanceCockcroftGault({ ...safe, weightKg: (safe as { weightKg?: number }).weightKg ?? NaN }),
    warnings: kidneyFunctionWarnings(safe.ageYears),
  };
}
