// Tests of data queries on a real SQLite file through the API: automatic raise / no duplicate / auto-close from warnings,
// the manual lifecycle as each role (allowed and FORBIDDEN), CONFLICT on bad transitions, audit rows, the subject list's queried status.
import { afterEach, describe, expect, it } from 'vitest';
import type { DataQuery } from '../../../shared/api/calls/queries';
import type { SubjectList, SubjectSummary } from '../../../shared/api/calls/subjects';
import { decodeVisitStatuses } from '../../../shared/protocol/subjectListCodec';
import { GOOD_FORMS } from '../../../shared/protocol/testing/fixtures';
import { verifyAuditChain } from '../audit/auditTrail';
import { errorCode, ok } from '../testing/apiResults';
import { testBackend, type TestBackend } from '../testing/fixtures';

let tb: TestBackend | null = null;
afterEach(() => {
  tb?.cleanup();
  tb = null;
});

/** A consented subject with screening vitals (for manual queries) and medical history (ACR criteria count as given) saved by the nurse. */
async function setup(acrCriteria = 5) {
  tb = await testBackend();
  const t = tb;
  const nurse = await t.login('data_entry', 'nurse');
  const doctor = await t.login('investigator', 'doctor');
  const monitor = await t.login('monitor', 'monitor');
  const pharmacist = await t.login('pharmacist', 'pharma');
  const admin = await t.login('admin', 'admin2');
  const subject = await ok<SubjectSummary>(t.call('subjects.create', {}, nurse.key));
  const subjectId = subject.id;
  await ok(t.call('forms.save', { subjectId, visitCode: 'SCR', formCode: 'CONSENT', data: GOOD_FORMS.CONSENT.data, expectedVersion: 0 }, nurse.key));
  const vitals = { subjectId, visitCode: 'SCR', formCode: 'VITALS', repeatKey: 0 } as const;
  // Heart rate 120 is outside the normal range (below the critical 130): a flag on the field, never a query.
  const vitalsSaved = await ok<{ warnings: { checkId: string }[] }>(
    t.call('forms.save', { ...vitals, data: { ...GOOD_FORMS.VITALS.data, heartRate: 120 }, expectedVersion: 0 }, nurse.key),
  );
  expect(vitalsSaved.warnings.map((w) => w.checkId)).toEqual(['VITALS.heartRate.normal']);
  const medhx = { subjectId, visitCode: 'SCR', formCode: 'MEDHX', repeatKey: 0 } as const;
  let version = 0;
  const saveMedhx = async (acr: number, reason?: string, extra: Record<string, unknown> = {}) => {
    const out = await ok<{ version: number; warnings: unknown[] }>(
      t.call('forms.save', { ...medhx, data: { ...GOOD_FORMS.MEDHX.data, ...extra, acrCriteriaCount: acr }, expectedVersion: version, ...(reason ? { reason } : {}) }, nurse.key),
    );
    version = out.version;
    return out;
  };
  await saveMedhx(acrCriteria);
  const forForm = () => ok<DataQuery[]>(t.call('queries.forForm', medhx, monitor.key));
  const queryRows = () =>
    t.backend.services.db.prepare("SELECT * FROM audit_log WHERE action = 'query' ORDER BY seq").all() as {
      username: string;
      item_code: string;
      old_value: string | null;
      new_value: string;
      reason: string | null;
      details: string;
    }[];
  return { t, nurse, doctor, monitor, pharmacist, admin, subjectId, vitals, medhx, saveMedhx, forForm, queryRows };
}

describe('automatic queries from warning-level edit checks', () => {
  it('raises one open query per check and item, does not duplicate on re-save, and auto-closes when the value no longer warns', async () => {
    const s = await setup(3);
    let qs = await s.forForm();
    expect(qs).toHaveLength(1);
    expect(qs[0]).toMatchObject({
      origin: 'auto',
      checkId: 'MEDHX.acrCriteriaCount.belowFour',
      itemCode: 'acrCriteriaCount',
      status: 'open',
      screeningNo: expect.stringMatching(/-S001$/),
      itemLabel: { zh: '符合 ACR 分类标准条数（共 11 条）', en: 'ACR classification criteria met (of 11)' },
      formLabel: { en: expect.any(String) },
    });
    expect(qs[0]!.text.zh).toContain('3 条');
    // The heart-rate flag on the vitals raised nothing.
    expect(await ok<DataQuery[]>(s.t.call('queries.forForm', s.vitals, s.monitor.key))).toEqual([]);
    expect(qs[0]!.messages).toEqual([expect.objectContaining({ kind: 'raise', username: null })]);

    // Another warning value on the same item: still the same single open query.
    await s.saveMedhx(2, '复核后更正');
    qs = await s.forForm();
    expect(qs).toHaveLength(1);
    expect(qs[0]!.status).toBe('open');

    // The value is corrected: closed automatically with a system message.
    await s.saveMedhx(5, '复核原始记录后更正');
    qs = await s.forForm();
    expect(qs).toHaveLength(1);
    expect(qs[0]!.status).toBe('closed');
    expect(qs[0]!.messages.map((m) => m.kind)).toEqual(['raise', 'auto_close']);
    expect(qs[0]!.messages[1]!.username).toBeNull();

    // Warning again after the fix: a new query (the old one stays closed).
    await s.saveMedhx(3, '再次核对');
    qs = await s.forForm();
    expect(qs.map((q) => q.status)).toEqual(['closed', 'open']);

    const audit = s.queryRows();
    expect(audit.map((r) => [r.old_value, r.new_value, JSON.parse(r.details).step])).toEqual([
      [null, 'open', 'raise'],
      ['open', 'closed', 'auto_close'],
      [null, 'open', 'raise'],
    ]);
    expect(audit.every((r) => r.username === 'nurse' && r.item_code === 'acrCriteriaCount')).toBe(true);
    expect(verifyAuditChain(s.t.backend.services.db).ok).toBe(true);
  });

  it('a query the monitor closed is not raised again while the value stays the same, but is when the value changes', async () => {
    const s = await setup(3);
    const [q] = await s.forForm();
    await ok(s.t.call('queries.close', { queryId: q!.id, text: '原始病历确认，确为 3 条' }, s.monitor.key));
    // Re-save with a change elsewhere: ACR count unchanged, still warns, but the monitor accepted it.
    await s.saveMedhx(3, '更正确诊日期', { sleDiagnosisDate: '2023-06-02' });
    expect((await s.forForm()).map((x) => x.status)).toEqual(['closed']);
    await s.saveMedhx(2, '更正', { sleDiagnosisDate: '2023-06-02' });
    expect((await s.forForm()).map((x) => x.status)).toEqual(['closed', 'open']);
  });

  it('re-opening a closed automatic query while a newer one is unresolved is a CONFLICT', async () => {
    const s = await setup(3);
    await s.saveMedhx(5, '更正');
    await s.saveMedhx(3, '再次核对');
    const [old] = await s.forForm();
    expect(await errorCode(s.t.call('queries.reopen', { queryId: old!.id, text: '请再核实' }, s.monitor.key))).toBe('CONFLICT');
  });
});

describe('manual queries', () => {
  it('monitor raises, nurse answers, monitor re-opens, investigator answers, monitor closes: each step a message and an audit row', async () => {
    const s = await setup();
    const { t } = s;
    const raised = await ok<DataQuery>(t.call('queries.raise', { ...s.vitals, itemCode: 'weightKg', text: '体重与原始病历不一致，请核实' }, s.monitor.key));
    expect(raised).toMatchObject({ origin: 'manual', checkId: null, status: 'open', itemCode: 'weightKg', text: { zh: '体重与原始病历不一致，请核实' } });
    const answered = await ok<DataQuery>(t.call('queries.answer', { queryId: raised.id, text: '已核对，原始记录为 55 kg' }, s.nurse.key));
    expect(answered.status).toBe('answered');
    const reopened = await ok<DataQuery>(t.call('queries.reopen', { queryId: raised.id, text: '请附称重记录' }, s.monitor.key));
    expect(reopened.status).toBe('open');
    await ok(t.call('queries.answer', { queryId: raised.id, text: '称重记录已附' }, s.doctor.key));
    const closed = await ok<DataQuery>(t.call('queries.close', { queryId: raised.id }, s.monitor.key));
    expect(closed.status).toBe('closed');
    expect(closed.messages.map((m) => [m.kind, m.username])).toEqual([
      ['raise', 'monitor'],
      ['answer', 'nurse'],
      ['reopen', 'monitor'],
      ['answer', 'doctor'],
      ['close', 'monitor'],
    ]);
    const closedAgain = await ok<DataQuery>(t.call('queries.reopen', { queryId: raised.id, text: '监查复核发现新问题' }, s.monitor.key));
    expect(closedAgain.status).toBe('open');
    const audit = s.queryRows();
    expect(audit.map((r) => [r.username, r.old_value, r.new_value])).toEqual([
      ['monitor', null, 'open'],
      ['nurse', 'open', 'answered'],
      ['monitor', 'answered', 'open'],
      ['doctor', 'open', 'answered'],
      ['monitor', 'answered', 'closed'],
      ['monitor', 'closed', 'open'],
    ]);
    expect(audit[1]!.reason).toBe('已核对，原始记录为 55 kg');
    expect(verifyAuditChain(t.backend.services.db).ok).toBe(true);
  });

  it('wrong roles are FORBIDDEN and change nothing', async () => {
    const s = await setup();
    const { t } = s;
    const raise = { ...s.vitals, itemCode: 'weightKg', text: '请核实' };
    for (const who of [s.nurse, s.doctor, s.pharmacist, s.admin]) expect(await errorCode(t.call('queries.raise', raise, who.key))).toBe('FORBIDDEN');
    const q = await ok<DataQuery>(t.call('queries.raise', raise, s.monitor.key));
    for (const who of [s.monitor, s.pharmacist, s.admin]) expect(await errorCode(t.call('queries.answer', { queryId: q.id, text: '答复' }, who.key))).toBe('FORBIDDEN');
    for (const who of [s.nurse, s.doctor, s.pharmacist, s.admin]) {
      expect(await errorCode(t.call('queries.close', { queryId: q.id }, who.key))).toBe('FORBIDDEN');
      expect(await errorCode(t.call('queries.reopen', { queryId: q.id, text: '再看' }, who.key))).toBe('FORBIDDEN');
    }
    // The service re-checks the role even when called directly.
    expect(() => t.backend.services.queries.answer(q.id, 'x', s.monitor.user)).toThrow(/not allowed/);
    const [after] = await ok<DataQuery[]>(t.call('queries.forForm', s.vitals, s.monitor.key));
    expect(after!.status).toBe('open');
    expect(after!.messages).toHaveLength(1);
    // Every logged-in role may read.
    for (const who of [s.nurse, s.doctor, s.pharmacist, s.admin]) expect(await ok<DataQuery[]>(t.call('queries.list', {}, who.key))).toHaveLength(1);
  });

  it('bad transitions are a bilingual CONFLICT; unknown query NOT_FOUND; empty texts rejected', async () => {
    const s = await setup();
    const { t } = s;
    const q = await ok<DataQuery>(t.call('queries.raise', { ...s.vitals, itemCode: 'weightKg', text: '请核实' }, s.monitor.key));
    expect(await errorCode(t.call('queries.reopen', { queryId: q.id, text: '再看' }, s.monitor.key))).toBe('CONFLICT'); // open → reopen
    await ok(t.call('queries.close', { queryId: q.id, text: '已确认' }, s.monitor.key));
    const r = await t.call('queries.answer', { queryId: q.id, text: '答复' }, s.nurse.key);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatchObject({ code: 'CONFLICT', message: { zh: expect.stringContaining('已关闭'), en: expect.stringContaining('closed') } });
    expect(await errorCode(t.call('queries.close', { queryId: q.id }, s.monitor.key))).toBe('CONFLICT');
    expect(await errorCode(t.call('queries.answer', { queryId: 9999, text: '答复' }, s.nurse.key))).toBe('NOT_FOUND');
    expect(await errorCode(t.call('queries.reopen', { queryId: q.id, text: '   ' }, s.monitor.key))).toBe('VALIDATION');
    expect(await errorCode(t.call('queries.raise', { ...s.vitals, itemCode: 'weightKg', text: '' }, s.monitor.key))).toBe('VALIDATION');
    expect(s.queryRows()).toHaveLength(2);
  });

  it('refuses a query on the allocation, on an unknown item and on a form not saved yet', async () => {
    const s = await setup();
    const { t, subjectId } = s;
    const rand = { subjectId, visitCode: 'D0', formCode: 'RAND', repeatKey: 0 };
    const r = await t.call('queries.raise', { ...rand, itemCode: 'allocation', text: '请核实分组' }, s.monitor.key);
    expect(!r.ok && r.error.code).toBe('FORBIDDEN');
    expect(!r.ok && r.error.message.en).toMatch(/allocation/);
    expect(await errorCode(t.call('queries.raise', { ...s.vitals, itemCode: 'nonsense', text: '请核实' }, s.monitor.key))).toBe('BAD_REQUEST');
    expect(await errorCode(t.call('queries.raise', { ...rand, itemCode: 'randNo', text: '请核实' }, s.monitor.key))).toBe('NOT_FOUND');
    expect(t.backend.services.db.prepare('SELECT COUNT(*) FROM queries').pluck().get()).toBe(0);
  });
});

describe('lists, counts and the subject list', () => {
  it('queries.list filters by status and subject; counts; subjects.list shows the visit as queried while a query is unresolved', async () => {
    const s = await setup(3);
    const { t } = s;
    const other = await ok<SubjectSummary>(t.call('subjects.create', {}, s.nurse.key));
    const scrStatus = async (id: number) =>
      decodeVisitStatuses((await ok<SubjectList>(t.call('subjects.list', {}, s.monitor.key))).rows.find((x) => x.id === id)!.visits).find((v) => v.visitCode === 'SCR')!.status;
    expect(await scrStatus(s.subjectId)).toBe('queried');
    expect(await scrStatus(other.id)).toBe('not_started');
    const manual = await ok<DataQuery>(t.call('queries.raise', { ...s.vitals, itemCode: 'weightKg', text: '请核实体重' }, s.monitor.key));
    await ok(t.call('queries.answer', { queryId: manual.id, text: '已核实' }, s.nurse.key));
    expect(await ok(t.call('queries.counts', {}, s.nurse.key))).toEqual({ open: 1, answered: 1 });
    expect((await ok<DataQuery[]>(t.call('queries.list', { status: 'answered' }, s.monitor.key))).map((q) => q.id)).toEqual([manual.id]);
    expect(await ok<DataQuery[]>(t.call('queries.list', { status: 'unresolved' }, s.monitor.key))).toHaveLength(2);
    expect(await ok<DataQuery[]>(t.call('queries.list', { subjectId: other.id }, s.monitor.key))).toHaveLength(0);
    // Still queried while the answered query waits for the monitor; after both are resolved it is not.
    expect(await scrStatus(s.subjectId)).toBe('queried');
    await ok(t.call('queries.close', { queryId: manual.id }, s.monitor.key));
    await s.saveMedhx(5, '更正');
    expect(await ok(t.call('queries.counts', {}, s.nurse.key))).toEqual({ open: 0, answered: 0 });
    expect(await scrStatus(s.subjectId)).not.toBe('queried');
    expect(await ok<DataQuery[]>(t.call('queries.list', { status: 'closed' }, s.monitor.key))).toHaveLength(2);
  });
});
