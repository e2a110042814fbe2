// One table of valid arguments for every API call that takes any, over a small fixture it makes (a target user, a
// consented subject with a saved VITALS form and an open query): shared by the role × call permission proof and the
// blinding sweep so both exercise each call the same way.
import type { Role } from '../../../shared/api/calls/common';
import { GOOD_FORMS } from '../../../shared/protocol/testing/fixtures';
import { ok } from './apiResults';
import { TEST_PASSWORD, type TestBackend } from './fixtures';

/** The form the table's form-level calls point at: the fixture subject's screening VITALS. */
export interface FixtureForm {
  subjectId: number;
  visitCode: 'SCR';
  formCode: 'VITALS';
  repeatKey: 0;
}

export interface CallArgsFixture {
  subjectId: number;
  form: FixtureForm;
  queryId: number;
  targetUserId: number;
  /** Where exports and backups go. */
  dir: string;
}

/**
 * Makes the fixture through the API: a data_entry user `<prefix>.target` (for the user-admin calls), a subject with
 * CONSENT and VITALS saved by `keys.data_entry`, and a query raised on its heart rate by `keys.monitor`.
 */
export async function makeCallArgsFixture(tb: TestBackend, keys: Pick<Record<Role, string>, 'admin' | 'data_entry' | 'monitor'>, prefix: string): Promise<CallArgsFixture> {
  const target = await ok<{ id: number }>(tb.call('users.create', { username: `${prefix}.target`, displayName: 'Target', password: TEST_PASSWORD, role: 'data_entry' }, keys.admin));
  const subject = await ok<{ id: number }>(tb.call('subjects.create', {}, keys.data_entry));
  const form: FixtureForm = { subjectId: subject.id, visitCode: 'SCR', formCode: 'VITALS', repeatKey: 0 };
  await ok(tb.call('forms.save', { ...form, formCode: 'CONSENT', data: GOOD_FORMS.CONSENT.data, expectedVersion: 0 }, keys.data_entry));
  await ok(tb.call('forms.save', { ...form, data: GOOD_FORMS.VITALS.data, expectedVersion: 0 }, keys.data_entry));
  const query = await ok<{ id: number }>(tb.call('queries.raise', { ...form, itemCode: 'heartRate', text: '请核对' }, keys.monitor));
  return { subjectId: subject.id, form, queryId: query.id, targetUserId: target.id, dir: tb.dir };
}

/**
 * Valid arguments per call (schema-valid; some are meant to fail inside the call without changing anything: a wrong
 * password for changeOwnPassword, sign and emergency unblinding, a login of nobody, a second setupAdmin). A call
 * without a row takes `{}`.
 */
export function validCallArgs(f: CallArgsFixture): (name: string) => unknown {
  const form = f.form;
  const valid: Record<string, unknown> = {
    'auth.setupAdmin': { username: 'another.admin', displayName: 'X', password: TEST_PASSWORD },
    'auth.login': { username: 'nobody', password: 'wrong-password' },
    'subjects.get': { subjectId: f.subjectId },
    'subjects.list': {},
    'print.casebook': { subjectId: f.subjectId },
    // The subject has saved forms: voiding it is refused (CONFLICT) for every role that may try, and nothing changes.
    'subjects.changeStatus': { subjectId: f.subjectId, to: 'created_in_error', date: '2026-01-01', reason: 'created_in_error', note: '误建' },
    'forms.get': form,
    'forms.save': { ...form, data: { ...GOOD_FORMS.VITALS.data, heartRate: 80 }, reason: '更正', expectedVersion: 1 },
    'drafts.save': { ...form, data: GOOD_FORMS.VITALS.data },
    'drafts.discard': form,
    'clinical.casebook': { subjectId: f.subjectId },
    'export.installSponsorKey': { armoredKey: 'not a key' },
    'export.create': { scope: 'full', outDir: f.dir },
    'queries.list': {},
    'safety.saes': {},
    'queries.forForm': form,
    'queries.raise': { ...form, itemCode: 'weightKg', text: '请核对体重' },
    'queries.answer': { queryId: f.queryId, text: '已核对' },
    'queries.close': { queryId: f.queryId },
    'queries.reopen': { queryId: f.queryId, text: '仍需核对' },
    'audit.forForm': form,
    'users.create': { username: 'perm.new', displayName: 'New', password: TEST_PASSWORD, role: 'monitor' },
    'users.update': { userId: f.targetUserId, displayName: 'Target 2' },
    'users.deactivate': { userId: f.targetUserId },
    'users.reactivate': { userId: f.targetUserId },
    'users.unlock': { userId: f.targetUserId },
    'users.resetPassword': { userId: f.targetUserId, newPassword: 'another-password-1' },
    // A wrong current password: REAUTH_FAILED for every role, and nobody's password changes.
    'users.changeOwnPassword': { oldPassword: 'not-my-password', newPassword: 'another-password-1' },
    'lifecycle.forForm': form,
    'lifecycle.verifyItems': { formKey: form, itemCodes: ['weightKg'] },
    'lifecycle.verifyForm': { formKey: form },
    'lifecycle.unverifyItems': { formKey: form, itemCodes: ['weightKg'], reason: '误勾选' },
    'lifecycle.sign': { scope: 'form', formKey: form, password: 'not-my-password', meaning: 'accurate_complete' },
    'lifecycle.lock': { scope: 'form', formKey: form, reason: '测试锁定' },
    'lifecycle.unlock': { scope: 'form', formKey: form, reason: '测试解锁' },
    'randomisation.generateList': { seed: 'perm-seed-1', size: 20, password: 'not-my-password' },
    'randomisation.importList': { csv: 'rand_no,kit_no\n', password: TEST_PASSWORD },
    'randomisation.allocations': { password: 'not-my-password' },
    'randomisation.grantAccess': { password: 'not-my-password', granteeUsername: 'nobody', granteePassword: 'not-their-password' },
    'randomisation.randomise': { subjectId: f.subjectId, password: 'not-my-password', confirmIrreversible: true },
    'unblinding.emergency': { subjectId: f.subjectId, password: 'not-my-password', reason: '严重不良事件需要揭盲' },
    'backup.setFolder': { folder: f.dir, intervalHours: 24 },
  };
  return (name) => valid[name] ?? {};
}
