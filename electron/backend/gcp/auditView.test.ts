// Tests of audit.forForm on a real SQLite file: item history with bilingual labels and both time zones, per-item filter,
// and allocation rows withheld from every blinded role but shown to the unblinded pharmacist.
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditViewRow } from '../../../shared/api/calls/audit';
import type { Role } from '../../../shared/api/calls/common';
import type { SubjectSummary } from '../../../shared/api/calls/subjects';
import { GOOD_FORMS } from '../../../shared/protocol/testing/fixtures';
import { ok } from '../testing/apiResults';
import { testBackend, type TestBackend } from '../testing/fixtures';

let tb: TestBackend | null = null;
afterEach(() => {
  tb?.cleanup();
  tb = null;
});

type View = { rows: AuditViewRow[]; withheld: number };

async function setup() {
  tb = await testBackend();
  const t = tb;
  const keys = {} as Record<Role, string>;
  for (const role of ['admin', 'data_entry', 'investigator', 'monitor', 'pharmacist'] as Role[]) keys[role] = (await t.login(role, role === 'data_entry' ? 'nurse' : role)).key;
  const subject = await ok<SubjectSummary>(t.call('subjects.create', {}, keys.data_entry));
  const subjectId = subject.id;
  await ok(t.call('forms.save', { subjectId, visitCode: 'SCR', formCode: 'CONSENT', data: GOOD_FORMS.CONSENT.data, expectedVersion: 0 }, keys.data_entry));
  const vitals = { subjectId, visitCode: 'SCR', formCode: 'VITALS', repeatKey: 0 } as const;
  await ok(t.call('forms.save', { ...vitals, data: GOOD_FORMS.VITALS.data, expectedVersion: 0 }, keys.data_entry));
  await ok(t.call('forms.save', { ...vitals, data: { ...GOOD_FORMS.VITALS.data, weightKg: 56.5 }, expectedVersion: 1, reason: '原始病历核对后更正' }, keys.data_entry));
  return { t, keys, subjectId, vitals };
}

describe('audit.forForm', () => {
  it('returns the form history newest first: UTC and Shanghai time, user, action, item label, old → new, reason', async () => {
    const { t, keys, vitals } = await setup();
    const view = await ok<View>(t.call('audit.forForm', vitals, keys.monitor));
    expect(view.withheld).toBe(0);
    const [newest] = view.rows;
    expect(newest).toMatchObject({
      username: 'nurse',
      action: 'item.update',
      itemCode: 'weightKg',
      itemLabel: { zh: '体重', en: expect.stringMatching(/weight/i) },
      oldValue: '55',
      newValue: '56.5',
      reason: '原始病历核对后更正',
      reasonBySystem: false,
    });
    expect(newest!.atUtc).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(newest!.atLocal).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+08:00$/);
    const utcHour = Number(newest!.atUtc.slice(11, 13));
    expect(Number(newest!.atLocal.slice(11, 13))).toBe((utcHour + 8) % 24);
    const seqs = view.rows.map((r) => r.seq);
    expect([...seqs].sort((a, b) => b - a)).toEqual(seqs);
    // Every item created on the first save, and the form status row (no item).
    const created = view.rows.filter((r) => r.action === 'item.create').map((r) => r.itemCode);
    expect(created.sort()).toEqual(Object.keys(GOOD_FORMS.VITALS.data).sort());
    expect(view.rows.some((r) => r.action === 'form.status' && r.itemCode === null && r.itemLabel === null)).toBe(true);
    // Only this form: nothing from CONSENT.
    expect(view.rows.some((r) => r.itemCode === 'consentDate')).toBe(false);
  });

  it('filters to one item, including query steps on it; any logged-in role may read; unknown subject is NOT_FOUND', async () => {
    const { t, keys, vitals } = await setup();
    const q = await ok<{ id: number }>(t.call('queries.raise', { ...vitals, itemCode: 'weightKg', text: '请核实体重' }, keys.monitor));
    await ok(t.call('queries.answer', { queryId: q.id, text: '已核实' }, keys.data_entry));
    for (const role of ['admin', 'data_entry', 'investigator', 'monitor', 'pharmacist'] as Role[]) {
      const view = await ok<View>(t.call('audit.forForm', { ...vitals, itemCode: 'weightKg' }, keys[role]));
      expect(view.rows.map((r) => [r.action, r.oldValue, r.newValue, r.query])).toEqual([
        ['query', 'open', 'answered', { step: 'answer', system: false }],
        ['query', null, 'open', { step: 'raise', system: false }],
        ['item.update', '55', '56.5', null],
        ['item.create', null, '55', null],
      ]);
    }
    // A query-raising warning (fewer than 4 ACR criteria): the query rows are marked as taken by the system on the nurse's save.
    const medhx = { ...vitals, formCode: 'MEDHX' } as const;
    await ok(t.call('forms.save', { ...medhx, data: { ...GOOD_FORMS.MEDHX.data, acrCriteriaCount: 3 }, expectedVersion: 0 }, keys.data_entry));
    await ok(t.call('forms.save', { ...medhx, data: { ...GOOD_FORMS.MEDHX.data, acrCriteriaCount: 5 }, expectedVersion: 1, reason: '核对原始病历' }, keys.data_entry));
    const acr = await ok<View>(t.call('audit.forForm', { ...medhx, itemCode: 'acrCriteriaCount' }, keys.monitor));
    expect(acr.rows.filter((r) => r.action === 'query').map((r) => [r.username, r.query, r.reasonBySystem])).toEqual([
      ['nurse', { step: 'auto_close', system: true }, true],
      ['nurse', { step: 'raise', system: true }, true],
    ]);
    // The system's reason is written in both languages, the reader's half shown by the audit view.
    expect(acr.rows[0]!.reason).toMatch(/[\u4e00-\u9fff].* \/ [A-Za-z]/);
    const r = await t.call('audit.forForm', { ...vitals, subjectId: 999 }, keys.monitor);
    expect(!r.ok && r.error.code).toBe('NOT_FOUND');
    const anon = await t.call('audit.forForm', vitals, 'test:nobody');
    expect(!anon.ok && anon.error.code).toBe('UNAUTHENTICATED');
  });

  it('withholds allocation item rows and the values of unblinding rows from every blinded role', async () => {
    const { t, keys, subjectId } = await setup();
    const rand = { subjectId, visitCode: 'D0', formCode: 'RAND', repeatKey: 0 } as const;
    const base = { userId: null, username: 'pharmacist', subjectId, screeningNo: 'X', visitCode: 'D0', formCode: 'RAND', repeatKey: 0 };
    t.tampered(); // audit rows written without the form they describe
    t.backend.services.audit.append([
      { ...base, action: 'item.create', itemCode: 'randNo', newValue: '"R001"' },
      { ...base, action: 'item.create', itemCode: 'allocation', newValue: '"MSC"' },
      { ...base, action: 'randomisation', itemCode: 'randNo', newValue: 'R001', details: { kitNo: 'K0007' } },
      { ...base, visitCode: 'LOG', formCode: 'UNBLIND', action: 'unblinding', newValue: 'MSC', reason: '严重不良事件需知分组' },
      { ...base, action: 'sdv', itemCode: 'allocation', newValue: '"MSC"' },
    ]);
    for (const role of ['admin', 'data_entry', 'investigator', 'monitor'] as Role[]) {
      const view = await ok<View>(t.call('audit.forForm', rand, keys[role]));
      expect(JSON.stringify(view)).not.toContain('MSC');
      expect(view.withheld).toBe(2);
      expect(view.rows.map((r) => [r.action, r.itemCode, r.newValue])).toEqual([
        ['randomisation', 'randNo', 'R001'],
        ['item.create', 'randNo', '"R001"'],
      ]);
      const unblind = await ok<View>(t.call('audit.forForm', { subjectId, visitCode: 'LOG', formCode: 'UNBLIND', repeatKey: 0 }, keys[role]));
      expect(unblind.rows).toEqual([expect.objectContaining({ action: 'unblinding', newValue: null, reason: '严重不良事件需知分组' })]);
      const item = await ok<View>(t.call('audit.forForm', { ...rand, itemCode: 'allocation' }, keys[role]));
      expect(item).toEqual({ rows: [], withheld: 2 });
    }
    const pharmacistUnblind = await ok<View>(t.call('audit.forForm', { subjectId, visitCode: 'LOG', formCode: 'UNBLIND', repeatKey: 0 }, keys.pharmacist));
    expect(pharmacistUnblind.rows[0]!.newValue).toBe('MSC');
    const unblinded = await ok<View>(t.call('audit.forForm', rand, keys.pharmacist));
    expect(unblinded.withheld).toBe(0);
    expect(unblinded.rows.map((r) => [r.action, r.itemCode, r.newValue])).toEqual([
      ['sdv', 'allocation', '"MSC"'],
      ['randomisation', 'randNo', 'R001'],
      ['item.create', 'allocation', '"MSC"'],
      ['item.create', 'randNo', '"R001"'],
    ]);
    expect(unblinded.rows[2]!.itemLabel).toEqual({ zh: '分组', en: 'Allocation' });
  });
});
