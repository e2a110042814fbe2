// What a nurse types, as the eCRF reads it: dates in the ward's other spellings, 。 as a decimal point, unit hints.
import { describe, expect, it } from 'vitest';
import { normaliseDateText, normaliseNumberText, normaliseTimeText, unitHint } from './entryNormalise';
import { FORMS } from './study';
import { validateForm } from './validateForm';
import type { FieldDef, FormContext } from './types';

const field = (form: string, id: string): FieldDef => FORMS[form as 'LAB'].fields.find((f) => f.id === id)!;
const ctx: FormContext = { subject: { consentDate: '2026-01-05', sex: 'F' }, visitCode: 'SCR', casebook: [], today: '2026-12-01' };

describe('dates as the ward types them', () => {
  it.each([
    ['2026/5/11', '2026-05-11'],
    ['2026.5.11', '2026-05-11'],
    ['20260511', '2026-05-11'],
    ['2026-5-11', '2026-05-11'],
    ['2026-05-11', '2026-05-11'],
    ['2026年5月11日', '2026-05-11'],
    ['２０２６／５／１１', '2026-05-11'],
    [' 2026/12/1 ', '2026-12-01'],
  ])('%s → %s', (typed, iso) => expect(normaliseDateText(typed)).toBe(iso));

  it.each(['2026/2/30', '2026/13/1', '20261301', '26/5/11', '5/11/2026', '2026/5', 'gestern', ''])('%s is left as typed (the date check reports it)', (typed) =>
    expect(normaliseDateText(typed)).toBe(typed.trim()),
  );

  it('a date typed 2026/5/11 is saved as 2026-05-11; 2026/2/30 is still refused', () => {
    const ok = validateForm('VITALS', { assessmentDate: '2026/5/11', weightKg: '60', temperatureC: '36.5', heartRate: '70', systolicBp: '120', diastolicBp: '80', heightCm: '160' }, ctx);
    expect(ok.values.assessmentDate).toBe('2026-05-11');
    expect(ok.errors.filter((e) => e.fieldId === 'assessmentDate')).toEqual([]);
    const bad = validateForm('VITALS', { assessmentDate: '2026/2/30' }, ctx);
    expect(bad.errors.find((e) => e.fieldId === 'assessmentDate')?.checkId).toBe('VITALS.assessmentDate.type');
  });
});

describe('numbers and times', () => {
  it.each([
    ['5。2', '5.2'],
    ['５。２', '5.2'],
    ['５．２', '5.2'],
    ['97', '97'],
    ['<0。1', '<0.1'],
  ])('%s → %s', (typed, out) => expect(normaliseNumberText(typed)).toBe(out));

  it('5。2 is saved as 5.2', () => {
    expect(validateForm('LAB', { wbc: '5。2' }, ctx).values.wbc).toBe(5.2);
  });

  it.each([
    ['1430', '14:30'],
    ['14：30', '14:30'],
    ['9:05', '09:05'],
    ['14.30', '14:30'],
    ['2560', '2560'],
  ])('time %s → %s', (typed, out) => expect(normaliseTimeText(typed)).toBe(out));
});

describe('a value that fits another common unit', () => {
  it('creatinine 1.1 is likely mg/dL: 97.2 µmol/L', () => {
    const hint = unitHint(field('LAB', 'creatinine'), 1.1)!;
    expect(hint.value).toBe(97.2);
    expect(hint.fromUnit).toBe('mg/dL');
    expect(hint.message.zh).toContain('mg/dL');
    expect(hint.message.zh).toContain('97.2 µmol/L');
    expect(hint.message.en).toContain('97.2 µmol/L');
  });

  it('haemoglobin 10.5 (g/dL) is 105 g/L and the error says so', () => {
    expect(unitHint(field('LAB', 'haemoglobin'), 10.5)?.value).toBe(105);
    const r = validateForm('LAB', { haemoglobin: '10.5' }, ctx);
    const e = r.errors.find((i) => i.fieldId === 'haemoglobin')!;
    expect(e.message.zh).toContain('应为整数');
    expect(e.message.zh).toContain('g/dL');
    expect(e.message.zh).toContain('105 g/L');
    expect(e.message.en).toContain('105 g/L');
  });

  it.each([
    ['LAB', 'albumin', 3.5, 35],
    ['LAB', 'c3', 90, 0.9],
    ['LAB', 'wbc', 6500, 6.5],
    ['LAB', 'platelets', 150000, 150],
    ['LAB', 'urineProtein24h', 850, 0.85],
    ['VITALS', 'heightCm', 1.62, 162],
    ['VITALS', 'temperatureC', 98.6, 37],
  ])('%s %s %d → %d', (form, id, typed, converted) => expect(unitHint(field(form, id), typed)?.value).toBe(converted));

  it('no hint for a value that is fine, or that fits no other unit', () => {
    expect(unitHint(field('LAB', 'creatinine'), 80)).toBeNull();
    expect(unitHint(field('LAB', 'creatinine'), 0.01)).toBeNull(); // 0.88 µmol/L is not plausible either
    expect(unitHint(field('LAB', 'urea'), 15)).toBeNull(); // a genuinely high urea is not hinted at
    expect(unitHint(field('VITALS', 'temperatureC'), 39.5)).toBeNull();
  });

  it('the plausible-range error carries the hint; a value in range has none', () => {
    const r = validateForm('LAB', { creatinine: '1.1' }, ctx);
    expect(r.errors.find((i) => i.fieldId === 'creatinine')?.message.en).toMatch(/mg\/dL.*97\.2 µmol\/L/);
    expect(validateForm('LAB', { creatinine: '97' }, ctx).errors.find((i) => i.fieldId === 'creatinine')).toBeUndefined();
  });
});
