// The role × call permission proof: for EVERY call in the contract, the roles allowed by the study's rules (a table written
// here by hand from the protocol and the GCP issue, not read back from the contract) are checked through the dispatcher
// with valid arguments: an allowed role never meets "your role is not allowed", every other role always does, and
// without a login every non-public call answers UNAUTHENTICATED. A new call without a row here fails the test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role, User } from '../../../shared/api/calls/common';
import { CALL_NAMES } from '../../../shared/api/contract';
import type { ApiResult } from '../../../shared/api/result';
import { TEST_PASSWORD, testBackend, type TestBackend } from '../testing/fixtures';
import { makeCallArgsFixture, validCallArgs } from '../testing/validCallArgs';

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
  // The paper casebook: everyone who reads the casebook; it prints the blinded view.
  'print.casebook': ALL,
  'clinical.casebook': ALL,
  'drafts.discard': ALL,
  'subjects.create': SITE_WRITERS,
  // Status changes: ward staff at the door; which change each role may record is the service's rule (a withdrawal
  // or completion is the investigator's, subjectStatus.test.ts).
  'subjects.changeStatus': SITE_WRITERS,
  // The pharmacist saves the pharmacy's PHARM form (FormService checks which form each role may save).
  'forms.save': [...SITE_WRITERS, 'pharmacist'],
  'drafts.save': [...SITE_WRITERS, 'pharmacist'],
  'export.status': EXPORTERS,
  'export.sitePublicKey': EXPORTERS,
  'export.create': EXPORTERS,
  'export.progress': EXPORTERS,
  'export.installSponsorKey': ['admin'],
  // Queries: the monitor raises, closes and re-opens; site staff answer; everyone reads.
  'queries.list': ALL,
  'queries.counts': ALL,
  // The SAE list: everyone who works with AEs (never the pharmacist's role).
  'safety.saes': ['investigator', 'data_entry', 'monitor', 'admin'],
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
  'randomisation.generateList': ['pharmacist'],
  'randomisation.importList': ['pharmacist'],
  'randomisation.randomise': ['investigator'],
  'randomisation.allocations': ['pharmacist'],
  'randomisation.access': ['pharmacist'],
  'randomisation.grantAccess': ['pharmacist'],
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
  args = validCallArgs(await makeCallArgsFixture(tb, keys, 'perm'));
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
