// Property tests (fast-check): no input, however malformed, makes a schema, validateForm or a rule throw.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FormCode, FormContext } from './types';
import { FORMS, FORM_CODES } from './study';
import { buildFormContext } from './casebook';
import { formSchema, validateForm } from './validateForm';
import { casebookOf } from './testing/fixtures';
import * as rules from '../rules/index';

const anything = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true,
});
const nasty = fc.oneof(
  anything,
  fc.double(),
  fc.constantFrom(NaN, Infinity, -Infinity, 1e308, -0, Number.MAX_SAFE_INTEGER, undefined, null, '', ' ', '1e3', '２５', '12abc', '2024-02-30', '25:61', 'true'),
  fc.string(),
  fc.array(fc.string()),
);
/** Objects keyed by a form's real field ids with hostile values, so every branch of the checks is reached. */
const formDataFor = (code: FormCode) => fc.dictionary(fc.constantFrom(...FORMS[code].fields.map((f) => f.id), 'junk', '__proto__', 'constructor'), nasty);
const ctxArb: fc.Arbitrary<FormContext> = fc.oneof(
  fc.constant(buildFormContext(casebookOf(), 'SCR', '2024-12-31')),
  fc.constant(buildFormContext([], 'D0')),
  anything as fc.Arbitrary<FormContext>,
  fc.record({ subject: anything, visitCode: fc.constantFrom('SCR', 'D0', 'M6', 'LOG', 'X'), casebook: fc.array(anything) }) as fc.Arbitrary<FormContext>,
);
const RUNS = { numRuns: 150 };

describe('robustness: validateForm and formSchema never throw', () => {
  it.each(FORM_CODES)('%s', (code) => {
    fc.assert(
      fc.property(fc.oneof(formDataFor(code), anything), ctxArb, (data, ctx) => {
        const r = validateForm(code, data, ctx);
        expect(typeof r.ok).toBe('boolean');
        expect(r.ok).toBe(r.errors.length === 0);
        for (const i of [...r.errors, ...r.warnings]) expect(typeof i.message.zh === 'string' && typeof i.message.en === 'string').toBe(true);
        // A number is finite; a categorical value is one of the derived value's codes.
        for (const [id, v] of Object.entries(r.derived)) {
          const codes = FORMS[code].derived?.find((d) => d.id === id)?.choices?.map((c) => c.value);
          expect(v === null || (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && (codes === undefined ? v.length > 0 : codes.includes(v))), `${code}.${id} = ${String(v)}`).toBe(true);
        }
        const parsed = formSchema(code, ctx, 'zh-CN').safeParse(data);
        expect(typeof parsed.success).toBe('boolean');
      }),
      RUNS,
    );
  });
  it('unknown form codes and contexts', () => {
    fc.assert(
      fc.property(anything, anything, anything, (code, data, ctx) => {
        expect(() => validateForm(code as FormCode, data, ctx as FormContext)).not.toThrow();
        expect(() => formSchema(code as FormCode, ctx as FormContext, 'en').safeParse(data)).not.toThrow();
      }),
      RUNS,
    );
  });
});

describe('robustness: rules never throw', () => {
  const num = fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -1, 0, 1e308), anything) as fc.Arbitrary<number>;
  it('derived values return a number (possibly NaN)', () => {
    fc.assert(
      fc.property(anything, anything, num, num, num, num, anything, (a, b, h, w, scr, age, sex) => {
        expect(typeof rules.ageYears(a as string, b as string)).toBe('number');
        expect(typeof rules.bsaMosteller({ heightCm: h, weightKg: w })).toBe('number');
        expect(typeof rules.bsaDuBois({ heightCm: h, weightKg: w })).toBe('number');
        const e = { creatinineUmolL: scr, ageYears: age, sex: sex as 'F' };
        for (const f of [rules.egfrCkdEpi2021, rules.egfrCkdEpi2009, rules.egfrChineseMdrd]) expect(typeof f(e)).toBe('number');
        expect(typeof rules.creatinineClearanceCockcroftGault({ ...e, weightKg: w })).toBe('number');
        expect(typeof rules.bsaMosteller(a as never)).toBe('number');
      }),
      RUNS,
    );
  });
  it('scores, doses, endpoint, eligibility, windows return results', () => {
    fc.assert(
      fc.property(anything, anything, anything, num, num, num, (x, y, z, h, w, t) => {
        expect(rules.sledai2kScore(x as never)).toBeGreaterThanOrEqual(0);
        expect(typeof rules.suggestSledaiFromLab(x as never)).toBe('object');
        const dose = rules.cyclophosphamideDose({ heightCm: h, weightKg: w, targetMgPerM2: t, wbc: x as number, creatinineClearance: y as number });
        expect(Array.isArray(dose.warnings)).toBe(true);
        expect(Number.isNaN(dose.doseMg) || dose.doseMg <= 1500).toBe(true);
        expect(rules.classifyRenalResponse({ baseline: x as never, month6: y as never }).category).toMatch(/complete|partial|none|not_evaluable/);
        expect(rules.classifyRenalResponse(z as never).category).toBeTruthy();
        expect([true, false, null]).toContain(rules.evaluateEligibility(x as never).eligible);
        expect(rules.visitWindow(x as never, y as string, z as string).status).toBeTruthy();
      }),
      RUNS,
    );
  });
  it('renal response: a complete set of valid numbers is never "not_evaluable"; remission never without rules 1 and 2', () => {
    const v = fc.double({ min: 0, max: 5000, noNaN: true });
    fc.assert(
      fc.property(v, v, v, v, v, (bc, bp, mc, mr, mp) => {
        const r = rules.classifyRenalResponse({ baseline: { creatinineUmolL: bc, proteinGPer24h: bp }, month6: { creatinineUmolL: mc, urineRbcPerHpf: mr, proteinGPer24h: mp } });
        expect(r.category).not.toBe('not_evaluable');
        if (rules.isRemission(r.category)) expect(r.steps.renalFunction.pass && r.steps.urineRbc.pass && r.steps.proteinuria.pass).toBe(true);
      }),
      RUNS,
    );
  });
});
