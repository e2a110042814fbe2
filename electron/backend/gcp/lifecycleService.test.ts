// Tests of the form lifecycle on a real SQLite file through the API: item and form SDV by the monitor, e-signature by the
// investigator (wrong password stores nothing), reset to complete on a later change, lock/unlock by the admin, audit rows.
import { afterEach, describe, expect, it } from 'vitest';
import { SIGNATURE_MEANINGS, type FormLifecycle } from '../../../shared/api/calls/lifecycle';
import type { SubjectList, SubjectSummary } from '../../../shared/api/calls/subjects';
import { decodeVisitStatuses } from '../../../shared/protocol/subjectListCodec';
import { formsForVisit } from '../../../shared/protocol/study';
import { GOOD_FORMS, enteredBy } from '../../../shared/protocol/testing/fixtures';
import { verifyAuditChain } from '../audit/auditTrail';
import { errorCode, ok } from '../testing/apiResults';
import { TEST_PASSWORD, testBackend, type TestBackend } from '../testing/fixtures';

let tb: TestBackend | null = null;
afterEach(() => {
  tb?.cleanup();
  tb = null;
});

interface SaveOut {
  version: number;
  status: string;
  statusReset: 'verified' | 'signed' | null;
}

/** A consented subject with screening vitals saved complete by the nurse; monitor, investigator and admin logged in. */
async function setup() {
  tb = await testBackend();
  const t = tb;
  const nurse = await t.login('data_entry', 'nurse');
  const doctor = await t.login('investigator', 'doctor');
  const monitor = await t.login('monitor', 'monitor');
  const admin = await t.login('admin', 'admin2');
  const subject = await ok<SubjectSummary>(t.call('subjects.create', {}, nurse.key));
  const subjectId = subject.id;
  const consent = { subjectId, visitCode: 'SCR', formCode: 'CONSENT', repeatKey: 0 } as const;
  await ok(t.call('forms.save', { ...consent, data: GOOD_FORMS.CONSENT.data, expectedVersion: 0 }, nurse.key));
  const vitals = { subjectId, visitCode: 'SCR', formCode: 'VITALS', repeatKey: 0 } as const;
  let version = 0;
  const saveVitals = async (data: Record<string, unknown>, reason?: string) => {
    const out = await ok<SaveOut>(t.call('forms.save', { ...vitals, data, expectedVersion: version, ...(reason ? { reason } : {}) }, nurse.key));
    version = out.version;
    return out;
  };
  await saveVitals(GOOD_FORMS.VITALS.data);
  const state = (key: { subjectId: number; visitCode: string; formCode: string; repeatKey: number } = vitals) =>
    ok<FormLifecycle>(t.call('lifecycle.forForm', key, nurse.key));
  const auditRows = (action: string) =>
    t.backend.services.db.prepare('SELECT * FROM audit_log WHERE action = ? ORDER BY seq').all(action) as {
      username: string;
      form_code: string;
      item_code: string | null;
      old_value: string | null;
      new_value: string | null;
      reason: string | null;
      details: string | null;
      at_local: string;
    }[];
  const signatureCount = () => t.backend.services.db.prepare('SELECT COUNT(*) FROM signatures').pluck().get() as number;
  return { t, nurse, doctor, monitor, admin, subjectId, consent, vitals, saveVitals, state, auditRows, signatureCount };
}

describe('source data verification', () => {
  it('verifies item by item; the form becomes verified once every item with a value is, audited per item', async () => {
    const { t, monitor, vitals, state, auditRows } = await setup();
    const before = await state();
    expect(before.status).toBe('complete');
    const items = before.itemsWithValue;
    expect(items.length).toBeGreaterThan(2);
    const partial = await ok<FormLifecycle>(t.call('lifecycle.verifyItems', { formKey: vitals, itemCodes: [items[0]] }, monitor.key));
    expect(partial.status).toBe('complete');
    expect(partial.verifiedItems).toEqual([expect.objectContaining({ itemCode: items[0], username: 'monitor' })]);
    expect(await errorCode(t.call('lifecycle.verifyItems', { formKey: vitals, itemCodes: [items[0]] }, monitor.key))).toBe('CONFLICT');
    expect(await errorCode(t.call('lifecycle.verifyItems', { formKey: vitals, itemCodes: ['noSuchItem'] }, monitor.key))).toBe('VALIDATION');
    const done = await ok<FormLifecycle>(t.call('lifecycle.verifyItems', { formKey: vitals, itemCodes: items.slice(1) }, monitor.key));
    expect(done.status).toBe('verified');
    expect(done.verifiedItems.map((v) => v.itemCode).sort()).toEqual([...items].sort());
    expect(auditRows('sdv').map((r) => r.item_code).sort()).toEqual([...items].sort());
    expect(auditRows('form.status').at(-1)).toMatchObject({ username: 'monitor', old_value: 'complete', new_value: 'verified' });
    expect(verifyAuditChain(t.backend.services.db).ok).toBe(true);
  });

  it('verifies a whole form only when it is complete and has no unresolved queries (says why otherwise)', async () => {
    const { t, monitor, vitals, state } = await setup();
    const items = (await state()).itemsWithValue;
    const raised = await ok<{ id: number }>(t.call('queries.raise', { ...vitals, itemCode: items[0], text: '请核对原始记录' }, monitor.key));
    const blocked = await t.call('lifecycle.verifyForm', { formKey: vitals }, monitor.key);
    expect(blocked.ok).toBe(false);
    expect(!blocked.ok && blocked.error.code).toBe('CONFLICT');
    expect(!blocked.ok && blocked.error.message.zh).toContain('质疑');
    expect((await state()).verifiedItems).toEqual([]);
    expect((await state()).queriedItems).toEqual([items[0]]);
    // The queried item cannot be verified alone either; the others can.
    const queried = await t.call('lifecycle.verifyItems', { formKey: vitals, itemCodes: [items[0]] }, monitor.key);
    expect(!queried.ok && queried.error.code).toBe('CONFLICT');
    expect(!queried.ok && queried.error.message.zh).toContain('未解决的质疑');
    await ok(t.call('lifecycle.verifyItems', { formKey: vitals, itemCodes: [items[1]] }, monitor.key));
    await ok(t.call('queries.close', { queryId: raised.id, text: '已核对' }, monitor.key));
    const verified = await ok<FormLifecycle>(t.call('lifecycle.verifyForm', { formKey: vitals }, monitor.key));
    expect(verified.status).toBe('verified');
    expect(verified.verifiedItems).toHaveLength(items.length);
    expect(verified.queriedItems).toEqual([]);
    expect(await errorCode(t.call('lifecycle.verifyForm', { formKey: vitals }, monitor.key))).toBe('CONFLICT');
  });

  it('a form whose only change was clearing a verified item can be verified again as a whole', async () => {
    const { t, monitor, vitals, saveVitals, state } = await setup();
    await ok(t.call('lifecycle.verifyForm', { formKey: vitals }, monitor.key));
    const { spo2: _cleared, ...withoutSpo2 } = GOOD_FORMS.VITALS.data;
    expect((await saveVitals(withoutSpo2, '未测血氧')).statusReset).toBe('verified');
    const before = await state();
    expect(before.status).toBe('complete');
    expect(before.itemsWithValue.every((c) => before.verifiedItems.some((v) => v.itemCode === c))).toBe(true);
    expect((await ok<FormLifecycle>(t.call('lifecycle.verifyForm', { formKey: vitals }, monitor.key))).status).toBe('verified');
  });

  it('refuses SDV by any role but the monitor, and of an unsaved or in-progress form', async () => {
    const { t, nurse, doctor, admin, monitor, subjectId, vitals, saveVitals, state } = await setup();
    for (const who of [nurse, doctor, admin]) {
      expect(await errorCode(t.call('lifecycle.verifyForm', { formKey: vitals }, who.key))).toBe('FORBIDDEN');
      expect(await errorCode(t.call('lifecycle.verifyItems', { formKey: vitals, itemCodes: ['heartRate'] }, who.key))).toBe('FORBIDDEN');
    }
    // The service itself re-checks the role (defence in depth behind the contract's access list).
    expect(() => t.backend.services.lifecycle.verifyForm(vitals, doctor.user)).toThrow(/not allowed/);
    expect((await state()).verifiedItems).toEqual([]);
    const lab = { subjectId, visitCode: 'SCR', formCode: 'LAB', repeatKey: 0 } as const;
    expect(await errorCode(t.call('lifecycle.verifyForm', { formKey: lab }, monitor.key))).toBe('NOT_FOUND');
    await saveVitals({ ...GOOD_FORMS.VITALS.data, heartRate: 81 }, '更正');
    await ok(t.call('forms.save', { ...vitals, data: GOOD_FORMS.VITALS.data, reason: '草稿', expectedVersion: (await state()).version, markComplete: false }, nurse.key));
    expect((await state()).status).toBe('in_progress');
    const refused = await t.call('lifecycle.verifyItems', { formKey: vitals, itemCodes: ['heartRate'] }, monitor.key);
    expect(!refused.ok && refused.error.code).toBe('CONFLICT');
    expect(!refused.ok && refused.error.message.zh).toContain('尚未完成');
  });
});

describe('e-signature', () => {
  it('a wrong password answers REAUTH_FAILED, stores nothing and keeps the session; the right one signs with meaning, version and both clocks', async () => {
    const { t, doctor, vitals, state, signatureCount, auditRows } = await setup();
    const args = { scope: 'form', formKey: vitals, password: 'not-my-password', meaning: 'accurate_complete' };
    const wrong = await t.call('lifecycle.sign', args, doctor.key);
    expect(!wrong.ok && wrong.error.code).toBe('REAUTH_FAILED');
    expect(!wrong.ok && wrong.error.message.zh).toContain('密码错误');
    expect(signatureCount()).toBe(0);
    expect(auditRows('signature')).toEqual([]);
    expect((await state()).status).toBe('complete');
    expect(await ok(t.call('auth.me', {}, doctor.key))).toMatchObject({ username: 'doctor' });
    const signed = await ok<{ signedForms: number }>(t.call('lifecycle.sign', { ...args, password: TEST_PASSWORD }, doctor.key));
    expect(signed.signedForms).toBe(1);
    const after = await state();
    expect(after.status).toBe('signed');
    expect(after.signatures).toEqual([
      expect.objectContaining({
        scope: 'form',
        username: 'doctor',
        meaning: SIGNATURE_MEANINGS.accurate_complete,
        formVersion: after.version,
        current: true,
      }),
    ]);
    expect(after.signatures[0]!.signedAtUtc).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);
    expect(after.signatures[0]!.signedAtLocal).toMatch(/\+08:00$/);
    const row = auditRows('signature')[0]!;
    expect(row).toMatchObject({ username: 'doctor', form_code: 'VITALS', new_value: SIGNATURE_MEANINGS.accurate_complete.en });
    expect(JSON.parse(row.details!)).toMatchObject({ scope: 'form', meaningZh: '本人确认本病例报告表中的数据真实、准确、完整' });
    expect(await errorCode(t.call('lifecycle.sign', { ...args, password: TEST_PASSWORD }, doctor.key))).toBe('CONFLICT');
  });

  it('refuses a sign by a non-investigator and of an in-progress form', async () => {
    const { t, nurse, monitor, admin, doctor, vitals, state, signatureCount } = await setup();
    for (const who of [nurse, monitor, admin]) {
      expect(await errorCode(t.call('lifecycle.sign', { scope: 'form', formKey: vitals, password: TEST_PASSWORD, meaning: 'accurate_complete' }, who.key))).toBe('FORBIDDEN');
    }
    await ok(t.call('forms.save', { ...vitals, data: { ...GOOD_FORMS.VITALS.data, heartRate: 80 }, reason: '转录错误', expectedVersion: (await state()).version, markComplete: false }, nurse.key));
    const refused = await t.call('lifecycle.sign', { scope: 'form', formKey: vitals, password: TEST_PASSWORD, meaning: 'accurate_complete' }, doctor.key);
    expect(!refused.ok && refused.error.code).toBe('CONFLICT');
    expect(!refused.ok && refused.error.message.zh).toContain('未完成');
    expect(signatureCount()).toBe(0);
  });

  it('signs a visit only when all its expected forms are entered, and the casebook as one row per form', async () => {
    const { t, doctor, subjectId, state, consent, signatureCount } = await setup();
    const visit = await t.call('lifecycle.sign', { scope: 'visit', subjectId, visitCode: 'SCR', password: TEST_PASSWORD, meaning: 'accurate_complete' }, doctor.key);
    expect(!visit.ok && visit.error.code).toBe('CONFLICT');
    expect(!visit.ok && visit.error.message.en).toContain('not entered');
    const casebook = await ok<{ signedForms: number }>(t.call('lifecycle.sign', { scope: 'casebook', subjectId, password: TEST_PASSWORD, meaning: 'accurate_complete' }, doctor.key));
    expect(casebook.signedForms).toBe(2);
    expect(signatureCount()).toBe(2);
    expect((await state(consent)).signatures[0]).toMatchObject({ scope: 'casebook', current: true });
  });
});

describe('visit signature and the pregnancy test', () => {
  it('signs a man\'s screening visit without a pregnancy test, but not that of a woman of childbearing potential', async () => {
    const { t, nurse, doctor, monitor, subjectId } = await setup();
    const rest = formsForVisit('SCR').map((f) => f.code).filter((c) => !['CONSENT', 'VITALS', 'ELIG', 'PREG', 'DEMOG'].includes(c));
    const enter = async (id: number, demog: Record<string, unknown>) => {
      await ok(t.call('forms.save', { subjectId: id, visitCode: 'SCR', formCode: 'DEMOG', data: demog, expectedVersion: 0 }, nurse.key));
      for (const code of rest) await ok(t.call('forms.save', { subjectId: id, visitCode: 'SCR', formCode: code, data: GOOD_FORMS[code].data, expectedVersion: 0 }, enteredBy(code) === 'investigator' ? doctor.key : nurse.key));
      for (const q of await ok<{ id: number }[]>(t.call('queries.list', { status: 'unresolved', subjectId: id }, monitor.key))) {
        await ok(t.call('queries.close', { queryId: q.id, text: '已核对原始记录' }, monitor.key));
      }
    };
    const signScr = (id: number) => t.call('lifecycle.sign', { scope: 'visit', subjectId: id, visitCode: 'SCR', password: TEST_PASSWORD, meaning: 'accurate_complete' }, doctor.key);

    // the setup's subject: a woman of childbearing potential (the fixture's DEMOG) with no test yet
    await enter(subjectId, GOOD_FORMS.DEMOG.data);
    const refused = await signScr(subjectId);
    expect(!refused.ok && refused.error.message.zh).toBe('该访视还有未录入的表单：妊娠试验');

    const man = (await ok<SubjectSummary>(t.call('subjects.create', {}, nurse.key))).id;
    await ok(t.call('forms.save', { subjectId: man, visitCode: 'SCR', formCode: 'CONSENT', data: GOOD_FORMS.CONSENT.data, expectedVersion: 0 }, nurse.key));
    await ok(t.call('forms.save', { subjectId: man, visitCode: 'SCR', formCode: 'VITALS', data: GOOD_FORMS.VITALS.data, expectedVersion: 0 }, nurse.key));
    await enter(man, { sex: 'M', dateOfBirth: '1990-05-20', ethnicity: 'han' });
    const signed = await ok<{ signedForms: number }>(signScr(man));
    expect(signed.signedForms).toBe(rest.length + 3); // CONSENT, VITALS, DEMOG and the rest; no PREG
  });
});

describe('changes after SDV or signature', () => {
  it('a change resets a signed form to complete, drops SDV of the changed item only, audits it and says so in the save result', async () => {
    const { t, monitor, doctor, vitals, saveVitals, state, auditRows } = await setup();
    await ok(t.call('lifecycle.verifyForm', { formKey: vitals }, monitor.key));
    await ok(t.call('lifecycle.sign', { scope: 'form', formKey: vitals, password: TEST_PASSWORD, meaning: 'accurate_complete' }, doctor.key));
    const verifiedBefore = (await state()).verifiedItems.length;
    const unchanged = await saveVitals(GOOD_FORMS.VITALS.data);
    expect(unchanged.statusReset).toBeNull();
    expect((await state()).status).toBe('signed');
    const changed = await saveVitals({ ...GOOD_FORMS.VITALS.data, heartRate: 91 }, '抄写错误');
    expect(changed).toMatchObject({ status: 'complete', statusReset: 'signed' });
    const after = await state();
    expect(after.status).toBe('complete');
    expect(after.verifiedItems.map((v) => v.itemCode)).not.toContain('heartRate');
    expect(after.verifiedItems).toHaveLength(verifiedBefore - 1);
    expect(after.signatures[0]!.current).toBe(false);
    expect(auditRows('form.status').at(-1)).toMatchObject({ username: 'nurse', old_value: 'signed', new_value: 'complete', reason: 'data changed after signature' });
    // Re-verifying the one changed item brings the form back to verified.
    const again = await ok<FormLifecycle>(t.call('lifecycle.verifyItems', { formKey: vitals, itemCodes: ['heartRate'] }, monitor.key));
    expect(again.status).toBe('verified');
    const reset = await saveVitals({ ...GOOD_FORMS.VITALS.data, heartRate: 92 }, '再次更正');
    expect(reset.statusReset).toBe('verified');
  });

  it('the monitor withdraws a mistaken SDV with a reason: the form is complete again, audited', async () => {
    const { t, nurse, monitor, vitals, state, auditRows } = await setup();
    await ok(t.call('lifecycle.verifyForm', { formKey: vitals }, monitor.key));
    expect(await errorCode(t.call('lifecycle.unverifyItems', { formKey: vitals, itemCodes: ['weightKg'], reason: '误勾选' }, nurse.key))).toBe('FORBIDDEN');
    expect(await errorCode(t.call('lifecycle.unverifyItems', { formKey: vitals, itemCodes: ['weightKg'], reason: ' ' }, monitor.key))).toBe('VALIDATION');
    const after = await ok<FormLifecycle>(t.call('lifecycle.unverifyItems', { formKey: vitals, itemCodes: ['weightKg'], reason: '误勾选' }, monitor.key));
    expect(after.status).toBe('complete');
    expect(after.verifiedItems.map((v) => v.itemCode)).not.toContain('weightKg');
    expect(auditRows('sdv').at(-1)).toMatchObject({ item_code: 'weightKg', old_value: 'verified', new_value: null, reason: '误勾选' });
    expect(auditRows('form.status').at(-1)).toMatchObject({ old_value: 'verified', new_value: 'complete', reason: '误勾选' });
    expect(await errorCode(t.call('lifecycle.unverifyItems', { formKey: vitals, itemCodes: ['weightKg'], reason: '再次' }, monitor.key))).toBe('CONFLICT');
    expect((await state()).verifiedItems.length).toBe(after.itemsWithValue.length - 1);
  });
});

describe('lock and unlock', () => {
  it('a locked form refuses saves with a bilingual message and keeps its data; unlock restores the earlier status', async () => {
    const { t, nurse, admin, doctor, monitor, vitals, state, auditRows } = await setup();
    await ok(t.call('lifecycle.sign', { scope: 'form', formKey: vitals, password: TEST_PASSWORD, meaning: 'accurate_complete' }, doctor.key));
    expect(await errorCode(t.call('lifecycle.lock', { scope: 'form', formKey: vitals, reason: '数据库锁定' }, nurse.key))).toBe('FORBIDDEN');
    expect(await errorCode(t.call('lifecycle.lock', { scope: 'form', formKey: vitals, reason: '  ' }, admin.key))).toBe('VALIDATION');
    await ok(t.call('lifecycle.lock', { scope: 'form', formKey: vitals, reason: '数据库锁定' }, admin.key));
    const locked = await state();
    expect(locked.status).toBe('locked');
    expect(locked.lock).toMatchObject({ username: 'admin2', reason: '数据库锁定' });
    const save = await t.call('forms.save', { ...vitals, data: { ...GOOD_FORMS.VITALS.data, heartRate: 99 }, reason: 'x', expectedVersion: locked.version }, nurse.key);
    expect(!save.ok && save.error.code).toBe('FORBIDDEN');
    expect(!save.ok && save.error.message.zh).toContain('锁定');
    expect(!save.ok && save.error.message.en).toContain('locked');
    expect((await ok<{ data: Record<string, unknown> }>(t.call('forms.get', vitals, nurse.key))).data.heartRate).toBe(GOOD_FORMS.VITALS.data.heartRate);
    expect(await errorCode(t.call('lifecycle.verifyForm', { formKey: vitals }, monitor.key))).toBe('CONFLICT');
    expect(await errorCode(t.call('lifecycle.lock', { scope: 'form', formKey: vitals, reason: '再次' }, admin.key))).toBe('CONFLICT');
    await ok(t.call('lifecycle.unlock', { scope: 'form', formKey: vitals, reason: '更正数据' }, admin.key));
    expect((await state()).status).toBe('signed');
    expect(auditRows('form.status').slice(-2).map((r) => [r.old_value, r.new_value, r.reason])).toEqual([
      ['signed', 'locked', '数据库锁定'],
      ['locked', 'signed', '更正数据'],
    ]);
  });

  it('locks and unlocks a whole casebook', async () => {
    const { t, admin, subjectId, consent, state } = await setup();
    expect((await ok<{ forms: number }>(t.call('lifecycle.lock', { scope: 'casebook', subjectId, reason: '受试者完成研究' }, admin.key))).forms).toBe(2);
    expect((await state(consent)).status).toBe('locked');
    expect((await state()).status).toBe('locked');
    expect((await ok<{ forms: number }>(t.call('lifecycle.unlock', { scope: 'casebook', subjectId, reason: '监查发现问题' }, admin.key))).forms).toBe(2);
    expect((await state()).status).toBe('complete');
  });
});

describe('subject list', () => {
  it('rolls verified, signed and locked forms up into the visit status the subject list shows', async () => {
    const { t, nurse, monitor, doctor, admin, subjectId } = await setup();
    const scr = formsForVisit('SCR').map((f) => f.code).filter((c) => !['CONSENT', 'VITALS', 'ELIG'].includes(c));
    for (const code of scr) {
      await ok(t.call('forms.save', { subjectId, visitCode: 'SCR', formCode: code, data: GOOD_FORMS[code].data, expectedVersion: 0 }, enteredBy(code) === 'investigator' ? doctor.key : nurse.key));
    }
    const scrStatus = async () =>
      decodeVisitStatuses((await ok<SubjectList>(t.call('subjects.list', {}, nurse.key))).rows.find((s) => s.id === subjectId)!.visits).find((v) => v.visitCode === 'SCR')!.status;
    // The fixture's values raise automatic queries (warnings): the monitor closes them, as the queries screen would.
    for (const q of await ok<{ id: number }[]>(t.call('queries.list', { status: 'unresolved', subjectId }, monitor.key))) {
      await ok(t.call('queries.close', { queryId: q.id, text: '已核对原始记录' }, monitor.key));
    }
    expect(await scrStatus()).toBe('complete');
    for (const code of ['CONSENT', 'VITALS', ...scr]) {
      await ok(t.call('lifecycle.verifyForm', { formKey: { subjectId, visitCode: 'SCR', formCode: code, repeatKey: 0 } }, monitor.key));
    }
    expect(await scrStatus()).toBe('verified');
    const signed = await ok<{ signedForms: number }>(t.call('lifecycle.sign', { scope: 'visit', subjectId, visitCode: 'SCR', password: TEST_PASSWORD, meaning: 'accurate_complete' }, doctor.key));
    expect(signed.signedForms).toBe(scr.length + 2);
    expect(await scrStatus()).toBe('signed');
    await ok(t.call('lifecycle.lock', { scope: 'casebook', subjectId, reason: '数据库锁定' }, admin.key));
    expect(await scrStatus()).toBe('locked');
  });
});
