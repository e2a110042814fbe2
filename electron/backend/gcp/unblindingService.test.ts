// Tests of emergency unblinding on a real SQLite file through the API: investigator only, re-authentication (a wrong
// password records nothing but the failed attempt and keeps the session), the UNBLIND form and audit row without the
// allocation in any readable value, the allocation returned once, a second attempt refused.
import { afterEach, describe, expect, it } from 'vitest';
import type { SubjectSummary } from '../../../shared/api/calls/subjects';
import type { FormCode } from '../../../shared/protocol/types';
import { DAY0, GOOD_FORMS, enteredBy } from '../../../shared/protocol/testing/fixtures';
import { verifyAuditChain } from '../audit/auditTrail';
import { ok } from '../testing/apiResults';
import { TEST_PASSWORD, testBackend, type TestBackend } from '../testing/fixtures';

let tb: TestBackend | null = null;
afterEach(() => {
  tb?.cleanup();
  tb = null;
});

async function randomisedSubject() {
  tb = await testBackend();
  const t = tb;
  const admin = await t.login('admin', 'admin2');
  const nurse = await t.login('data_entry', 'nurse');
  const doctor = await t.login('investigator', 'doctor');
  const pharmacist = await t.login('pharmacist', 'pharma');
  await ok(t.call('randomisation.generateList', { seed: 'unblinding-tests', size: 6, password: TEST_PASSWORD }, pharmacist.key));
  // The investigator holds a key for emergency unblinding: granted by the pharmacist with both present.
  await ok(t.call('randomisation.grantAccess', { password: TEST_PASSWORD, granteeUsername: 'doctor', granteePassword: TEST_PASSWORD }, pharmacist.key));
  const s = await ok<SubjectSummary>(t.call('subjects.create', {}, nurse.key));
  for (const code of ['CONSENT', 'DEMOG', 'MEDHX', 'BIOPSY', 'SLEDAI', 'BILAG', 'VITALS', 'LAB', 'PREG', 'ELIG'] as FormCode[]) {
    await ok(t.call('forms.save', { subjectId: s.id, visitCode: GOOD_FORMS[code].visit, formCode: code, repeatKey: 0, data: GOOD_FORMS[code].data, expectedVersion: 0, markComplete: true }, enteredBy(code) === 'investigator' ? doctor.key : nurse.key));
  }
  await ok(t.call('randomisation.randomise', { subjectId: s.id, date: DAY0, password: TEST_PASSWORD, confirmIrreversible: true }, doctor.key));
  return { t, admin, nurse, doctor, pharmacist, subjectId: s.id };
}

const count = (t: TestBackend, sql: string, ...args: unknown[]) => t.backend.services.db.prepare(sql).pluck().get(...args) as number;

describe('unblinding.emergency', () => {
  it('wrong password: REAUTH_FAILED, session still open, no UNBLIND form and no unblinding audit row', async () => {
    const { t, doctor, subjectId } = await randomisedSubject();
    const r = await t.call('unblinding.emergency', { subjectId, password: 'not-my-password', reason: 'Severe infusion reaction, ICU' }, doctor.key);
    expect(r).toMatchObject({ ok: false, error: { code: 'REAUTH_FAILED' } });
    expect(count(t, "SELECT COUNT(*) FROM form_instances WHERE form_code = 'UNBLIND'")).toBe(0);
    expect(count(t, "SELECT COUNT(*) FROM audit_log WHERE action = 'unblinding'")).toBe(0);
    expect((await t.call('subjects.list', {}, doctor.key)).ok).toBe(true);
  });

  it('only the investigator may unblind; a subject not randomised cannot be', async () => {
    const { t, nurse, pharmacist, admin, doctor } = await randomisedSubject();
    for (const who of [nurse, pharmacist, admin]) {
      expect(await t.call('unblinding.emergency', { subjectId: 1, password: TEST_PASSWORD, reason: 'Severe reaction' }, who.key)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    const other = await ok<SubjectSummary>(t.call('subjects.create', {}, nurse.key));
    expect(await t.call('unblinding.emergency', { subjectId: other.id, password: TEST_PASSWORD, reason: 'Severe reaction' }, doctor.key)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('records the UNBLIND form and an audit row with the reason, returns the allocation once; a second attempt is refused', async () => {
    const { t, doctor, nurse, pharmacist, subjectId } = await randomisedSubject();
    const r = await ok<{ randNo: string; allocation: string; unblindedAt: string }>(
      t.call('unblinding.emergency', { subjectId, password: TEST_PASSWORD, reason: 'Severe infusion reaction, ICU' }, doctor.key),
    );
    const table = await ok<{ randNo: string; allocation: string }[]>(t.call('randomisation.allocations', { password: TEST_PASSWORD }, pharmacist.key));
    expect(r.randNo).toBe('R001');
    expect(r.allocation).toBe(table.find((x) => x.randNo === 'R001')!.allocation);
    const form = await ok<{ data: Record<string, unknown>; status: string }>(t.call('forms.get', { subjectId, visitCode: 'LOG', formCode: 'UNBLIND', repeatKey: 0 }, nurse.key));
    expect(form.data).toMatchObject({ reason: 'Severe infusion reaction, ICU', sponsorNotified: false });
    expect(form.data.unblindDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(form.data.unblindTime).toMatch(/^\d{2}:\d{2}$/);
    const row = t.backend.services.db.prepare("SELECT * FROM audit_log WHERE action = 'unblinding'").get() as Record<string, string | null>;
    expect(row.reason).toBe('Severe infusion reaction, ICU');
    expect(JSON.stringify(row)).not.toMatch(/MSC|PLACEBO/);
    expect(count(t, "SELECT COUNT(*) FROM audit_log WHERE (new_value LIKE '%MSC%' OR new_value LIKE '%PLACEBO%' OR details LIKE '%MSC%' OR details LIKE '%PLACEBO%')")).toBe(0);
    const again = await t.call('unblinding.emergency', { subjectId, password: TEST_PASSWORD, reason: 'Asked again' }, doctor.key);
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(t.backend.services.unblinding.isUnblinded(subjectId)).toBe(true);
    expect(verifyAuditChain(t.backend.services.db).ok).toBe(true);
  });
});

describe('the unblinded mark', () => {
  it('the subject list and the subject say that a subject was unblinded (to every role, never the arm), from the next list on', async () => {
    const { t, doctor, nurse, subjectId } = await randomisedSubject();
    const other = await ok<SubjectSummary>(t.call('subjects.create', {}, nurse.key));
    type List = { version: unknown; complete: boolean; rows: { id: number; unblinded?: true }[] };
    const before = await ok<List>(t.call('subjects.list', {}, nurse.key));
    expect(before.rows.find((r) => r.id === subjectId)).not.toHaveProperty('unblinded');
    expect(await ok<{ subject: SubjectSummary }>(t.call('subjects.get', { subjectId }, nurse.key))).toMatchObject({ subject: { unblinded: false } });

    await ok(t.call('unblinding.emergency', { subjectId, password: TEST_PASSWORD, reason: 'Severe infusion reaction, ICU' }, doctor.key));
    // The whole list, and the changed rows sent to a caller holding the list from before.
    const after = await ok<List>(t.call('subjects.list', {}, nurse.key));
    expect(after.rows.find((r) => r.id === subjectId)).toMatchObject({ unblinded: true });
    expect(after.rows.find((r) => r.id === other.id)).not.toHaveProperty('unblinded');
    const delta = await ok<List>(t.call('subjects.list', { since: before.version }, nurse.key));
    expect(delta.complete).toBe(false);
    expect(delta.rows).toEqual([expect.objectContaining({ id: subjectId, unblinded: true })]);
    expect(await ok<{ subject: SubjectSummary }>(t.call('subjects.get', { subjectId }, nurse.key))).toMatchObject({ subject: { unblinded: true } });
    expect(await ok<{ subject: SubjectSummary }>(t.call('subjects.get', { subjectId: other.id }, nurse.key))).toMatchObject({ subject: { unblinded: false } });
    expect(JSON.stringify(after)).not.toMatch(/MSC|PLACEBO/);
  });
});
