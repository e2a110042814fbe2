// VITALS form: height (screening), weight, temperature, heart rate, blood pressure, SpO₂; BMI and BSA derived (PROTOCOL.md "VITALS").
import type { FormContext, FormData, FormDef } from '../types';
import { bodyMassIndex, bsaMosteller } from '../../rules/bsa';
import { numberValue } from '../formValues';
import { MEASUREMENT_MISSING, field, withMissing } from './fieldKit';

/** Height is measured at screening; later visits use the screening height. */
export function heightForVisit(d: FormData, ctx: FormContext): number | null {
  return numberValue(d, 'heightCm') ?? ctx?.subject?.heightCm ?? null;
}

export const VITALS: FormDef = {
  code: 'VITALS',
  label: { zh: '生命体征', en: 'Vital signs' },
  fields: [
    field('assessmentDate', 'date', '测量日期', 'Date measured', { required: true, visitDate: true }),
    ...withMissing(MEASUREMENT_MISSING, [
    // Plausible 100-230 cm covers the shortest and tallest adults seen on the ward; no normal range.
    field('heightCm', 'number', '身高', 'Height', {
      unit: 'cm',
      decimals: 1,
      plausible: { min: 100, max: 230 },
      visibleWhen: (_d, ctx) => ctx?.visitCode === 'SCR',
      required: (_d, ctx) => ctx?.visitCode === 'SCR',
    }),
    // Plausible 20-250 kg; no normal range (BMI carries that meaning).
    field('weightKg', 'number', '体重', 'Weight', { unit: 'kg', decimals: 1, required: true, plausible: { min: 20, max: 250 } }),
    // Axillary temperature: plausible 30-45 °C, normal 36.0-37.3 °C.
    field('temperatureC', 'number', '体温', 'Temperature', { unit: '°C', decimals: 1, required: true, plausible: { min: 30, max: 45 }, normal: { min: 36.0, max: 37.3 } }),
    field('heartRate', 'integer', '心率', 'Heart rate', { unit: '次/分 bpm', required: true, plausible: { min: 20, max: 250 }, normal: { min: 60, max: 100 } }),
    field('systolicBp', 'integer', '收缩压', 'Systolic blood pressure', { unit: 'mmHg', required: true, plausible: { min: 50, max: 300 }, normal: { min: 90, max: 139 } }),
    field('diastolicBp', 'integer', '舒张压', 'Diastolic blood pressure', { unit: 'mmHg', required: true, plausible: { min: 20, max: 200 }, normal: { min: 60, max: 89 } }),
    field('spo2', 'integer', '血氧饱和度', 'SpO₂', { unit: '%', plausible: { min: 50, max: 100 }, normal: { min: 95, max: 100 } }),
    ]),
  ],
  // BMI and BSA of a later visit use the screening height (the subject facts, from the SCR VITALS).
  derivedReads: ['VITALS'],
  derived: [
    {
      id: 'bmi',
      label: { zh: '体重指数', en: 'Body-mass index' },
      unit: 'kg/m²',
      formula: { zh: 'BMI = 体重 kg ÷（身高 m）²', en: 'BMI = weight kg ÷ (height m)²' },
      decimals: 1,
      compute: (d, ctx) => {
        const h = heightForVisit(d, ctx);
        const w = numberValue(d, 'weightKg');
        return h === null || w === null ? null : bodyMassIndex({ heightCm: h, weightKg: w });
      },
    },
    {
      id: 'bsa',
      label: { zh: '体表面积（Mosteller）', en: 'Body surface area (Mosteller)' },
      unit: 'm²',
      formula: { zh: 'BSA = √（身高 cm × 体重 kg ÷ 3600）', en: 'BSA = √(height cm × weight kg / 3600)' },
      decimals: 2,
      compute: (d, ctx) => {
        const h = heightForVisit(d, ctx);
        const w = numberValue(d, 'weightKg');
        return h === null || w === null ? null : bsaMosteller({ heightCm: h, weightKg: w });
      },
    },
  ],
};
