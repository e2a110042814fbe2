// The live form state behind the form screen: what one keystroke changes (and, as important, what it leaves the same,
// since every row re-renders only when its own slice changes), worked on a real LAB form and a VITALS form.
import { describe, expect, it } from 'vitest';
import { buildFormContext } from '../../../shared/protocol/casebook';
import { FORMS } from '../../../shared/protocol/study';
import { casebookOf, GOOD_FORMS } from '../../../shared/protocol/testing/fixtures';
import type { RawValues } from './FieldInput';
import { computeLive, LiveStore, sameWarning } from './liveForm';

const ctx = buildFormContext(casebookOf(), 'SCR', '2024-01-20');
const asRaw = (data: Record<string, unknown>): RawValues => Object.fromEntries(Object.entries(data).map(([k, v]) => [k, String(v)]));
// Creatinine 60 µmol/L: inside the female normal range 41–73 (the fixture's 80 is above it).
const LAB = { ...asRaw(GOOD_FORMS.LAB.data), creatinine: '60' };

describe('computeLive', () => {
  it('works out warnings, required fields and derived values once for the whole LAB form', () => {
    const live = computeLive('LAB', LAB, ctx, false);
    // Creatinine 60 is in range; C3 0.6 g/L is below 0.9 and gets its range warning.
    expect(live.warnings.has('creatinine')).toBe(false);
    expect(live.warnings.get('c3')?.message.zh).toContain('0.6');
    expect(live.required.has('creatinine')).toBe(true);
    expect(live.values.creatinine).toBe(60);
    expect(live.derived.egfrCkdEpi2021).toBeGreaterThan(0);
    expect(live.visibleKey.split(' ')).toEqual(FORMS.LAB.fields.filter((f) => !f.visibleWhen || f.visibleWhen(live.values, ctx)).map((f) => f.id));
  });

  it('one keystroke in creatinine changes only creatinine and the values derived from it', () => {
    const before = computeLive('LAB', LAB, ctx, false);
    const typed = { ...LAB, creatinine: '600' }; // one more 0 typed: out of range
    const after = computeLive('LAB', typed, ctx, false);
    const changedWarnings = FORMS.LAB.fields.filter((f) => !sameWarning(before.warnings.get(f.id), after.warnings.get(f.id))).map((f) => f.id);
    expect(changedWarnings).toEqual(['creatinine']);
    const changedRequired = FORMS.LAB.fields.filter((f) => before.required.has(f.id) !== after.required.has(f.id));
    expect(changedRequired).toEqual([]);
    expect(after.visibleKey).toBe(before.visibleKey); // the layout stays: no row mounts or unmounts
    expect(after.derived.egfrCkdEpi2021 as number).toBeLessThan(before.derived.egfrCkdEpi2021 as number);
  });

  it('a warning that quotes the value is a new warning when the value changes, the same one when it does not', () => {
    const a = computeLive('LAB', { ...LAB, c3: '0.6' }, ctx, false).warnings.get('c3');
    const b = computeLive('LAB', { ...LAB, c3: '0.6' }, ctx, false).warnings.get('c3');
    const c = computeLive('LAB', { ...LAB, c3: '0.5' }, ctx, false).warnings.get('c3');
    expect(a).not.toBe(b);
    expect(sameWarning(a, b)).toBe(true);
    expect(sameWarning(a, c)).toBe(false);
    expect(sameWarning(undefined, undefined)).toBe(true);
    expect(sameWarning(a, undefined)).toBe(false);
  });

  it('a field that appears (visibleWhen) changes the layout key; unblinded-only fields show for the pharmacist only', () => {
    const ae = asRaw(GOOD_FORMS.AE.data);
    const ongoing = computeLive('AE', { ...ae, ongoing: 'true', endDate: '' }, ctx, false);
    const ended = computeLive('AE', { ...ae, ongoing: 'false' }, ctx, false);
    expect(ongoing.visibleKey.split(' ')).not.toContain('endDate');
    expect(ended.visibleKey.split(' ')).toContain('endDate');
    expect(ended.required.has('endDate')).toBe(true);
    const unblinded = FORMS.RAND.fields.filter((f) => f.unblindedOnly).map((f) => f.id);
    expect(unblinded.length).toBeGreaterThan(0);
    const rand = asRaw(GOOD_FORMS.RAND.data);
    expect(computeLive('RAND', rand, ctx, false).visibleKey.split(' ')).not.toContain(unblinded[0]);
    expect(computeLive('RAND', rand, ctx, true).visibleKey.split(' ')).toContain(unblinded[0]);
  });

  it('bad input is shown as a message, never thrown: letters in a number field, an impossible date', () => {
    const live = computeLive('LAB', { ...LAB, creatinine: '8o', collectionDate: '2024-02-30' }, ctx, false);
    expect(live.values.creatinine ?? null).toBeNull();
    expect(live.required.has('creatinine')).toBe(true);
  });
});

describe('LiveStore', () => {
  it('tells its subscribers of each new state until they unsubscribe', () => {
    const store = new LiveStore(computeLive('LAB', LAB, ctx, false));
    const seen: number[] = [];
    const off = store.subscribe(() => seen.push(store.get().values.creatinine as number));
    store.set(computeLive('LAB', { ...LAB, creatinine: '81' }, ctx, false));
    off();
    store.set(computeLive('LAB', { ...LAB, creatinine: '82' }, ctx, false));
    expect(seen).toEqual([81]);
    expect(store.get().values.creatinine).toBe(82);
  });
});
