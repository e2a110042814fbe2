// Worked-number tests of what the screen shows of the data of record (issue 14): the RESPONSE of record read back from
// the items the back end stores, its withdrawal text in each language, the SLEDAI answers and a new SLEDAI's start.
import { describe, expect, it } from 'vitest';
import { responseOfRecord } from '../../../shared/protocol/responseRecord';
import { RULES_VERSION } from '../../../shared/rules/version';
import type { CasebookForm } from '../../../shared/protocol/types';
import { SLEDAI_ALL_ABSENT } from '../../../shared/protocol/testing/fixtures';
import { recordItemText, responseRecordView, splitWithdrawal } from '../../../shared/protocol/responseRecordView';
import { responseView } from './responseView';
import { sledaiStartValues, unansweredDescriptors } from './sledaiAnswers';
import { WORKED_FOLLOW_UP, WORKED_SCREENING, type SeedForm } from './testing/workedSubject';

const book = (forms: SeedForm[]): CasebookForm[] => forms.map((f) => ({ ...f, repeatKey: 0 }));
const withLab = (forms: SeedForm[], visit: string, patch: Record<string, unknown>): SeedForm[] =>
  forms.map((f) => (f.formCode === 'LAB' && f.visitCode === visit ? { ...f, data: { ...f.data, ...patch } as SeedForm['data'] } : f));
/** The LAB versions as the back end would give them: screening 1, Month 6 3. */
const versions = (visit: 'SCR' | 'M6') => (visit === 'SCR' ? 1 : 3);

describe('responseRecordView', () => {
  it('worked example 88→95 µmol/L, RBC 4, protein 3.6→1.2 g: the record says partial, each step, each input with its form version', () => {
    const record = responseOfRecord(book([...WORKED_SCREENING, ...WORKED_FOLLOW_UP]), versions);
    const v = responseRecordView({ assessmentDate: '2026-09-20', confirmed: true, ...record })!;
    expect(v.category).toBe('partial');
    expect(v.categoryLabel.zh).toBe('部分缓解');
    expect(v.rulesVersion).toBe(RULES_VERSION);
    expect(v.withdrawal).toBeNull();
    expect(v.steps.map((s) => [s.rule, s.pass])).toEqual([['1', true], ['2', true], ['3', true], ['complete', false]]);
    expect(v.steps[0]?.threshold.en).toBe('≤ 110 µmol/L'); // 1.25 × 88
    expect(v.steps[0]?.value).toBe('95 µmol/L');
    expect(v.steps[2]?.threshold).toEqual({ zh: '< 3 g/24 h 且 ≤ 1.8 g/24 h', en: '< 3 g/24 h and ≤ 1.8 g/24 h' }); // 0.5 × 3.6
    expect(v.inputs.map((i) => i.value.en)).toEqual(['88 µmol/L', '3.6 g/24 h', '95 µmol/L', '4 /HPF', '1.2 g/24 h']);
    expect(v.inputs[4]?.source).toEqual({ zh: '第 6 个月 · 实验室检查 · 版本 3', en: 'Month 6 · Laboratory tests · v3' });
    expect(v.missing).toEqual([]);
    // On paper: the same record as text, not its JSON.
    const data = { assessmentDate: '2026-09-20', confirmed: true, ...record };
    expect(recordItemText(data, 'recordSteps', 'zh')).toBe('规则 1：95 µmol/L ≤ 110 µmol/L 通过；规则 2：4 /HPF < 10 /HPF 通过；规则 3：1.2 g/24 h < 3 g/24 h 且 ≤ 1.8 g/24 h 通过；完全缓解：1.2 g/24 h < 0.5 g/24 h 未通过');
    expect(recordItemText(data, 'recordInputs', 'en')).toContain('Month 6 24-h urine protein 1.2 g/24 h (Month 6 · Laboratory tests · v3)');
    expect(recordItemText(data, 'recordMissing', 'en')).toBeNull();
    expect(recordItemText(data, 'recordCategory', 'en')).toBeNull(); // a choice: read by its label as any item
  });

  it('not evaluable with M6 urine RBC not done: the record names the reason and the missing input', () => {
    const forms = withLab([...WORKED_SCREENING, ...WORKED_FOLLOW_UP], 'M6', { urineRbc: null, urineRbc__missing: 'not_done' });
    const v = responseRecordView({ confirmed: true, ...responseOfRecord(book(forms), versions) })!;
    expect(v.category).toBe('not_evaluable');
    expect(v.inputs[3]?.value).toEqual({ zh: '未做', en: 'Not done' });
    expect(v.inputs[3]?.missing).toBe(true);
    expect(v.missing).toEqual([{ zh: '第 6 个月尿红细胞', en: 'Month 6 urine RBC' }]);
    expect(v.steps.find((s) => s.rule === '2')?.pass).toBeNull();
    // The live table names the reason too, instead of a bare "missing".
    const live = responseView(book(forms));
    expect(live.inputs.map((i) => i.missingReason?.zh ?? null)).toEqual([null, null, null, '未做', null]);
  });

  it('withdrawn: confirmed false with the system’s text, split into its two languages (the banner’s title says withdrawn); never confirmed: nothing to show', () => {
    const record = responseOfRecord(book([...WORKED_SCREENING, ...WORKED_FOLLOW_UP]), versions);
    const text = '确认已撤销：确认后输入值已更改：第 6 个月 24 小时尿蛋白 1.2 → 0.3 g/24 h。 / Confirmation withdrawn: An input changed after the confirmation: Month 6 24-h urine protein 1.2 → 0.3 g/24 h.';
    const v = responseRecordView({ confirmed: false, ...record, recordWithdrawal: text })!;
    expect(v.withdrawal).toEqual({
      zh: '确认后输入值已更改：第 6 个月 24 小时尿蛋白 1.2 → 0.3 g/24 h。',
      en: 'An input changed after the confirmation: Month 6 24-h urine protein 1.2 → 0.3 g/24 h.',
    });
    expect(v.category).toBe('partial'); // what was confirmed stays on record
    expect(splitWithdrawal('plain text')).toEqual({ zh: 'plain text', en: 'plain text' });
    // A confirmation made again clears recordWithdrawal; a text left beside confirmed = true is not a withdrawal.
    expect(responseRecordView({ confirmed: true, ...record, recordWithdrawal: text })?.withdrawal).toBeNull();
    expect(responseRecordView({ assessmentDate: '2026-09-20', confirmed: false })).toBeNull();
  });
});

describe('SLEDAI answers', () => {
  it('an answer is true or false; a blank is not entered; “not done” answers a lab-based descriptor', () => {
    expect(unansweredDescriptors(SLEDAI_ALL_ABSENT)).toEqual([]);
    const old = { ...SLEDAI_ALL_ABSENT, seizure: null, haematuria: null, rash: true };
    expect(unansweredDescriptors(old).map((d) => d.id)).toEqual(['seizure', 'haematuria']);
    expect(unansweredDescriptors({ ...old, haematuria__missing: 'not_done' }).map((d) => d.id)).toEqual(['seizure']);
    expect(unansweredDescriptors({})).toHaveLength(24);
  });

  it('a new SLEDAI starts with the LAB’s suggestions, and “not done” where the LAB says its test was not done', () => {
    // Month 6 LAB: RBC 4 (no haematuria), protein 1.2 (> 0.5: proteinuria), WBC 5.5 (no leukopenia); urine WBC not done.
    const forms = withLab([...WORKED_SCREENING, ...WORKED_FOLLOW_UP], 'M6', { urineWbc: null, urineWbc__missing: 'not_done', c3: null, c3__missing: 'not_done' });
    const start = sledaiStartValues(book(forms), 'M6', 0);
    expect(start).toMatchObject({ haematuria: false, proteinuria: true, leukopenia: false, pyuria__missing: 'not_done' });
    expect(start.pyuria).toBeUndefined();
    // Low complement needs both C3 and C4 not done: C4 was simply not entered, so no reason is suggested.
    expect(start.lowComplement__missing).toBeUndefined();
    expect(start.lowComplement).toBeUndefined();
  });
});
