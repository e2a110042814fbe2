// Bad input at every API call through both transports (dispatcher = IPC path, loopback HTTP host): typed bilingual errors, database unchanged.
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALL_NAMES } from '../../../shared/api/contract';
import { ERROR_CODES } from '../../../shared/api/result';
import type { Role } from '../../../shared/api/calls/common';
import { startBrowserHost, type BrowserHost } from '../host/browserHost';
import { TEST_PASSWORD, testBackend, type TestBackend } from '../testing/fixtures';

const RUNS = Number(process.env.RELIABILITY_RUNS ?? (process.env.RELIABILITY_LONG ? 200 : 15));
const ROLES: Role[] = ['admin', 'data_entry', 'investigator', 'monitor', 'pharmacist'];
// Calls that end the session go last so they do not starve the others of a logged-in caller.
const ORDERED = [...CALL_NAMES].sort((a, b) => Number(/logout|lock/.test(a)) - Number(/logout|lock/.test(b)));

let t: TestBackend;
let host: BrowserHost;
const keys = new Map<Role | 'anonymous', string>();
const users = new Map<Role, string>();

/** Rejections that must leave a trace: a failed login or re-authentication is audited and counts towards the lockout (issue 5). */
const AUTH_FAILURES = new Set(['UNAUTHENTICATED', 'LOCKED_OUT', 'REAUTH_FAILED']);
const FAILED_LOGIN_EVENTS = "('login.failed', 'login.lockout')";

/**
 * A checksum of every row of every table. `exceptFailedLogins` leaves out exactly the footprint of a failed login (its
 * login.failed / login.lockout audit rows and the users' failed_attempts / locked columns) and nothing else.
 */
function dbChecksum(exceptFailedLogins = false): string {
  const db = t.backend.services.db;
  const h = createHash('sha256');
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  for (const name of tables) {
    h.update(name);
    let sql = `SELECT * FROM "${name}"`;
    if (exceptFailedLogins && name === 'audit_log') sql += ` WHERE action NOT IN ${FAILED_LOGIN_EVENTS}`;
    if (exceptFailedLogins && name === 'users') sql = 'SELECT id, username, display_name, role, password_hash, active, created_at, password_changed_at FROM users';
    for (const row of db.prepare(sql).raw().iterate()) h.update(JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
  }
  return h.digest('hex');
}

/** Checksums before a call, and the check after a rejection: unchanged, or for a failed login changed only by its audited footprint. */
function snapshot(): { strict: string; exceptFailedLogins: string } {
  return { strict: dbChecksum(), exceptFailedLogins: dbChecksum(true) };
}
function expectUnchangedAfterRejection(before: ReturnType<typeof snapshot>, result: unknown, where: string): void {
  const code = (result as { error: { code: string } }).error.code;
  if (AUTH_FAILURES.has(code)) expect(dbChecksum(true), `${where} rejected (${code}) and changed more than its failed-login audit`).toBe(before.exceptFailedLogins);
  else expect(dbChecksum(), `${where} rejected (${code}) but changed the DB`).toBe(before.strict);
}

function expectTypedFailureOrOk(result: unknown, where: string): boolean {
  expect(result, where).toBeTypeOf('object');
  const r = result as { ok: boolean; error?: { code: string; message: { zh: string; en: string } } };
  expect(typeof r.ok, where).toBe('boolean');
  if (r.ok) return true;
  expect(ERROR_CODES as readonly string[], where).toContain(r.error!.code);
  expect(r.error!.code, `${where}: ${r.error!.message.en}`).not.toBe('INTERNAL');
  expect(r.error!.message.zh.length, where).toBeGreaterThan(0);
  expect(r.error!.message.en.length, where).toBeGreaterThan(0);
  return false;
}

const payload = fc.oneof(
  fc.anything(),
  fc.object({ maxDepth: 2 }),
  fc.dictionary(fc.constantFrom('subjectId', 'visitCode', 'formCode', 'repeatKey', 'data', 'username', 'password', 'id', 'reason', 'expectedVersion', 'role', 'scope', 'outDir', 'text'), fc.anything({ maxDepth: 2 })),
);

function http(path: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  t = await testBackend();
  for (const role of ROLES) {
    const { key, user } = await t.login(role);
    keys.set(role, key);
    users.set(role, user.username);
  }
  keys.set('anonymous', 'test:nobody');
  const rendererDir = join(t.dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>ecrf</title>');
  host = await startBrowserHost({ backend: t.backend, rendererDir });
});

afterAll(async () => {
  await host?.close();
  t?.cleanup();
});

describe('dispatcher (the Electron IPC handler is a thin wrapper over it)', () => {
  for (const who of [...ROLES, 'anonymous'] as const) {
    it(`every call as ${who}: arbitrary payloads never crash; rejections are typed, bilingual and change nothing`, async () => {
      for (const name of ORDERED) {
        await fc.assert(
          fc.asyncProperty(payload, async (args) => {
            const before = snapshot();
            let result: unknown;
            try {
              result = await t.call(name, args, keys.get(who)!);
            } catch (e) {
              throw new Error(`${name} as ${who} threw: ${(e as Error).stack}`);
            }
            if (!expectTypedFailureOrOk(result, `${name} as ${who}`)) expectUnchangedAfterRejection(before, result, `${name} as ${who}`);
          }),
          { numRuns: RUNS },
        );
      }
    }, 300_000);
  }
});

describe('a rejected login leaves only its audited footprint', () => {
  it('a wrong password is UNAUTHENTICATED, audited as login.failed and counted, and nothing else changes', async () => {
    const db = t.backend.services.db;
    const failedRows = () => db.prepare("SELECT count(*) FROM audit_log WHERE action = 'login.failed'").pluck().get() as number;
    const before = snapshot();
    const rowsBefore = failedRows();
    const result = await t.call('auth.login', { username: users.get('monitor'), password: 'not-the-password' }, keys.get('anonymous')!);
    expect(result).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(failedRows()).toBe(rowsBefore + 1);
    expect(db.prepare('SELECT failed_attempts FROM users WHERE username = ?').pluck().get(users.get('monitor'))).toBe(1);
    expect(dbChecksum(), 'the failed login is recorded').not.toBe(before.strict);
    expectUnchangedAfterRejection(before, result, 'auth.login with a wrong password');
    const ok = await t.call('auth.login', { username: users.get('monitor'), password: TEST_PASSWORD }, 'test:monitor-again');
    expect(ok).toMatchObject({ ok: true });
    expect(db.prepare('SELECT failed_attempts FROM users WHERE username = ?').pluck().get(users.get('monitor'))).toBe(0);
  });
});

describe('browser-mode HTTP host', () => {
  it('every call with arbitrary JSON bodies over HTTP (admin session): typed answers, rejected payloads change nothing', async () => {
    const session = 'fuzz-session-0123456789';
    const login = await http('/api/auth.login', { 'x-ecrf-token': host.token, 'x-ecrf-session': session }, JSON.stringify({ username: users.get('admin'), password: TEST_PASSWORD }));
    expect(JSON.parse(login.body)).toMatchObject({ ok: true });
    for (const name of ORDERED) {
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v)), fc.string()), async (body) => {
          const before = snapshot();
          const res = await http(`/api/${encodeURIComponent(name)}`, { 'x-ecrf-token': host.token, 'x-ecrf-session': session }, body);
          expect(res.status, name).toBeLessThan(500);
          const parsed = JSON.parse(res.body) as unknown;
          if (!expectTypedFailureOrOk(parsed, `HTTP ${name}`)) expectUnchangedAfterRejection(before, parsed, `HTTP ${name}`);
        }),
        { numRuns: Math.max(5, Math.floor(RUNS / 2)) },
      );
    }
  }, 300_000);

  it('refuses every call name without the token, or with a wrong one, and changes nothing', async () => {
    const before = dbChecksum();
    for (const name of CALL_NAMES) {
      for (const headers of [{}, { 'x-ecrf-token': 'x'.repeat(64) }, { 'x-ecrf-token': host.token.slice(0, -1) }] as Record<string, string>[]) {
        const res = await http(`/api/${name}`, { 'x-ecrf-session': 'fuzz-session-0123456789', ...headers }, JSON.stringify({ username: users.get('admin'), password: TEST_PASSWORD }));
        expect(res.status, name).toBe(401);
        expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
      }
    }
    expect(dbChecksum()).toBe(before);
  });

  it('listens on loopback only: a non-loopback address of this machine cannot connect', async () => {
    const external = Object.values(networkInterfaces()).flat().find((a) => a && !a.internal && a.family === 'IPv4');
    if (!external) return; // no non-loopback interface in this sandbox; the bind address is then the only path anyway
    const outcome = await new Promise<string>((resolve) => {
      const req = request({ host: external.address, port: host.port, path: '/api/auth.status', method: 'POST', headers: { 'x-ecrf-token': host.token }, timeout: 2000 }, (res) => resolve(`answered ${res.statusCode}`));
      req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      req.on('timeout', () => {
        req.destroy();
        resolve('timeout');
      });
      req.end();
    });
    expect(outcome).not.toMatch(/^answered 2/);
    expect(outcome).toMatch(/ECONNREFUSED|timeout|answered 403/);
  });
});
