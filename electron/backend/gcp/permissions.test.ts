// The role × call permission proof: for EVERY call in the contract, the roles allowed by the study's rules (a table written
// here by hand from the protocol and the GCP issue, not read back from the contract) are checked through the dispatcher
// with valid arguments: an allowed role never meets "your role is not allowed", every other role always does, and
// without a login every non-public call answers UNAUTHENTICATED. A new call without a row here fails the test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role, User } from '../../../shared/api/calls/common';
import { CALL_NAMES } from '../../../shared/api/contract';
import type { ApiResult } from '../../../shared/api/result';
import { GOOD_FORMS } from '../../../shared/protocol/testing/fixtures';
import { ok } from '../testing/apiResults';
import { TEST_PASSWORD, testBackend, type TestBackend } from '../testing/fixtures';

const ALL: readonly Role[] = ['admin', 'data_entry', 'investigator', 'monitor', 'pharmacist'];
/** Ward staff who enter data: nurses (data_entry), investigators, and the admin for corrections. */
const SITE_WRITERS: readonly Role[] = ['data_entry', 'investigator', 'admin'];
/** Exports are made by the monitor (for the sponsor) and the admin. */
const EXPORTERS: readonly Role[] = ['admin', 'monitor'];

/** Who may call what. 'public' = no login (first run, login, app facts). */
const EXPECTED: Record<string, 'public' | readonly Role[]> = {
  'app.info': 'public',
  'auth.setupAdmin': 'public',
  'auth.login': 'public',
  'auth.logout': 'public',
  'auth.me': 'public',
  // Every logged-in role reads the casebook (blinded fields are stripped elsewhere).
  'subjects.list': ALL,
  'subjects.get': ALL,
  'forms.get': ALL,
  'clinical.casebook': ALL,
  'drafts.discard': ALL,
  'subjects.create': SITE_WRITERS,
  'forms.save': SITE_WRITERS,
  'drafts.save': SITE_WRITERS,
  'export.status': EXPORTERS,
  'export.sitePublicKey': EXPORTERS,
  'export.create': EXPORTERS,
  'export.progress': EXPORTERS,
  'export.installSponsorKey': ['admin'],
  // Queries: the monitor raises, closes and re-opens; site staff answer; everyone reads.
  'queries.list': ALL,
  'queries.counts': ALL,
  'queries.forForm': ALL,
  'queries.raise': ['monitor'],
  'queries.answer': ['data_entry', 'investigator'],
  'queries.close': ['monitor'],
  'queries.reopen': ['monitor'],
  'audit.forForm': ALL,
  // User administration: the admin only; anyone changes their own password.
  'users.list': ['admin'],
  'users.create': ['admin'],
  'users.update': ['admin'],
  'users.deactivate': ['admin'],
  'users.reactivate': ['admin'],
  'users.unlock': ['admin'],
  'users.resetPassword': ['admin'],
  'users.changeOwnPassword': ALL,
  // Lifecycle: SDV by the monitor, signature by the investigator, lock by the admin.
  'lifecycle.forForm': ALL,
  'lifecycle.verifyItems': ['monitor'],
  'lifecycle.verifyForm': ['monitor'],
  'lifecycle.unverifyItems': ['monitor'],
  'lifecycle.sign': ['investigator'],
  'lifecycle.lock': ['admin'],
  'lifecycle.unlock': ['admin'],
  // Randomisation: the list is set up by the admin; the investigator (or admin) randomises; only the unblinded
  // pharmacist sees allocations; emergency unblinding is the investigator's, with password and reason.
  'randomisation.status': ALL,
  'randomisation.generateList': ['admin'],
  'randomisation.importList': ['admin'],
  'randomisation.randomise': ['investigator', 'admin'],
  'randomisation.allocations': ['pharmacist'],
  'unblinding.emergency': ['investigator'],
  'backup.status': ['admin'],
  'backup.setFolder': ['admin'],
  'backup.now': ['admin'],
};

const ROLE_REFUSAL = 'Your role is not allowed to do this';

let tb: TestBackend;
const keys = {} as Record<Role, string>;
const users = {} as Record<Role, User>;
let args: (name: string) => unknown;

beforeAll(async () => {
  tb = await testBackend();
  for (const role of ALL) {
    const session = await tb.login(role, `perm.${role}`);
    keys[role] = session.key;
    users[role] = session.user;
  }
  const target = await ok<{ id: number }>(tb.call('users.create', { username: 'perm.target', displayName: 'Target', password: TEST_PASSWORD, role: 'data_entry' }, keys.admin));
  const subject = await ok<{ id: number }>(tb.call('subjects.create', {}, keys.data_entry));
  const form = { subjectId: subject.id, visitCode: 'SCR', formCode: 'VITALS', repeatKey: 0 } as const;
  await ok(tb.call('forms.save', { ...form, formCode: 'CONSENT', data: GOOD_FORMS.CONSENT.data, expectedVersion: 0 }, keys.data_entry));
  await ok(tb.call('forms.save', { ...form, data: GOOD_FORMS.VITALS.data, expectedVersion: 0 }, keys.data_entry));
  const query = await ok<{ id: number }>(tb.call('queries.raise', { ...form, itemCode: 'heartRate', text: '请核对' }, keys.monitor));
  const valid: Record<string, unknown> = {
    'auth.setupAdmin': { username: 'another.admin', displayName: 'X', password: TEST_PASSWORD },
    'auth.login': { username: 'nobody', password: 'wrong-password' },
    'subjects.get': { subjectId: subject.id },
    'subjects.list': {},
    'forms.get': form,
    'forms.save': { ...form, data: { ...GOOD_FORMS.VITALS.data, heartRate: 80 }, reason: '更正', expectedVersion: 1 },
    'drafts.save': { ...form, data: GOOD_FORMS.VITALS.data },
    'drafts.discard': form,
    'clinical.casebook': { subjectId: subject.id },
    'export.installSponsorKey': { armoredKey: 'not a key' },
    'export.create': { scope: 'full', outDir: tb.dir },
    'queries.list': {},
    'queries.forForm': form,
    'queries.raise': { ...form, itemCode: 'weightKg', text: '请核对体重' },
    'queries.answer': { queryId: query.id, text: '已核对' },
    'queries.close': { queryId: query.id },
    'queries.reopen': { queryId: query.id, text: '仍需核对' },
    'audit.forForm': form,
    'users.create': { username: 'perm.new', displayName: 'New', password: TEST_PASSWORD, role: 'monitor' },
    'users.update': { userId: target.id, displayName: 'Target 2' },
    'users.deactivate': { userId: target.id },
    'users.reactivate': { userId: target.id },
    'users.unlock': { userId: target.id },
    'users.resetPassword': { userId: target.id, newPassword: 'another-password-1' },
    // A wrong current password: REAUTH_FAILED for every role, and nobody's password changes.
    'users.changeOwnPassword': { oldPassword: 'not-my-password', newPassword: 'another-password-1' },
    'lifecycle.forForm': form,
    'lifecycle.verifyItems': { formKey: form, itemCodes: ['weightKg'] },
    'lifecycle.verifyForm': { formKey: form },
    'lifecycle.unverifyItems': { formKey: form, itemCodes: ['weightKg'], reason: '误勾选' },
    'lifecycle.sign': { scope: 'form', formKey: form, password: 'not-my-password', meaning: 'accurate_complete' },
    'lifecycle.lock': { scope: 'form', formKey: form, reason: '测试锁定' },
    'lifecycle.unlock': { scope: 'form', formKey: form, reason: '测试解锁' },
    'randomisation.generateList': { seed: 'perm-seed-1', size: 20 },
    'randomisation.importList': { csv: 'rand_no,kit_no\n' },
    'randomisation.randomise': { subjectId: subject.id },
    'unblinding.emergency': { subjectId: subject.id, password: 'not-my-password', reason: '严重不良事件需要揭盲' },
    'backup.setFolder': { folder: tb.dir, intervalHours: 24 },
  };
  args = (name) => valid[name] ?? {};
});

afterAll(() => tb?.cleanup());

const refusedForRole = (r: ApiResult<unknown>) => !r.ok && r.error.code === 'FORBIDDEN' && r.error.message.en === ROLE_REFUSAL;

describe('role × call permissions', () => {
  it('has a hand-written row for every call in the contract, and no row for a call that does not exist', () => {
    expect(CALL_NAMES.filter((name) => !(name in EXPECTED))).toEqual([]);
    expect(Object.keys(EXPECTED).filter((name) => !(CALL_NAMES as string[]).includes(name))).toEqual([]);
  });

  it.each(CALL_NAMES.filter((name) => EXPECTED[name] !== 'public'))('%s: allowed roles pass the role check, the others are refused', async (name) => {
    const expected = EXPECTED[name] as readonly Role[];
    const outcome: Record<string, string> = {};
    for (const role of ALL) {
      const result = await tb.call(name, args(name), keys[role]);
      if (process.env.PERM_DEBUG) console.log(name, role, result.ok ? 'ok' : `${result.error.code} ${result.error.message.en}`);
      outcome[role] = refusedForRole(result) ? 'refused' : 'passed';
      if (!result.ok && result.error.code === 'FORBIDDEN' && !refusedForRole(result)) outcome[role] = `passed (domain rule: ${result.error.message.en})`;
    }
    const wanted = Object.fromEntries(ALL.map((role) => [role, expected.includes(role) ? expect.stringMatching(/^passed/) : 'refused']));
    expect(outcome).toEqual(wanted);
    const anonymous = await tb.call(name, args(name), 'no-session');
    expect(!anonymous.ok && anonymous.error.code).toBe('UNAUTHENTICATED');
  });

  it('the user-admin and lifecycle services re-check the role themselves (behind the dispatcher)', async () => {
    const { userAdmin, lifecycle } = tb.backend.services;
    const form = args('lifecycle.forForm') as { subjectId: number; visitCode: 'SCR'; formCode: 'VITALS'; repeatKey: number };
    for (const role of ALL) {
      const as = users[role];
      const refused = (fn: () => unknown) => expect(fn, `${role}`).toThrow(ROLE_REFUSAL);
      if (role !== 'admin') {
        refused(() => userAdmin.list(as));
        refused(() => userAdmin.deactivate(users.pharmacist.id, as));
        refused(() => lifecycle.lock({ scope: 'form', formKey: form }, 'x', as));
        await expect(userAdmin.resetPassword(users.pharmacist.id, 'another-password-1', as)).rejects.toThrow(ROLE_REFUSAL);
      }
      if (role !== 'monitor') refused(() => lifecycle.verifyItems(form, ['weightKg'], as));
      if (role !== 'investigator') await expect(lifecycle.sign({ scope: 'form', formKey: form }, TEST_PASSWORD, 'accurate_complete', as)).rejects.toThrow(ROLE_REFUSAL);
    }
  });

  it.each(CALL_NAMES.filter((name) => EXPECTED[name] === 'public' && name !== 'auth.logout'))('%s: answers without a login', async (name) => {
    const result = await tb.call(name, args(name), 'no-session');
    // A failure here must be the call's own answer (wrong password, already set up), never "please log in".
    expect(!result.ok && result.error.message.en === 'Please log in').toBe(false);
    if (name === 'auth.setupAdmin') expect(!result.ok && result.error.message.en).toBe('The administrator account already exists');
  });
});
