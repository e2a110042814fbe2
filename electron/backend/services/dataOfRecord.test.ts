// Issue 14 (site half): what the site stores as data of record, through the real back end on a real SQLite file.
// Each describe is one finding of the issue: derived values were not stored; a confirmed endpoint went stale silently;
// a screening value changed after randomisation raised nothing per criterion; one empty string stood for "not done",
// "unknown", "not applicable" and SLEDAI "absent". Every test ends with `ecrf audit verify` (testBackend().cleanup()).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FormCode, FormData, VisitCode } from '../../../shared/protocol/types';
import { DAY0, GOOD_FORMS, SLEDAI_ALL_ABSENT } from '../../../shared/protocol/testing/fixtures';
import { addDays } from '../../../shared/rules/dates';
import { RULES_VERSION } from '../../../shared/rules/version';
import { verifyStudy } from '../audit/dataVerify';
import { createBackend } from '../backend';
import { ok } from '../testing/apiResults';
import { TEST_PASSWORD, type TestBackend } from '../testing/fixtures';
import { openWard, type SessionKey, type Ward } from '../testing/ward';

let w: Ward;
let t: TestBackend;
let nurse: SessionKey;
let doctor: SessionKey;
let subjectId: number;
let key: Ward['key'];
let version: Ward['version'];
let save: Ward['save'];
let screenedAndRandomised: Ward['screenedAndRandomised'];

const day = (n: number) => addDays(DAY0, n)!;
const db = () => t.backend.services.db;
const formRow = (visitCode: VisitCode, formCode: FormCode, repeatKey = 0) =>
  db().prepare('SELECT id, version, status FROM form_instances WHERE subject_id = ? AND visit_code = ? AND form_code = ? AND repeat_key = ?').get(subjectId, visitCode, formCode, repeatKey) as
    | { id: number; version: number; status: string }
    | undefined;
/** The stored items of a form, decoded. */
const items = (visitCode: VisitCode, formCode: FormCode, repeatKey = 0): Record<string, unknown> =>
  Object.fromEntries(
    (db().prepare('SELECT item_code, value FROM item_values WHERE form_id = ?').all(formRow(visitCode, formCode, repeatKey)!.id) as { item_code: string; value: string }[]).map((r) => [r.item_code, JSON.parse(r.value)]),
  );
/** The stored derived values of a form: { id: value }, and every row's rules version. */
const derivedRows = (visitCode: VisitCode, formCode: FormCode, repeatKey = 0) =>
  db().prepare('SELECT derived_id, value, rules_version FROM derived_values WHERE form_id = ? ORDER BY derived_id').all(formRow(visitCode, formCode, repeatKey)!.id) as { derived_id: string; value: string; rules_version: string }[];
const derived = (visitCode: VisitCode, formCode: FormCode, repeatKey = 0): Record<string, unknown> =>
  Object.fromEntries(derivedRows(visitCode, formCode, repeatKey).map((r) => [r.derived_id, JSON.parse(r.value)]));
const queries = (formCode: FormCode, status = 'open') =>
  db().prepare('SELECT item_code, check_id, text_zh, text_en FROM queries WHERE subject_id = ? AND form_code = ? AND status = ? ORDER BY id').all(subjectId, formCode, status) as {
    item_code: string;
    check_id: string;
    text_zh: string;
    text_en: string;
  }[];
const auditOf = (formCode: FormCode, item: string) =>
  db().prepare("SELECT action, user_id, old_value, new_value, reason, details FROM audit_log WHERE subject_id = ? AND form_code = ? AND item_code = ? AND action LIKE 'item.%' ORDER BY seq").all(subjectId, formCode, item) as {
    action: string;
    old_value: string | null;
    new_value: string | null;
    reason: string | null;
    details: string | null;
  }[];

beforeEach(async () => {
  w = await openWard();
  ({ t, nurse, doctor, subjectId, key, version, save, screenedAndRandomised } = w);
});

afterEach(() => w.close());

/** Month 6 LAB: creatinine 85 (≤ 1.25 × 80 = 100), RBC 3 (< 10), protein as given (baseline 3.5 g: nephrotic branch). */
const m6Lab = (extra: FormData): FormData => ({ ...GOOD_FORMS.LAB.data, collectionDate: day(180), creatinine: 85, urineRbc: 3, urineProtein24h: 0.37, ...extra });
const confirm = (extra: FormData = {}) => save('M6', 'RESPONSE', { assessmentDate: day(180), confirmed: true, ...extra }, doctor, 0, version('M6', 'RESPONSE') ? '重新确认' : undefined);

describe('derived values are stored with their form (rule 13; the finding: none of the 18 derived values was stored)', () => {
  it('every save stores its form’s derived values, with the rules version; a value that cannot be computed has no row', async () => {
    await screenedAndRandomised();
    // Female, 33 at the screening LAB, creatinine 80 µmol/L = 0.90498 mg/dL:
    // CKD-EPI 2021 = 142 × (0.90498/0.7)^−1.200 × 0.9938^33 × 1.012 = 85.998; Cockcroft-Gault = 107 × 55 / (72 × 0.90498) × 0.85 = 76.771.
    const lab = derived('SCR', 'LAB');
    expect(lab.egfrCkdEpi2021).toBeCloseTo(85.998, 2);
    expect(lab.creatinineClearance).toBeCloseTo(76.771, 2);
    expect(derived('SCR', 'DEMOG')).toEqual({ ageAtConsent: 33 });
    expect(derived('SCR', 'SLEDAI')).toEqual({ sledaiTotal: 14 });
    // BMI 55 / 1.6² = 21.484; BSA √(160 × 55 / 3600) = 1.5635.
    expect(derived('SCR', 'VITALS').bmi).toBeCloseTo(21.484, 3);
    expect(derived('SCR', 'VITALS').bsa).toBeCloseTo(1.5635, 4);
    const elig = derived('SCR', 'ELIG');
    expect(elig).toMatchObject({ eligible: 1, criteriaMet: 16, INC_AGE: 'met', EXC_CREATININE_GT_250: 'met', EXC_WBC_LT_3_5: 'met' });
    for (const form of ['LAB', 'DEMOG', 'SLEDAI', 'VITALS', 'ELIG'] as FormCode[]) {
      expect(new Set(derivedRows('SCR', form).map((r) => r.rules_version))).toEqual(new Set([RULES_VERSION]));
    }
    // A Month 1 LAB without that visit's VITALS: eGFR yes, creatinine clearance (needs the weight) no row.
    await ok(save('M1', 'LAB', { ...GOOD_FORMS.LAB.data, collectionDate: day(30) }, nurse));
    expect(Object.keys(derived('M1', 'LAB')).sort()).toEqual(['egfrChineseMdrd', 'egfrCkdEpi2009', 'egfrCkdEpi2021']);
    // CYC: BSA 1.5635 × 750 mg/m² = 1172.6 → 1170 mg.
    await ok(save('D0', 'CYC', GOOD_FORMS.CYC.data, doctor));
    expect(derived('D0', 'CYC')).toMatchObject({ calculatedDoseMg: 1170 });
  });

  it('a date of birth corrected on DEMOG recomputes the eGFR of every LAB and the age (the LAB itself unchanged)', async () => {
    await screenedAndRandomised();
    await ok(save('M1', 'LAB', { ...GOOD_FORMS.LAB.data, collectionDate: day(30) }, nurse));
    const labVersion = version('SCR', 'LAB');
    await ok(save('SCR', 'DEMOG', { ...GOOD_FORMS.DEMOG.data, dateOfBirth: '1960-05-20' }, nurse, 0, '出生日期录入错误'));
    // 63 at 2024-01-05 (and at 2024-02-19): 142 × 0.73476 × 0.9938^63 × 1.012 = 71.360.
    expect(derived('SCR', 'LAB').egfrCkdEpi2021).toBeCloseTo(71.36, 2);
    expect(derived('M1', 'LAB').egfrCkdEpi2021).toBeCloseTo(71.36, 2);
    expect(derived('SCR', 'DEMOG')).toEqual({ ageAtConsent: 63 });
    expect(version('SCR', 'LAB')).toBe(labVersion); // a derived value is not an audited item: the LAB is unchanged
  });

  it('a weight corrected on VITALS recomputes the LAB’s creatinine clearance and the pulse’s CrCl from that LAB', async () => {
    await screenedAndRandomised();
    // Pre-dose bloods two days before Day 0 with the visit's weight; the pulse takes its CrCl from them (rule 3).
    await ok(save('UNS', 'VITALS', { ...GOOD_FORMS.VITALS.data, heightCm: null, assessmentDate: day(-2) }, nurse, 1));
    await ok(save('UNS', 'LAB', { ...GOOD_FORMS.LAB.data, collectionDate: day(-2) }, nurse, 1));
    await ok(save('D0', 'CYC', GOOD_FORMS.CYC.data, doctor));
    expect(derived('UNS', 'LAB', 1).creatinineClearance).toBeCloseTo(76.771, 2);
    expect(derived('D0', 'CYC').creatinineClearanceLab).toBeCloseTo(76.771, 2);
    await ok(save('UNS', 'VITALS', { ...GOOD_FORMS.VITALS.data, heightCm: null, assessmentDate: day(-2), weightKg: 66 }, nurse, 1, '称重错误'));
    // 107 × 66 / (72 × 0.90498) × 0.85 = 92.125.
    expect(derived('UNS', 'LAB', 1).creatinineClearance).toBeCloseTo(92.125, 2);
    expect(derived('D0', 'CYC').creatinineClearanceLab).toBeCloseTo(92.125, 2);
  });

  it('a database from before this version (no derived_values table) gets every derived value at its first start', async () => {
    await screenedAndRandomised();
    const before = { lab: derived('SCR', 'LAB'), elig: derived('SCR', 'ELIG'), count: db().prepare('SELECT COUNT(*) FROM derived_values').pluck().get() as number };
    expect(before.count).toBeGreaterThan(20);
    // As an older version left it: no table, the schema one step back.
    const latest = db().pragma('user_version', { simple: true }) as number;
    db().exec(`DROP TABLE derived_values; DELETE FROM settings WHERE key = 'derived_rules_version'; PRAGMA user_version = ${latest - 1}`);
    t.backend.close();
    const again = createBackend({ dbFile: t.dbFile, transport: 'browser', appVersion: 'test' });
    try {
      const d = again.services.db;
      expect(d.pragma('user_version', { simple: true })).toBe(latest);
      expect(d.prepare('SELECT COUNT(*) FROM derived_values').pluck().get()).toBe(before.count);
      const labId = d.prepare("SELECT id FROM form_instances WHERE subject_id = ? AND visit_code = 'SCR' AND form_code = 'LAB'").pluck().get(subjectId) as number;
      const rows = d.prepare('SELECT derived_id, value, rules_version FROM derived_values WHERE form_id = ?').all(labId) as { derived_id: string; value: string; rules_version: string }[];
      expect(Object.fromEntries(rows.map((r) => [r.derived_id, JSON.parse(r.value)]))).toEqual(before.lab);
      expect(rows.every((r) => r.rules_version === RULES_VERSION)).toBe(true);
      expect(verifyStudy(d).ok).toBe(true);
    } finally {
      again.close();
    }
  });
});

describe('the RESPONSE of record (rule 10; the finding: RESPONSE stored only assessmentDate, confirmed and comment)', () => {
  it('confirming stores the category, every step, each input with its source form and version, and the rules version', async () => {
    await screenedAndRandomised();
    await ok(save('M6', 'LAB', m6Lab({}), nurse));
    await ok(confirm());
    const r = items('M6', 'RESPONSE');
    expect(r).toMatchObject({ confirmed: true, recordCategory: 'complete', recordRulesVersion: RULES_VERSION });
    expect(r.recordMissing).toBeUndefined();
    expect(JSON.parse(r.recordInputs as string)).toEqual({
      'baseline.creatinineUmolL': { visit: 'SCR', form: 'LAB', repeatKey: 0, item: 'creatinine', formVersion: 1, value: 80 },
      'baseline.proteinGPer24h': { visit: 'SCR', form: 'LAB', repeatKey: 0, item: 'urineProtein24h', formVersion: 1, value: 3.5 },
      'month6.creatinineUmolL': { visit: 'M6', form: 'LAB', repeatKey: 0, item: 'creatinine', formVersion: 1, value: 85 },
      'month6.urineRbcPerHpf': { visit: 'M6', form: 'LAB', repeatKey: 0, item: 'urineRbc', formVersion: 1, value: 3 },
      'month6.proteinGPer24h': { visit: 'M6', form: 'LAB', repeatKey: 0, item: 'urineProtein24h', formVersion: 1, value: 0.37 },
    });
    const steps = JSON.parse(r.recordSteps as string) as { rule: unknown; pass: boolean; threshold: number | null }[];
    // 1.25 × 80 = 100; RBC < 10; nephrotic (3.5 > 3.0): < 3.0 and ≤ 0.5 × 3.5 = 1.75; complete: protein < 0.5.
    expect(steps.map((s) => [s.rule, s.threshold, s.pass])).toEqual([[1, 100, true], [2, 10, true], [3, 1.75, true], ['complete', 0.5, true]]);
    expect(derived('M6', 'RESPONSE')).toMatchObject({ category: 'complete', remission: 1, creatinineRatio: 1.0625, step1RenalFunction: 1, step3Proteinuria: 1, stepComplete: 1 });
    // Written as the investigator's items, audited.
    expect(auditOf('RESPONSE', 'recordCategory').map((a) => [a.action, a.new_value])).toEqual([['item.create', '"complete"']]);
  });

  it('an M6 protein changed 0.37 → 1.2 after “complete” was confirmed withdraws the confirmation, resets the status and raises a query naming the change', async () => {
    await screenedAndRandomised();
    await ok(save('M6', 'LAB', m6Lab({}), nurse));
    await ok(confirm());
    expect(formRow('M6', 'RESPONSE')).toMatchObject({ version: 1, status: 'complete' });
    await ok(save('M6', 'LAB', m6Lab({ urineProtein24h: 1.2 }), nurse, 0, '化验单转录错误'));

    expect(formRow('M6', 'RESPONSE')).toMatchObject({ version: 2, status: 'in_progress' });
    const r = items('M6', 'RESPONSE');
    expect(r.confirmed).toBe(false);
    expect(r.recordCategory).toBe('complete'); // what was confirmed stays on record
    expect(r.recordWithdrawal).toContain('第 6 个月 24 小时尿蛋白 0.37 → 1.2 g/24 h');
    expect(r.recordWithdrawal).toContain('Month 6 24-h urine protein 0.37 → 1.2 g/24 h');
    const withdrawn = auditOf('RESPONSE', 'confirmed');
    expect(withdrawn.map((a) => [a.action, a.old_value, a.new_value])).toEqual([['item.create', null, 'true'], ['item.update', 'true', 'false']]);
    expect(withdrawn[1]!.reason).toContain('0.37 → 1.2');
    expect(JSON.parse(withdrawn[1]!.details!)).toMatchObject({ system: true });
    const status = db().prepare("SELECT old_value, new_value, reason FROM audit_log WHERE subject_id = ? AND form_code = 'RESPONSE' AND action = 'form.status' ORDER BY seq DESC LIMIT 1").get(subjectId) as { old_value: string; new_value: string; reason: string };
    expect(status).toMatchObject({ old_value: 'complete', new_value: 'in_progress' });
    expect(status.reason).toContain('0.37 → 1.2');
    const q = queries('RESPONSE');
    expect(q.map((x) => [x.item_code, x.check_id])).toEqual([['confirmed', 'RESPONSE.confirmed.inputChanged']]);
    expect(q[0]!.text_zh).toContain('0.37 → 1.2');
    expect(q[0]!.text_zh).toContain('确认时判定为“完全缓解”，现判定为“部分缓解”');
    expect(q[0]!.text_en).toContain('Confirmed as "Complete remission", the rules now give "Partial remission"');
    expect(derived('M6', 'RESPONSE')).toMatchObject({ category: 'partial', stepComplete: 0 });

    // The investigator reviews and confirms again: the query closes, the record is the new one.
    await ok(confirm());
    expect(queries('RESPONSE')).toEqual([]);
    expect(queries('RESPONSE', 'closed').map((x) => x.check_id)).toEqual(['RESPONSE.confirmed.inputChanged']);
    const again = items('M6', 'RESPONSE');
    expect(again).toMatchObject({ confirmed: true, recordCategory: 'partial' });
    expect(again.recordWithdrawal).toBeUndefined();
    expect(JSON.parse(again.recordInputs as string)['month6.proteinGPer24h']).toMatchObject({ value: 1.2, formVersion: 2 });
  });

  it('a signed RESPONSE goes back to in progress too; another item of the M6 LAB (WBC) withdraws nothing', async () => {
    await screenedAndRandomised();
    await ok(save('M6', 'LAB', m6Lab({}), nurse));
    await ok(confirm());
    await ok(t.call('lifecycle.sign', { scope: 'form', formKey: key('M6', 'RESPONSE'), password: TEST_PASSWORD, meaning: 'accurate_complete' }, doctor.key));
    expect(formRow('M6', 'RESPONSE')?.status).toBe('signed');
    await ok(save('M6', 'LAB', m6Lab({ wbc: 6.1 }), nurse, 0, '补录'));
    expect(formRow('M6', 'RESPONSE')).toMatchObject({ status: 'signed', version: 1 });
    expect(queries('RESPONSE')).toEqual([]);
    await ok(save('M6', 'LAB', m6Lab({ wbc: 6.1, creatinine: 120 }), nurse, 0, '复查'));
    expect(formRow('M6', 'RESPONSE')).toMatchObject({ status: 'in_progress', version: 2 });
    expect(items('M6', 'RESPONSE').recordWithdrawal).toContain('第 6 个月血肌酐 85 → 120 µmol/L');
    expect(queries('RESPONSE')[0]!.text_en).toContain('the rules now give "No remission"');
  });

  it('a not-evaluable result is confirmed as such, with its missing inputs (M6 urine RBC not done)', async () => {
    await screenedAndRandomised();
    await ok(save('M6', 'LAB', m6Lab({ urineRbc: null, urineRbc__missing: 'not_done' }), nurse));
    await ok(confirm({ comment: '第 6 个月尿沉渣未送检' }));
    expect(derived('M6', 'RESPONSE')).toMatchObject({ category: 'not_evaluable', missingInputs: 'month6.urineRbcPerHpf' });
    expect(derived('M6', 'RESPONSE').remission).toBeUndefined();
    const r = items('M6', 'RESPONSE');
    expect(r.recordCategory).toBe('not_evaluable');
    expect(JSON.parse(r.recordMissing as string)).toEqual(['month6.urineRbcPerHpf']);
    expect(JSON.parse(r.recordInputs as string)['month6.urineRbcPerHpf']).toEqual({ visit: 'M6', form: 'LAB', repeatKey: 0, item: 'urineRbc', formVersion: 1, value: null, missingReason: 'not_done' });
  });

  it('the client cannot write the record: a category sent with the save is replaced by the one the rules give', async () => {
    await screenedAndRandomised();
    await ok(save('M6', 'LAB', m6Lab({ urineProtein24h: 2.5 }), nurse)); // 2.5 > 1.75: rule 3 fails → no remission
    await ok(confirm({ recordCategory: 'complete', recordRulesVersion: 'x', recordWithdrawal: 'forged' }));
    expect(items('M6', 'RESPONSE')).toMatchObject({ recordCategory: 'none', recordRulesVersion: RULES_VERSION });
    expect(items('M6', 'RESPONSE').recordWithdrawal).toBeUndefined();
  });
});

describe('eligibility after randomisation (rule 9; the finding: screening creatinine changed to 300 raised nothing)', () => {
  it('screening creatinine corrected to 300 queries the creatinine criterion to the investigator, naming the value; correcting it back closes the query', async () => {
    await screenedAndRandomised();
    await ok(save('SCR', 'LAB', { ...GOOD_FORMS.LAB.data, creatinine: 300 }, nurse, 0, '原始记录更正'));
    const q = queries('ELIG');
    expect(q.map((x) => [x.item_code, x.check_id])).toEqual([['EXC_CREATININE_GT_250', 'ELIG.EXC_CREATININE_GT_250.afterRandomisation']]);
    expect(q[0]!.text_zh).toContain('血肌酐 >250 µmol/L');
    expect(q[0]!.text_zh).toContain('（300）');
    expect(q[0]!.text_en).toContain('document a protocol deviation');
    expect(derived('SCR', 'ELIG')).toMatchObject({ eligible: 0, EXC_CREATININE_GT_250: 'not_met' });
    await ok(save('SCR', 'LAB', GOOD_FORMS.LAB.data, nurse, 0, '更正回原值'));
    expect(queries('ELIG')).toEqual([]);
    expect(derived('SCR', 'ELIG')).toMatchObject({ eligible: 1, EXC_CREATININE_GT_250: 'met' });
  });

  it('each criterion is its own query: a date of birth making the subject 70 at consent adds the age criterion', async () => {
    await screenedAndRandomised();
    await ok(save('SCR', 'LAB', { ...GOOD_FORMS.LAB.data, creatinine: 300 }, nurse, 0, '原始记录更正'));
    await ok(save('SCR', 'DEMOG', { ...GOOD_FORMS.DEMOG.data, dateOfBirth: '1953-05-20' }, nurse, 0, '出生日期更正'));
    expect(queries('ELIG').map((x) => x.item_code)).toEqual(['EXC_CREATININE_GT_250', 'INC_AGE']);
    expect(queries('ELIG')[1]!.text_zh).toContain('（70）');
  });
});

describe('missing-value reasons (the finding: one empty string for not entered, not done, unknown and not applicable)', () => {
  it('a required lab result may be “not done” instead of a value: stored as its own audited item', async () => {
    await screenedAndRandomised();
    await ok(save('M1', 'LAB', { ...GOOD_FORMS.LAB.data, collectionDate: day(30), urineProtein24h: '', urineProtein24h__missing: 'not_done', c4: null, c4__missing: 'unknown' }, nurse));
    const lab = items('M1', 'LAB');
    expect(lab.urineProtein24h).toBeUndefined();
    expect(lab).toMatchObject({ urineProtein24h__missing: 'not_done', c4__missing: 'unknown' });
    expect(auditOf('LAB', 'urineProtein24h__missing').map((a) => [a.action, a.new_value])).toEqual([['item.create', '"not_done"']]);
    // A value entered later replaces the reason (the reason is cleared, audited).
    await ok(save('M1', 'LAB', { ...GOOD_FORMS.LAB.data, collectionDate: day(30), urineProtein24h: 0.8, c4: null, c4__missing: 'unknown' }, nurse, 0, '补做'));
    expect(items('M1', 'LAB')).toMatchObject({ urineProtein24h: 0.8, c4__missing: 'unknown' });
    expect(items('M1', 'LAB').urineProtein24h__missing).toBeUndefined();
    expect(auditOf('LAB', 'urineProtein24h__missing').map((a) => a.action)).toEqual(['item.create', 'item.clear']);
  });

  it('the back end refuses a reason with a value, a reason the field does not allow and an unknown reason, in both languages, saving nothing', async () => {
    await screenedAndRandomised();
    const cases: [FormCode, FormData, string, string][] = [
      ['LAB', { ...GOOD_FORMS.LAB.data, collectionDate: day(30), creatinine: 90, creatinine__missing: 'not_done' }, '已填写数值，不能同时标注“未做”', 'has a value and is also marked "not done"'],
      ['LAB', { ...GOOD_FORMS.LAB.data, collectionDate: day(30), creatinine: null, creatinine__missing: 'not_applicable' }, '缺失原因只能是：未做、不详', 'must be one of not done, unknown'],
      ['LAB', { ...GOOD_FORMS.LAB.data, collectionDate: day(30), creatinine: null, creatinine__missing: 'lost' }, '缺失原因只能是', 'must be one of'],
      ['LAB', { ...GOOD_FORMS.LAB.data, collectionDate: day(30), collectionDate__missing: 'unknown' }, '不能标注缺失原因', 'cannot carry a missing-value reason'],
    ];
    for (const [form, data, zh, en] of cases) {
      const r = await save('M1', form, data, nurse);
      expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
      const message = !r.ok ? r.error.message : { zh: '', en: '' };
      expect(message.zh).toContain(zh);
      expect(message.en).toContain(en);
      expect(version('M1', form)).toBe(0);
    }
    // Without a value or a reason a required result is still required.
    expect(JSON.stringify(await save('M1', 'LAB', { ...GOOD_FORMS.LAB.data, collectionDate: day(30), creatinine: null }, nurse))).toContain('请填写「血肌酐」');
  });

  it('a hidden field’s reason is dropped with it (an AE still ongoing has no end date, known or not)', async () => {
    await screenedAndRandomised();
    await ok(save('LOG', 'AE', { ...GOOD_FORMS.AE.data, ongoing: true, endDate: null, endDate__missing: 'unknown', outcome: 'recovering' }, nurse, 1));
    expect(items('LOG', 'AE', 1).endDate__missing).toBeUndefined();
    await ok(save('LOG', 'AE', { ...GOOD_FORMS.AE.data, ongoing: false, endDate: null, endDate__missing: 'unknown', outcome: 'recovering' }, nurse, 1, '已结束，日期不详'));
    expect(items('LOG', 'AE', 1).endDate__missing).toBe('unknown');
  });
});

describe('SLEDAI “absent” is a value, not a blank', () => {
  it('every descriptor is answered: absent is stored as false, an unanswered one is refused by name', async () => {
    await screenedAndRandomised();
    const partial = await save('M1', 'SLEDAI', { assessmentDate: day(30), lowComplement: true }, doctor);
    expect(partial).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(JSON.stringify(partial)).toContain('请填写「癫痫发作（8 分）」');
    expect(JSON.stringify(partial)).toContain('Seizure (8) is required');
    await ok(save('M1', 'SLEDAI', { ...SLEDAI_ALL_ABSENT, assessmentDate: day(30), lowComplement: true }, doctor));
    const stored = items('M1', 'SLEDAI');
    expect(stored).toMatchObject({ seizure: false, cva: false, lowComplement: true });
    expect(Object.keys(stored).length).toBe(25); // the date and 24 answers
    expect(derived('M1', 'SLEDAI')).toEqual({ sledaiTotal: 2 });
  });

  it('a lab-based descriptor may be “not done” (the test was not done); the total counts what is present', async () => {
    await screenedAndRandomised();
    await ok(save('M1', 'SLEDAI', { ...SLEDAI_ALL_ABSENT, assessmentDate: day(30), urinaryCasts: null, urinaryCasts__missing: 'not_done', arthritis: true }, doctor));
    expect(items('M1', 'SLEDAI')).toMatchObject({ urinaryCasts__missing: 'not_done', arthritis: true });
    expect(derived('M1', 'SLEDAI')).toEqual({ sledaiTotal: 4 });
    const r = await save('M1', 'SLEDAI', { ...SLEDAI_ALL_ABSENT, assessmentDate: day(30), seizure: null, seizure__missing: 'not_done' }, doctor, 0, '更正');
    expect(JSON.stringify(r)).toContain('不能标注缺失原因');
  });
});
