// Tests of `ecrf users` on a real SQLite file: the only admin, locked out after 5 wrong passwords, is unlocked from the
// command line and can log in again; a forgotten password is reset; both audited as the local operator, chain intact.
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../backend/audit/auditTrail';
import { errorCode, ok } from '../../backend/testing/apiResults';
import { TEST_PASSWORD, testBackend, type TestBackend } from '../../backend/testing/fixtures';
import { usersCommand } from './users';

let tb: TestBackend | null = null;
afterEach(() => {
  tb?.cleanup();
  tb = null;
});

describe('ecrf users', () => {
  it('unlocks the only admin after a lockout and resets a forgotten password, audited as the local operator', async () => {
    tb = await testBackend();
    const t = tb;
    await t.login('admin', 'chief');
    for (let i = 0; i < 5; i++) await t.call('auth.login', { username: 'chief', password: 'wrong-password' }, 'k');
    expect(await errorCode(t.call('auth.login', { username: 'chief', password: TEST_PASSWORD }, 'k'))).toBe('UNAUTHENTICATED');

    const list = await usersCommand(t.dbFile, { kind: 'list' });
    expect(list.exitCode).toBe(0);
    expect(list.lines.join('\n')).toMatch(/chief\s+admin\s+active, LOCKED/);
    expect(list.lines.join('\n')).not.toContain('scrypt');

    const unlocked = await usersCommand(t.dbFile, { kind: 'unlock', username: 'chief' });
    expect(unlocked).toMatchObject({ exitCode: 0 });
    await ok(t.call('auth.login', { username: 'chief', password: TEST_PASSWORD }, 'k'));
    expect((await usersCommand(t.dbFile, { kind: 'unlock', username: 'chief' })).exitCode).toBe(1);
    expect((await usersCommand(t.dbFile, { kind: 'unlock', username: 'nobody' })).lines[0]).toContain('not found');

    expect((await usersCommand(t.dbFile, { kind: 'reset-password', username: 'chief', password: 'short' })).exitCode).toBe(1);
    expect((await usersCommand(t.dbFile, { kind: 'reset-password', username: 'chief', password: 'brand-new-pass-1' })).exitCode).toBe(0);
    expect(await errorCode(t.call('auth.login', { username: 'chief', password: TEST_PASSWORD }, 'k2'))).toBe('UNAUTHENTICATED');
    // The operator typed the new password, so the admin must replace it at this login.
    expect(await ok(t.call('auth.login', { username: 'chief', password: 'brand-new-pass-1' }, 'k3'))).toMatchObject({ mustChangePassword: true });

    const rows = t.backend.services.db.prepare("SELECT user_id, username, item_code FROM audit_log WHERE action = 'user.update' ORDER BY seq").all();
    expect(rows).toEqual([
      { user_id: null, username: 'ecrf-cli (local operator)', item_code: 'locked' },
      { user_id: null, username: 'ecrf-cli (local operator)', item_code: 'password' },
    ]);
    expect(verifyAuditChain(t.backend.services.db).ok).toBe(true);
  });
});
