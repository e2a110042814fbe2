// Tests of user administration on a real SQLite file through the API: create/list, edit, deactivate (sessions end at once),
// last-admin rule, unlock after lockout, password reset and own password change, audit rows without password hashes.
import { afterEach, describe, expect, it } from 'vitest';
import type { User } from '../../../shared/api/calls/common';
import type { UserAccount } from '../../../shared/api/calls/users';
import { verifyAuditChain } from '../audit/auditTrail';
import { errorCode, ok } from '../testing/apiResults';
import { TEST_PASSWORD, testBackend, type TestBackend } from '../testing/fixtures';

let tb: TestBackend | null = null;
afterEach(() => {
  tb?.cleanup();
  tb = null;
});

const NEW_PASSWORD = 'ward-3-nurse-pass';
const INITIAL_PASSWORD = 'set-by-the-admin-1';

async function setup() {
  tb = await testBackend();
  const t = tb;
  const admin = await t.login('admin', 'admin');
  /** An account made by the admin, whose owner has replaced the admin's initial password with TEST_PASSWORD (first login). */
  const create = async (username: string, role: string) => {
    const account = await ok<UserAccount>(t.call('users.create', { username, displayName: `${username} 护士`, password: INITIAL_PASSWORD, role }, admin.key));
    await ok(t.call('auth.login', { username, password: INITIAL_PASSWORD }, `first:${username}`));
    await ok(t.call('users.changeOwnPassword', { oldPassword: INITIAL_PASSWORD, newPassword: TEST_PASSWORD }, `first:${username}`));
    await ok(t.call('auth.logout', {}, `first:${username}`));
    return account;
  };
  const loginAs = (username: string, password = TEST_PASSWORD, key = `k:${username}`) => t.call('auth.login', { username, password }, key);
  const userUpdates = () =>
    // (without the first-login password changes that create() makes)
    t.backend.services.db.prepare("SELECT * FROM audit_log WHERE action = 'user.update' AND new_value IS NOT '(changed by user)' ORDER BY seq").all() as {
      username: string;
      item_code: string;
      old_value: string;
      new_value: string;
      details: string;
    }[];
  return { t, admin, create, loginAs, userUpdates };
}

describe('user administration', () => {
  it('creates users with a role, lists them with their state, refuses a taken name (case-insensitive)', async () => {
    const { t, admin, create } = await setup();
    const nurse = await create('wang.li', 'data_entry');
    expect(nurse).toMatchObject({ username: 'wang.li', displayName: 'wang.li 护士', role: 'data_entry', active: true, locked: false });
    expect(nurse).not.toHaveProperty('password_hash');
    expect(await errorCode(t.call('users.create', { username: 'WANG.LI', displayName: 'x', password: TEST_PASSWORD, role: 'monitor' }, admin.key))).toBe('CONFLICT');
    expect(await errorCode(t.call('users.create', { username: 'short', displayName: 'x', password: 'short', role: 'monitor' }, admin.key))).toBe('VALIDATION');
    const list = await ok<UserAccount[]>(t.call('users.list', {}, admin.key));
    expect(list.map((u) => u.username)).toEqual(['admin', 'wang.li']);
    expect(JSON.stringify(list)).not.toContain('scrypt');
  });

  it('deactivation ends the user’s open sessions at once and blocks login until reactivated', async () => {
    const { t, admin, create, loginAs, userUpdates } = await setup();
    const nurse = await create('nurse1', 'data_entry');
    await ok(loginAs('nurse1'));
    expect(await ok(t.call('subjects.list', {}, 'k:nurse1'))).toMatchObject({ rows: [] });
    await ok(t.call('users.deactivate', { userId: nurse.id }, admin.key));
    expect(await errorCode(t.call('subjects.list', {}, 'k:nurse1'))).toBe('UNAUTHENTICATED');
    expect(await errorCode(loginAs('nurse1'))).toBe('UNAUTHENTICATED');
    expect(await errorCode(t.call('users.deactivate', { userId: nurse.id }, admin.key))).toBe('CONFLICT');
    await ok(t.call('users.reactivate', { userId: nurse.id }, admin.key));
    await ok(loginAs('nurse1'));
    expect(userUpdates().map((r) => [r.item_code, r.old_value, r.new_value, JSON.parse(r.details).target])).toEqual([
      ['active', 'true', 'false', 'nurse1'],
      ['active', 'false', 'true', 'nurse1'],
    ]);
  });

  it('keeps at least one active admin: no self-deactivation, no demoting the last admin', async () => {
    const { t, admin, create } = await setup();
    const self = admin.user.id;
    expect(await errorCode(t.call('users.deactivate', { userId: self }, admin.key))).toBe('FORBIDDEN');
    const demote = await t.call('users.update', { userId: self, role: 'monitor' }, admin.key);
    expect(!demote.ok && demote.error.code).toBe('FORBIDDEN');
    expect(!demote.ok && demote.error.message.zh).toContain('唯一');
    const second = await create('admin.b', 'admin');
    const demoted = await ok<UserAccount>(t.call('users.update', { userId: self, role: 'monitor' }, admin.key));
    expect(demoted.role).toBe('monitor');
    // The role change ended the admin's own session: the new role applies from the next login.
    expect(await errorCode(t.call('users.list', {}, admin.key))).toBe('UNAUTHENTICATED');
    await ok(t.call('auth.login', { username: 'admin.b', password: TEST_PASSWORD }, 'k:b'));
    expect(await errorCode(t.call('users.update', { userId: second.id, role: 'investigator' }, 'k:b'))).toBe('FORBIDDEN');
  });

  it('a new display name shows in the user’s open session; an empty edit is refused', async () => {
    const { t, admin, create, loginAs } = await setup();
    const nurse = await create('nurse2', 'data_entry');
    await ok(loginAs('nurse2'));
    await ok(t.call('users.update', { userId: nurse.id, displayName: '李护士' }, admin.key));
    expect(await ok<User>(t.call('auth.me', {}, 'k:nurse2'))).toMatchObject({ displayName: '李护士', role: 'data_entry' });
    expect(await errorCode(t.call('users.update', { userId: nurse.id, displayName: '李护士' }, admin.key))).toBe('CONFLICT');
    expect(await errorCode(t.call('users.update', { userId: 9999, displayName: 'x' }, admin.key))).toBe('NOT_FOUND');
  });

  it('unlocks a locked-out account and resets a password; the audit trail never holds the hash', async () => {
    const { t, admin, create, loginAs, userUpdates } = await setup();
    const nurse = await create('nurse3', 'data_entry');
    for (let i = 0; i < 5; i++) await loginAs('nurse3', 'wrong-password-x');
    expect(await errorCode(loginAs('nurse3'))).toBe('UNAUTHENTICATED');
    expect((await ok<UserAccount[]>(t.call('users.list', {}, admin.key))).find((u) => u.id === nurse.id)).toMatchObject({ locked: true, failedAttempts: 5 });
    const unlocked = await ok<UserAccount>(t.call('users.unlock', { userId: nurse.id }, admin.key));
    expect(unlocked).toMatchObject({ locked: false, failedAttempts: 0 });
    expect(await errorCode(t.call('users.unlock', { userId: nurse.id }, admin.key))).toBe('CONFLICT');
    await ok(loginAs('nurse3'));
    await ok(t.call('users.resetPassword', { userId: nurse.id, newPassword: NEW_PASSWORD }, admin.key));
    expect(await errorCode(t.call('subjects.list', {}, 'k:nurse3'))).toBe('UNAUTHENTICATED'); // her open session ended
    expect(await errorCode(loginAs('nurse3', TEST_PASSWORD, 'k:x'))).toBe('UNAUTHENTICATED');
    // The admin chose NEW_PASSWORD: she must replace it before doing anything else.
    expect(await ok<User>(loginAs('nurse3', NEW_PASSWORD, 'k:y'))).toMatchObject({ mustChangePassword: true });
    expect(await errorCode(t.call('subjects.list', {}, 'k:y'))).toBe('PASSWORD_CHANGE_REQUIRED');
    const rows = userUpdates();
    expect(rows.map((r) => r.item_code)).toEqual(['locked', 'password']);
    const hash = t.backend.services.db.prepare('SELECT password_hash FROM users WHERE id = ?').pluck().get(nurse.id) as string;
    const trail = JSON.stringify(t.backend.services.db.prepare('SELECT * FROM audit_log').all());
    expect(trail).not.toContain(hash);
    expect(trail).not.toContain(NEW_PASSWORD);
    expect(verifyAuditChain(t.backend.services.db).ok).toBe(true);
  });

  it('any user changes their own password after confirming the old one (a wrong one keeps the session)', async () => {
    const { t, create, loginAs } = await setup();
    await create('monitor1', 'monitor');
    await ok(loginAs('monitor1'));
    const key = 'k:monitor1';
    expect(await errorCode(t.call('users.changeOwnPassword', { oldPassword: 'nope-nope-nope', newPassword: NEW_PASSWORD }, key))).toBe('REAUTH_FAILED');
    expect(await errorCode(t.call('users.changeOwnPassword', { oldPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD }, key))).toBe('VALIDATION');
    await ok(t.call('users.changeOwnPassword', { oldPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD }, key));
    expect(await errorCode(loginAs('monitor1', TEST_PASSWORD, 'k:2'))).toBe('UNAUTHENTICATED');
    await ok(loginAs('monitor1', NEW_PASSWORD, 'k:3'));
    expect(await errorCode(t.call('users.list', {}, key))).toBe('FORBIDDEN');
  });
});
