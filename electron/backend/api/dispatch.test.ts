// The API dispatcher over a real SQLite file: setup, login and lockout, access rules, argument
// validation with bilingual errors, and the idle lock.
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_PASSWORD, testBackend, type TestBackend } from '../testing/fixtures';

let t: TestBackend;
afterEach(() => t?.cleanup());

describe('first run and login', () => {
  it('reports setup needed, creates the admin once, then refuses a second admin', async () => {
    t = await testBackend();
    const info = await t.call('app.info', {}, 's1');
    expect(info).toMatchObject({ ok: true, value: { needsSetup: true, site: 'KM01', transport: 'browser' } });
    const created = await t.call('auth.setupAdmin', { username: 'chief', displayName: '王主任', password: TEST_PASSWORD }, 's1');
    expect(created).toMatchObject({ ok: true, value: { username: 'chief', role: 'admin' } });
    expect(await t.call('auth.me', {}, 's1')).toMatchObject({ ok: true, value: { username: 'chief' } });
    const again = await t.call('auth.setupAdmin', { username: 'other', displayName: 'x', password: TEST_PASSWORD }, 's2');
    expect(again).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const hash = t.backend.services.db.prepare('SELECT password_hash FROM users').pluck().get() as string;
    expect(hash).toMatch(/^scrypt\$/);
    expect(hash).not.toContain(TEST_PASSWORD);
  });

  it('locks the account after 5 wrong passwords, audited, and then refuses the right one', async () => {
    t = await testBackend();
    await t.login('admin', 'chief');
    for (let i = 1; i <= 4; i++) {
      expect(await t.call('auth.login', { username: 'chief', password: 'wrong-password' }, 'x')).toMatchObject({
        ok: false,
        error: { code: 'UNAUTHENTICATED' },
      });
    }
    // The fifth locks the account; a locked account answers like a wrong password (nobody learns which accounts exist).
    expect(await t.call('auth.login', { username: 'chief', password: 'wrong-password' }, 'x')).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
    expect(t.backend.services.db.prepare("SELECT locked FROM users WHERE username = 'chief'").pluck().get()).toBe(1);
    expect(await t.call('auth.login', { username: 'chief', password: TEST_PASSWORD }, 'x')).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED', message: { en: expect.stringContaining('locked until an administrator unlocks it') } },
    });
    const actions = t.backend.services.db.prepare("SELECT action FROM audit_log WHERE username = 'chief' ORDER BY seq").pluck().all();
    expect(actions.filter((a) => a === 'login.failed')).toHaveLength(6);
    expect(actions).toContain('login.lockout');
  });
});

describe('access and validation', () => {
  it('refuses calls without login, unknown calls, and bad arguments with a bilingual message', async () => {
    t = await testBackend();
    expect(await t.call('subjects.list', {}, 'nobody')).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    const { key } = await t.login('data_entry');
    expect(await t.call('subjects.drop', {}, key)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const bad = await t.call('subjects.get', { subjectId: 'one' }, key);
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('VALIDATION');
      expect(bad.error.message.zh).toContain('未作任何更改');
      expect(bad.error.issues?.[0]?.fieldId).toBe('subjectId');
    }
  });

  it('checks roles in the back end: a monitor cannot create subjects', async () => {
    t = await testBackend();
    const { key } = await t.login('monitor');
    expect(await t.call('subjects.create', {}, key)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(t.backend.services.db.prepare('SELECT COUNT(*) FROM subjects').pluck().get()).toBe(0);
  });

  it('locks a session idle for more than 15 minutes', async () => {
    let now = 1_000_000;
    t = await testBackend({ now: () => now });
    const { key } = await t.login('data_entry');
    now += 14 * 60 * 1000;
    expect((await t.call('subjects.list', {}, key)).ok).toBe(true);
    now += 15 * 60 * 1000 + 1;
    expect(await t.call('subjects.list', {}, key)).toMatchObject({ ok: false, error: { code: 'SESSION_LOCKED' } });
    expect(await t.call('subjects.list', {}, key)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });
});

describe('subjects', () => {
  it('creates subjects with consecutive screening numbers and lists them with visit status', async () => {
    t = await testBackend();
    const { key } = await t.login('data_entry');
    const a = await t.call('subjects.create', {}, key);
    const b = await t.call('subjects.create', {}, key);
    expect(a).toMatchObject({ ok: true, value: { screeningNo: 'KM01-S001', status: 'screening', randNo: null } });
    expect(b).toMatchObject({ ok: true, value: { screeningNo: 'KM01-S002' } });
    const list = (await t.call('subjects.list', {}, key)) as { ok: boolean; value: { rows: { screeningNo: string; visits: string }[] } };
    expect(list.ok && list.value.rows.map((s) => s.screeningNo)).toEqual(['KM01-S001', 'KM01-S002']);
    if (list.ok) expect(list.value.rows[0]!.visits).toBe('NNNNNNNNN'); // SCR … M6 not started
    const found = (await t.call('subjects.list', { search: 'S002' }, key)) as { ok: boolean; value: { rows: unknown[] } };
    expect(found.ok && found.value.rows).toHaveLength(1);
    const audit = t.backend.services.db.prepare("SELECT new_value FROM audit_log WHERE action = 'subject.create'").pluck().all();
    expect(audit).toEqual(['KM01-S001', 'KM01-S002']);
  });
});
