// Form saves against a real SQLite file: consent gate, validation by the shared rules, item-level audit,
// reason for change, optimistic versions, drafts, and bad input that changes nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../audit/auditTrail';
import { testBackend, type TestBackend } from '../testing/fixtures';

let t: TestBackend;
afterEach(() => t?.cleanup());

const consent = { consentDate: '2026-03-02', consentVersion: 'V2.0', signedBy: 'patient', copyGiven: true };
const vitals = { assessmentDate: '2026-03-02', heightCm: 160, weightKg: 55, temperatureC: 36.6, heartRate: 78, systolicBp: 122, diastolicBp: 78 };
const key = (subjectId: number, formCode: string, visitCode = 'SCR', repeatKey = 0) => ({ subjectId, visitCode, formCode, repeatKey });

async function subjectWithConsent() {
  t = await testBackend();
  const { key: nurse } = await t.login('data_entry', 'nurse');
  const created = await t.call('subjects.create', {}, nurse);
  if (!created.ok) throw new Error('create failed');
  const subjectId = (created.value as { id: number }).id;
  const saved = await t.call('forms.save', { ...key(subjectId, 'CONSENT'), data: consent, expectedVersion: 0 }, nurse);
  expect(saved).toMatchObject({ ok: true, value: { version: 1, status: 'complete' } });
  return { nurse, subjectId };
}

function tableCounts() {
  const db = t.backend.services.db;
  return {
    forms: db.prepare('SELECT COUNT(*) FROM form_instances').pluck().get(),
    items: db.prepare('SELECT COUNT(*) FROM item_values').pluck().get(),
    audit: db.prepare('SELECT COUNT(*) FROM audit_log').pluck().get(),
  };
}

describe('forms.save', () => {
  it('refuses any form before consent, in Chinese and English', async () => {
    t = await testBackend();
    const { key: nurse } = await t.login('data_entry');
    const created = await t.call('subjects.create', {}, nurse);
    const subjectId = (created as { value: { id: number } }).value.id;
    const result = await t.call('forms.save', { ...key(subjectId, 'VITALS'), data: { assessmentDate: '2026-03-02', weightKg: 55 }, expectedVersion: 0 }, nurse);
    expect(result).toMatchObject({ ok: false, error: { code: 'CONSENT_REQUIRED', message: { zh: expect.stringContaining('知情同意') } } });
  });

  it('forms.get names who saved last by display name and user name', async () => {
    const { nurse, subjectId } = await subjectWithConsent();
    t.backend.services.db.prepare("UPDATE users SET display_name = '李护士' WHERE username = 'nurse'").run();
    const got = await t.call('forms.get', key(subjectId, 'CONSENT'), nurse);
    expect(got).toMatchObject({ ok: true, value: { exists: true, version: 1, updatedBy: '李护士 (nurse)' } });
    const none = await t.call('forms.get', key(subjectId, 'VITALS'), nurse);
    expect(none).toMatchObject({ ok: true, value: { exists: false, updatedBy: null } });
  });

  it('writes one audit row per item with user, both clocks and the value, chained', async () => {
    const { subjectId } = await subjectWithConsent();
    const rows = t.backend.services.db
      .prepare("SELECT * FROM audit_log WHERE form_code = 'CONSENT' AND action = 'item.create' ORDER BY item_code")
      .all() as { item_code: string; new_value: string; username: string; at_utc: string; at_local: string; subject_id: number }[];
    expect(rows.map((r) => r.item_code)).toEqual(['consentDate', 'consentVersion', 'copyGiven', 'signedBy']);
    expect(rows[0]).toMatchObject({ new_value: '"2026-03-02"', username: 'nurse', subject_id: subjectId });
    expect(rows[0]!.at_local).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+08:00$/);
    expect(verifyAuditChain(t.backend.services.db).ok).toBe(true);
  });

  it('rejects an out-of-range lab value with a message naming the field and range, and keeps what was saved', async () => {
    const { nurse, subjectId } = await subjectWithConsent();
    const good = { collectionDate: '2026-03-02', creatinine: 88, wbc: 5.2, urineRbc: 12, urineProtein24h: 2.4 };
    expect(await t.call('forms.save', { ...key(subjectId, 'LAB'), data: good, expectedVersion: 0 }, nurse)).toMatchObject({ ok: true });
    const before = tableCounts();
    const bad = await t.call('forms.save', { ...key(subjectId, 'LAB'), data: { ...good, creatinine: 5000 }, expectedVersion: 1, reason: 'typo' }, nurse);
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('VALIDATION');
      const issue = bad.error.issues?.find((i) => i.fieldId === 'creatinine' && i.severity === 'error');
      expect(issue?.message.zh).toContain('5000');
      expect(issue?.message.zh).toContain('3000');
      expect(issue?.message.en).toMatch(/creatinine/i);
    }
    expect(tableCounts()).toEqual(before);
    const stored = await t.call('forms.get', key(subjectId, 'LAB'), nurse);
    expect(stored).toMatchObject({ ok: true, value: { version: 1, data: { creatinine: 88 } } });
  });

  it('requires a reason for change after the first save and audits old and new values with it', async () => {
    const { nurse, subjectId } = await subjectWithConsent();
    const data = { ...vitals };
    await t.call('forms.save', { ...key(subjectId, 'VITALS'), data, expectedVersion: 0 }, nurse);
    const noReason = await t.call('forms.save', { ...key(subjectId, 'VITALS'), data: { ...data, weightKg: 56 }, expectedVersion: 1 }, nurse);
    expect(noReason).toMatchObject({ ok: false, error: { code: 'REASON_REQUIRED' } });
    const withReason = await t.call(
      'forms.save',
      { ...key(subjectId, 'VITALS'), data: { ...data, weightKg: 56 }, expectedVersion: 1, reason: '抄录错误' },
      nurse,
    );
    expect(withReason).toMatchObject({ ok: true, value: { version: 2, changedItems: 1 } });
    const row = t.backend.services.db
      .prepare("SELECT old_value, new_value, reason, action FROM audit_log WHERE item_code = 'weightKg' AND action = 'item.update'")
      .get();
    expect(row).toEqual({ old_value: '55', new_value: '56', reason: '抄录错误', action: 'item.update' });
  });

  it('refuses a save against an old version (another user changed the form)', async () => {
    const { nurse, subjectId } = await subjectWithConsent();
    const data = { ...vitals };
    await t.call('forms.save', { ...key(subjectId, 'VITALS'), data, expectedVersion: 0 }, nurse);
    await t.call('forms.save', { ...key(subjectId, 'VITALS'), data: { ...data, weightKg: 57 }, expectedVersion: 1, reason: 'r' }, nurse);
    const stale = await t.call('forms.save', { ...key(subjectId, 'VITALS'), data: { ...data, weightKg: 58 }, expectedVersion: 1, reason: 'r' }, nurse);
    expect(stale).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('keeps drafts per user until the form is saved', async () => {
    const { nurse, subjectId } = await subjectWithConsent();
    await t.call('drafts.save', { ...key(subjectId, 'VITALS'), data: { weightKg: '5' } }, nurse);
    expect(await t.call('forms.get', key(subjectId, 'VITALS'), nurse)).toMatchObject({ ok: true, value: { exists: false, draft: { data: { weightKg: '5' } } } });
    await t.call('forms.save', { ...key(subjectId, 'VITALS'), data: { ...vitals }, expectedVersion: 0 }, nurse);
    expect(await t.call('forms.get', key(subjectId, 'VITALS'), nurse)).toMatchObject({ ok: true, value: { exists: true, draft: null } });
  });

  it('answers wrong types with a typed error and changes nothing', async () => {
    const { nurse, subjectId } = await subjectWithConsent();
    const before = tableCounts();
    for (const data of [{ creatinine: { $gt: 1 } }, 'not an object', null, [1, 2]]) {
      const result = await t.call('forms.save', { ...key(subjectId, 'LAB'), data, expectedVersion: 0 }, nurse);
      expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
    expect(tableCounts()).toEqual(before);
  });
});
