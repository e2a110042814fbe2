// A subject's study status through the real back end and a real SQLite file: screen failure, withdrawal, completion
// and created in error, each with its date, reason, role and status rules; audited; what may be entered afterwards.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FormCode, FormData, VisitCode } from '../../../shared/protocol/types';
import { DAY0, GOOD_FORMS, enteredBy } from '../../../shared/protocol/testing/fixtures';
import { addDays } from '../../../shared/rules/dates';
import { verifyAuditChain } from '../audit/auditTrail';
import { setClock } from '../audit/clock';
import { ok } from '../testing/apiResults';
import { testBackend, type TestBackend } from '../testing/fixtures';

let t: TestBackend;
let restoreClock: () => void;
type Key = { key: string };
let nurse: Key;
let doctor: Key;
let admin: Key;
let monitor: Key;

const day = (n: number) => addDays(DAY0, n)!;
const db = () => t.backend.services.db;
const version = (subjectId: number, visitCode: VisitCode, formCode: FormCode, repeatKey = 0) =>
  (db().prepare('SELECT version FROM form_instances WHERE subject_id = ? AND visit_code = ? AND form_code = ? AND repeat_key = ?').pluck().get(subjectId, visitCode, formCode, repeatKey) as number | undefined) ?? 0;
const save = (subjectId: number, visitCode: VisitCode, formCode: FormCode, data: FormData, who: Key, repeatKey = 0, reason?: string) =>
  t.call('forms.save', { subjectId, visitCode, formCode, repeatKey, data, expectedVersion: version(subjectId, visitCode, formCode, repeatKey), ...(reason ? { reason } : {}) }, who.key);
const change = (subjectId: number, to: string, reason: string, who: Key, date = day(60), note?: string) =>
  t.call('subjects.changeStatus', { subjectId, to, date, reason, ...(note ? { note } : {}) }, who.key);
const row = (subjectId: number) => db().prepare('SELECT status, status_date, status_reason, status_note FROM subjects WHERE id = ?').get(subjectId);
const checksum = () =>
  JSON.stringify(['subjects', 'form_instances', 'item_values', 'audit_log', 'visits'].map((table) => db().prepare(`SELECT * FROM ${table}`).all().map((r) => JSON.stringify(r)).sort()));

beforeEach(async () => {
  restoreClock = setClock(() => new Date('2024-09-01T02:00:00Z')); // 2024-09-01 10:00 in Beijing
  t = await testBackend();
  nurse = await t.login('data_entry', 'nurse');
  doctor = await t.login('investigator', 'doctor');
  admin = await t.login('admin', 'boss');
  monitor = await t.login('monitor', 'monitor');
});

afterEach(() => {
  t.cleanup();
  restoreClock();
});

async function newSubject(): Promise<number> {
  return (await ok<{ id: number }>(t.call('subjects.create', {}, nurse.key))).id;
}

async function screened(): Promise<number> {
  const id = await newSubject();
  for (const code of ['CONSENT', 'DEMOG', 'MEDHX', 'BIOPSY', 'SLEDAI', 'BILAG', 'VITALS', 'LAB', 'PREG', 'ELIG'] as FormCode[]) {
    await ok(save(id, 'SCR', code, GOOD_FORMS[code].data, enteredBy(code) === 'investigator' ? doctor : nurse));
  }
  return id;
}

/** Screened and randomised (RAND saved; the list's randomisation is tested elsewhere, so the status is set here). */
async function randomised(): Promise<number> {
  const id = await screened();
  await ok(save(id, 'D0', 'RAND', GOOD_FORMS.RAND.data, doctor));
  db().prepare("UPDATE subjects SET status = 'randomised' WHERE id = ?").run(id);
  return id;
}

describe('subjects.changeStatus', () => {
  it('records a screen failure with date, reason and note, audited; the list, the summary and the row say so', async () => {
    const id = await screened();
    const summary = await ok<{ status: string; statusChange: unknown; nextVisit: unknown }>(change(id, 'screen_failed', 'not_eligible', nurse, '2024-01-10', '肌酐 > 250'));
    expect(summary).toMatchObject({ status: 'screen_failed', statusChange: { date: '2024-01-10', reason: 'not_eligible', note: '肌酐 > 250' }, nextVisit: null });
    expect(row(id)).toEqual({ status: 'screen_failed', status_date: '2024-01-10', status_reason: 'not_eligible', status_note: '肌酐 > 250' });
    const audit = db().prepare("SELECT username, item_code, old_value, new_value, reason, details FROM audit_log WHERE action = 'subject.update' AND subject_id = ?").get(id) as Record<string, string>;
    expect(audit).toMatchObject({ username: 'nurse', item_code: 'status', old_value: 'screening', new_value: 'screen_failed' });
    expect(audit.reason).toContain('不符合入选/排除标准');
    expect(audit.reason).toContain('肌酐 > 250');
    expect(JSON.parse(audit.details!)).toEqual({ date: '2024-01-10', reason: 'not_eligible', note: '肌酐 > 250' });
    expect(verifyAuditChain(db()).ok).toBe(true);
    const list = await ok<{ rows: { id: number; status: string }[] }>(t.call('subjects.list', {}, nurse.key));
    expect(list.rows.find((r) => r.id === id)?.status).toBe('screen_failed');
  });

  it("a withdrawal is the investigator's, after Day 0, with one of the protocol's reasons; the subject is then off schedule", async () => {
    const id = await randomised();
    const before = checksum();
    expect(await change(id, 'withdrawn', 'lost_to_follow_up', nurse)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: { zh: expect.stringContaining('研究者') } } });
    expect(await change(id, 'withdrawn', 'moved_away', doctor)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } }); // not in the contract's list
    expect(await change(id, 'withdrawn', 'not_eligible', doctor)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: { en: expect.stringContaining('not a reason') } } });
    expect(await change(id, 'withdrawn', 'lost_to_follow_up', doctor, day(-1))).toMatchObject({ ok: false, error: { message: { en: expect.stringContaining('before Day 0') } } });
    expect(await change(id, 'withdrawn', 'lost_to_follow_up', doctor, '2024-09-02')).toMatchObject({ ok: false, error: { message: { en: expect.stringContaining('after today') } } });
    expect(await change(id, 'withdrawn', 'lost_to_follow_up', doctor, '2024-02-30')).toMatchObject({ ok: false, error: { message: { en: expect.stringContaining('not a valid date') } } });
    expect(await change(id, 'screen_failed', 'not_eligible', doctor)).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: { zh: expect.stringContaining('已随机') } } });
    expect(checksum()).toBe(before); // every refusal changed nothing
    for (const reason of ['consent_withdrawn', 'lost_to_follow_up', 'investigator_decision', 'adverse_event', 'death']) {
      expect(await t.call('subjects.changeStatus', { subjectId: id, to: 'withdrawn', date: day(60), reason }, monitor.key)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    const summary = await ok<{ status: string; nextVisit: unknown }>(change(id, 'withdrawn', 'adverse_event', doctor, day(40)));
    expect(summary).toMatchObject({ status: 'withdrawn', nextVisit: null });
    // A second change from withdrawn is refused.
    expect(await change(id, 'completed', 'per_protocol', doctor)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('after withdrawal only a new AE or EOS can be entered; saved forms can still be corrected', async () => {
    const id = await randomised();
    await ok(change(id, 'withdrawn', 'consent_withdrawn', doctor, day(40)));
    const vitals = { ...GOOD_FORMS.VITALS.data, assessmentDate: day(60) };
    const refused = await save(id, 'M2', 'VITALS', vitals, nurse);
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: { zh: expect.stringContaining('只能录入不良事件随访和研究结束表'), en: expect.stringContaining('only adverse-event follow-up') } } });
    expect(version(id, 'M2', 'VITALS')).toBe(0);
    await ok(save(id, 'LOG', 'AE', { ...GOOD_FORMS.AE.data, onsetDate: day(45), endDate: day(50) }, nurse, 1));
    await ok(save(id, 'LOG', 'EOS', { status: 'early_termination', eosDate: day(40), terminationReason: 'withdrew_consent' }, doctor));
    // A correction of a screening form (answering a query) still goes through, with its reason.
    await ok(save(id, 'SCR', 'VITALS', { ...GOOD_FORMS.VITALS.data, weightKg: 56 }, nurse, 0, '更正体重'));
    expect(version(id, 'SCR', 'VITALS')).toBe(2);
  });

  it('completion needs the end-of-study form saying completed', async () => {
    const id = await randomised();
    expect(await change(id, 'completed', 'per_protocol', doctor, day(180))).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: { en: expect.stringContaining('end-of-study form') } } });
    await ok(save(id, 'M6', 'EOS', { status: 'completed', eosDate: day(180) }, doctor));
    expect(await ok<{ status: string }>(change(id, 'completed', 'per_protocol', doctor, day(180)))).toMatchObject({ status: 'completed' });
  });

  it('a number created in error is voided only while it has no data, and then takes none', async () => {
    const empty = await newSubject();
    expect(await change(empty, 'created_in_error', 'created_in_error', nurse, '2024-09-01')).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: { en: 'Please write a note saying why' } } });
    await ok(change(empty, 'created_in_error', 'created_in_error', nurse, '2024-09-01', '重复点击新建'));
    expect(row(empty)).toMatchObject({ status: 'created_in_error', status_note: '重复点击新建' });
    const refused = await save(empty, 'SCR', 'CONSENT', GOOD_FORMS.CONSENT.data, nurse);
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: { zh: expect.stringContaining('误建') } } });
    // Its number is not reused: the next subject takes the next number.
    const next = await ok<{ screeningNo: string }>(t.call('subjects.create', {}, nurse.key));
    expect(next.screeningNo).toBe('KM01-S002');

    const withData = await newSubject();
    await ok(save(withData, 'SCR', 'CONSENT', GOOD_FORMS.CONSENT.data, nurse));
    const before = checksum();
    expect(await change(withData, 'created_in_error', 'created_in_error', admin, '2024-09-01', '误建')).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: { zh: expect.stringContaining('筛选失败') } } });
    expect(checksum()).toBe(before);
  });

  it('a screen failure cannot predate consent', async () => {
    const id = await screened();
    const consent = GOOD_FORMS.CONSENT.data.consentDate as string;
    expect(await change(id, 'screen_failed', 'consent_withdrawn', nurse, addDays(consent, -1)!)).toMatchObject({ ok: false, error: { message: { en: expect.stringContaining('before the consent date') } } });
    expect(await change(id, 'screen_failed', 'other', nurse, consent)).toMatchObject({ ok: false, error: { message: { en: 'Please write a note saying why' } } });
  });
});
