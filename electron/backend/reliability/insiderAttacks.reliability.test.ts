// Insider attack suite (issue 12): each attack of the issue, tried through both transports (the dispatcher that the
// Electron IPC handler wraps, and the browser-mode HTTP host), must fail. Written to fail on the code before the fix.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { User } from '../../../shared/api/calls/common';
import { TEST_PASSWORD, tempDir } from '../testing/fixtures';
import { RENDERER_FILE_LIST } from '../host/rendererFiles';
import { TRANSPORTS, attackTarget, httpRequest, type AttackTarget } from './attackTransports';

const renderer = tempDir('ecrf-attack-renderer-');
mkdirSync(join(renderer.dir, 'assets'), { recursive: true });
writeFileSync(join(renderer.dir, 'index.html'), '<!doctype html><title>eCRF</title>');
writeFileSync(join(renderer.dir, 'assets', 'app.js'), 'console.log(1)');
writeFileSync(join(renderer.dir, RENDERER_FILE_LIST), JSON.stringify(['assets/app.js', 'index.html']));

let target: AttackTarget | null = null;
afterEach(async () => {
  await target?.close();
  target = null;
});

const WRONG = 'wrong-password-guess';

async function withUser(transport: (typeof TRANSPORTS)[number], role: User['role'] = 'monitor', options: { now?: () => number } = {}) {
  target = await attackTarget(transport, renderer.dir, options);
  const { t, call } = target;
  await t.backend.services.users.setupAdmin({ username: 'chief', displayName: 'Chief', password: TEST_PASSWORD });
  const victim = await t.backend.services.users.createUser({ username: 'victim', displayName: 'Victim', password: TEST_PASSWORD, role }, null);
  return { t, call, victim };
}

const countAudit = (target: AttackTarget, where: string) =>
  target.t.backend.services.db.prepare(`SELECT COUNT(*) FROM audit_log WHERE ${where}`).pluck().get() as number;

describe.each(TRANSPORTS)('insider attacks on login and sessions (%s)', (transport) => {
  it('hundreds of parallel wrong passwords, then the right one: locked after 5 checks, never logged in', async () => {
    const { call } = await withUser(transport);
    for (let round = 0; round < 4; round++) {
      const results = await Promise.all(Array.from({ length: 60 }, (_, i) => call('auth.login', { username: 'victim', password: `${WRONG}-${round}-${i}` }, `p${round}x${i}`)));
      expect(results.every((r) => !r.ok)).toBe(true);
    }
    const right = await call('auth.login', { username: 'victim', password: TEST_PASSWORD }, 'right');
    expect(right.ok).toBe(false);
    // Only 5 passwords were ever checked against the real hash.
    expect(countAudit(target!, "action = 'login.failed' AND json_extract(details, '$.reason') = 'wrong_password'")).toBeLessThanOrEqual(5);
    expect(countAudit(target!, "action = 'login.lockout'")).toBeGreaterThanOrEqual(1);
  });

  it('parallel wrong passwords with the right one mixed in: no session survives once the account is locked', async () => {
    const { call } = await withUser(transport);
    const attempts = Array.from({ length: 100 }, (_, i) => (i === 7 ? TEST_PASSWORD : `${WRONG}-${i}`));
    const results = await Promise.all(attempts.map((password, i) => call('auth.login', { username: 'victim', password }, `mix${i}`)));
    const locked = target!.t.backend.services.db.prepare("SELECT locked FROM users WHERE username = 'victim'").pluck().get();
    expect(locked).toBe(1);
    for (const [i, r] of results.entries()) {
      if (!r.ok) continue;
      expect((await call('subjects.list', {}, `mix${i}`)).ok, 'a session of the locked account still works').toBe(false);
    }
  });

  it('re-authentication failures count toward the lockout and end the session', async () => {
    const { call } = await withUser(transport, 'investigator');
    expect((await call('auth.login', { username: 'victim', password: TEST_PASSWORD }, 's1')).ok).toBe(true);
    const codes: string[] = [];
    for (let i = 0; i < 8; i++) {
      const r = await call('users.changeOwnPassword', { oldPassword: `${WRONG}-${i}`, newPassword: 'a-brand-new-secret-9' }, 's1');
      codes.push(r.ok ? 'ok' : r.error.code);
    }
    expect(codes.slice(0, 4)).toEqual(['REAUTH_FAILED', 'REAUTH_FAILED', 'REAUTH_FAILED', 'REAUTH_FAILED']);
    expect(codes[4]).toBe('LOCKED_OUT');
    expect(codes.slice(5).every((c) => c === 'UNAUTHENTICATED')).toBe(true);
    expect((await call('auth.login', { username: 'victim', password: TEST_PASSWORD }, 's2')).ok).toBe(false);
  });

  it('parallel re-authentication guesses stop at 5', async () => {
    const { call } = await withUser(transport, 'investigator');
    expect((await call('auth.login', { username: 'victim', password: TEST_PASSWORD }, 's1')).ok).toBe(true);
    await Promise.all(
      Array.from({ length: 100 }, (_, i) => call('users.changeOwnPassword', { oldPassword: `${WRONG}-${i}`, newPassword: 'a-brand-new-secret-9' }, 's1')),
    );
    expect(countAudit(target!, "action = 'login.failed' AND json_extract(details, '$.reason') = 'reauthentication'")).toBeLessThanOrEqual(5);
    expect(target!.t.backend.services.db.prepare("SELECT locked FROM users WHERE username = 'victim'").pluck().get()).toBe(1);
  });

  it('five parallel first-run setups create exactly one administrator', async () => {
    target = await attackTarget(transport, renderer.dir);
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => target!.call('auth.setupAdmin', { username: `admin${i}`, displayName: `A${i}`, password: TEST_PASSWORD }, `setup${i}`)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(target.t.backend.services.db.prepare('SELECT COUNT(*) FROM users').pluck().get()).toBe(1);
  });

  it('a session ends when its account is locked or deactivated, whoever did it', async () => {
    const { t, call, victim } = await withUser(transport);
    expect((await call('auth.login', { username: 'victim', password: TEST_PASSWORD }, 'v')).ok).toBe(true);
    expect((await call('subjects.list', {}, 'v')).ok).toBe(true);
    // Locked behind the app's back (the command line, another process).
    t.backend.services.db.prepare('UPDATE users SET locked = 1 WHERE id = ?').run(victim.id);
    expect(await call('subjects.list', {}, 'v')).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await call('auth.me', {}, 'v')).toEqual({ ok: true, value: null });
    t.backend.services.db.prepare('UPDATE users SET locked = 0 WHERE id = ?').run(victim.id);
    expect((await call('auth.login', { username: 'victim', password: TEST_PASSWORD }, 'v2')).ok).toBe(true);
    t.backend.services.db.prepare('UPDATE users SET active = 0 WHERE id = ?').run(victim.id);
    expect(await call('auth.me', {}, 'v2')).toEqual({ ok: true, value: null });
  });

  it('auth.me honours the 15-minute idle lock and ends the session', async () => {
    let now = Date.parse('2026-12-01T08:00:00Z');
    const { call } = await withUser(transport, 'monitor', { now: () => now });
    expect((await call('auth.login', { username: 'victim', password: TEST_PASSWORD }, 'idle')).ok).toBe(true);
    now += 16 * 60_000;
    expect(await call('auth.me', {}, 'idle')).toEqual({ ok: true, value: null });
    // The session is gone, not only hidden: a logout on it finds nobody to record.
    await call('auth.logout', {}, 'idle');
    expect(countAudit(target!, "action = 'logout'")).toBe(0);
    expect((await call('subjects.list', {}, 'idle')).ok).toBe(false);
  });

  it('an unknown user and a known user with a wrong password answer alike, in words and in time', async () => {
    const { call } = await withUser(transport);
    await call('auth.login', { username: 'victim', password: WRONG }, 'w');
    const known = await call('auth.login', { username: 'victim', password: `${WRONG}-2` }, 'w');
    const unknown = await call('auth.login', { username: 'nobody-here', password: WRONG }, 'w');
    expect(unknown).toEqual(known);
    // Locked account: the same answer again.
    for (let i = 0; i < 5; i++) await call('auth.login', { username: 'victim', password: `${WRONG}-${i}` }, 'w');
    expect(await call('auth.login', { username: 'victim', password: TEST_PASSWORD }, 'w')).toEqual(known);
    // Timing: medians of interleaved attempts within a factor of two (before: an unknown user answered ~6x faster).
    await target!.t.backend.services.users.createUser({ username: 'other', displayName: 'O', password: TEST_PASSWORD, role: 'monitor' }, null);
    const time = async (username: string) => {
      const start = process.hrtime.bigint();
      await call('auth.login', { username, password: WRONG }, 't');
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    const unknownMs: number[] = [];
    const knownMs: number[] = [];
    for (let i = 0; i < 4; i++) {
      unknownMs.push(await time(`ghost${i}`));
      knownMs.push(await time('other'));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const ratio = median(knownMs) / median(unknownMs);
    expect(ratio, `known ${median(knownMs)} ms vs unknown ${median(unknownMs)} ms`).toBeLessThan(2);
    expect(ratio).toBeGreaterThan(0.5);
  });

  it('passwords: under 12 characters, a common password or the username are refused everywhere', async () => {
    const { call } = await withUser(transport, 'admin');
    expect((await call('auth.login', { username: 'victim', password: TEST_PASSWORD }, 'a')).ok).toBe(true);
    for (const password of ['short-pw-1', 'qwerty123456', '1qaz2wsx3edc', 'newnurse-2026-ward']) {
      const r = await call('users.create', { username: 'newnurse', displayName: 'N', password, role: 'data_entry' }, 'a');
      expect(r, password).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
    expect(await call('users.changeOwnPassword', { oldPassword: TEST_PASSWORD, newPassword: 'password1234' }, 'a')).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('a password an administrator set must be replaced at the first login before anything else', async () => {
    const { call } = await withUser(transport, 'admin');
    expect((await call('auth.login', { username: 'victim', password: TEST_PASSWORD }, 'a')).ok).toBe(true);
    const created = await call('users.create', { username: 'nurse.li', displayName: '李', password: 'admin-chose-this-1', role: 'data_entry' }, 'a');
    expect(created.ok).toBe(true);
    const login = await call('auth.login', { username: 'nurse.li', password: 'admin-chose-this-1' }, 'n');
    expect(login).toMatchObject({ ok: true, value: { username: 'nurse.li', mustChangePassword: true } });
    expect(await call('subjects.list', {}, 'n')).toMatchObject({ ok: false, error: { code: 'PASSWORD_CHANGE_REQUIRED' } });
    expect((await call('users.changeOwnPassword', { oldPassword: 'admin-chose-this-1', newPassword: 'only-li-knows-this-7' }, 'n')).ok).toBe(true);
    expect((await call('subjects.list', {}, 'n')).ok).toBe(true);
    expect(await call('auth.me', {}, 'n')).toMatchObject({ ok: true, value: { username: 'nurse.li' } });
    expect(((await call('auth.me', {}, 'n')) as { value: User }).value.mustChangePassword).toBeUndefined();
  });
});

describe.each(TRANSPORTS)('an admin exfiltrating the database through the served folder (%s)', (transport) => {
  it('backups cannot be pointed at the served folder, the database folder or its parents, or a world-writable folder', async () => {
    const { call } = await withUser(transport, 'admin');
    expect((await call('auth.login', { username: 'victim', password: TEST_PASSWORD }, 'a')).ok).toBe(true);
    target!.t.backend.services.backup.protectFolders([renderer.dir]);
    for (const folder of [renderer.dir, join(renderer.dir, 'assets'), target!.t.dir, join(target!.t.dir, '..'), '/tmp']) {
      const r = await call('backup.setFolder', { folder, intervalHours: 4 }, 'a');
      expect(r, folder).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
  });
});

describe('the browser host serves only the files of the build', () => {
  it('a backup copied into the served folder is not served, with or without the token; malformed paths are 400', async () => {
    target = await attackTarget('http', renderer.dir);
    const host = target.host!;
    writeFileSync(join(renderer.dir, 'ecrf-backup-20261201T000000Z.db'), 'SQLite format 3 allocation list');
    writeFileSync(join(renderer.dir, 'assets', 'ecrf-backup-20261201T000000Z.db'), 'SQLite format 3 allocation list');
    for (const path of ['/ecrf-backup-20261201T000000Z.db', '/assets/ecrf-backup-20261201T000000Z.db', '/assets/../ecrf-backup-20261201T000000Z.db', '/%61ssets/app.js/../../ecrf-backup-20261201T000000Z.db']) {
      for (const headers of [{}, { 'x-ecrf-token': host.token }]) {
        const res = await httpRequest(host.port, path, { headers });
        expect(res.status, path).toBe(404);
        expect(res.body.toString()).not.toContain('allocation');
      }
    }
    expect((await httpRequest(host.port, '/assets/app.js')).status).toBe(200);
    expect((await httpRequest(host.port, '/')).status).toBe(200);
    for (const path of ['/%E0%A4%A', '/%', '/api/%E0%A4%A']) {
      const res = await httpRequest(host.port, path, { method: path.startsWith('/api/') ? 'POST' : 'GET', headers: { 'x-ecrf-token': host.token, 'x-ecrf-session': 'abcdef0123456789abcd' } });
      expect(res.status, path).toBe(400);
    }
  });
});
