// Start-up checks as the site meets them through the command line and browser mode: a database with 256 bytes
// overwritten opens read-only and names the last verified backup (no save, no backup of the damaged file); rotation never
// removes the last verified backup; a database of a newer schema is refused with not a byte of its folder changed; a
// database on a read-only medium says so (and `ecrf audit verify` works there, see auditVerify.cli.test.ts).
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, openSync, closeSync, readFileSync, readdirSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../backend/db/migrations';
import { cliFixture, readOnlyMount, sqlite3, type CliFixture, type CliRun } from '../backend/testing/cli';
import { firstItem } from '../backend/testing/insider';

let f: CliFixture;
let base: string;

const ecrf = (args: string[], wrap?: string[]): Promise<CliRun> => f.ecrf(args, wrap ? { wrap } : {});
const ok = (args: string[]) => f.ok(args);
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const listing = (folder: string) => readdirSync(folder, { recursive: true }).map(String).sort();

function site(name: string): string {
  const to = join(f.dir, name);
  cpSync(base, to, { recursive: true });
  return join(to, 'site.db');
}

/** 256 bytes overwritten in the middle of the file (inside a b-tree page), as a failing disk or a bad copy leaves it. */
function overwrite256(file: string): void {
  const pages = Math.floor(statSync(file).size / 4096);
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(256, 0xa5), 0, 256, Math.floor(pages / 2) * 4096 + 100);
  closeSync(fd);
}

/** `ecrf serve` on the database (optionally wrapped), answering app.info and a login through the bridge, then stopped. */
async function serveAndAsk(db: string, wrap: string[] = []): Promise<{ started: Record<string, unknown>; info: Record<string, unknown>; login: Record<string, unknown>; stderr: string }> {
  const argv = [...wrap, process.execPath, f.cli, 'serve', '--db', db, '--json', '--port', '0'];
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
    });
    const started = JSON.parse(line) as { url: string; openUrl: string };
    const token = new URL(started.openUrl).hash.replace('#token=', '');
    const call = async (name: string, args: unknown) =>
      (await (
        await fetch(new URL(`/api/${name}`, started.url), {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-ecrf-token': token, 'x-ecrf-session': 'startup-test-session-1' },
          body: JSON.stringify(args),
        })
      ).json()) as Record<string, unknown>;
    return { started, info: await call('app.info', {}), login: await call('auth.login', { username: 'admin', password: 'demo-password-2026' }), stderr };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('close', resolve));
  }
}

beforeAll(async () => {
  f = await cliFixture();
  base = join(f.dir, 'base');
  await ok(['demo', '--subjects', '6', '--db', join(base, 'site.db')]);
}, 120_000);

afterAll(() => f?.cleanup());

describe('a database with 256 bytes overwritten', () => {
  it('opens read-only, names the last verified backup, refuses logins, saves and backups, changes nothing; restore brings it back', async () => {
    const db = site('damaged');
    await ok(['backup', 'now', '--db', db]);
    const backups = join(db, '..', 'backups');
    const [good] = readdirSync(backups).filter((n) => n.endsWith('.db'));
    expect(JSON.parse(readFileSync(join(backups, `${good}.verified.json`), 'utf8'))).toMatchObject({ ok: true });
    overwrite256(db);
    // quick_check lists what is wrong, or fails outright when the damage is in a page it must read first.
    const quick = (() => {
      try {
        return sqlite3(db, 'PRAGMA quick_check;');
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(quick).not.toBe('ok\n');
    const before = { sha: sha(db), files: listing(join(db, '..')) };

    const served = await serveAndAsk(db);
    expect(served.started.readOnly).toBe('damaged');
    const info = served.info as { ok: true; value: { readOnly: { kind: string; message: { zh: string; en: string }; lastGoodBackup: string } } };
    expect(info.value.readOnly).toMatchObject({ kind: 'damaged', lastGoodBackup: join(backups, good!) });
    expect(info.value.readOnly.message.en).toMatch(/^The database file is damaged \(quick_check: .+\)\. It is open read-only: nothing can be saved, and the damaged file is not backed up again\. Last verified backup: .+ecrf-backup-.+\.db\. Close the app and run ecrf backup restore --from/);
    expect(info.value.readOnly.message.zh).toContain('数据库文件已损坏');
    expect(served.login).toMatchObject({ ok: false, error: { code: 'READ_ONLY', message: { en: expect.stringContaining('damaged') } } });
    expect(served.stderr).toContain('The database file is damaged');

    const backup = await ecrf(['backup', 'now', '--db', db]);
    expect(backup.code).toBe(1);
    expect(backup.stderr).toContain('The database file is damaged (quick_check:');
    mkdirSync(join(f.dir, 'damaged-usb'));
    const exported = await ecrf(['export', '--db', db, '--out', join(f.dir, 'damaged-usb')]);
    expect(exported.code).toBe(1);
    expect(exported.stderr).toContain('It is open read-only');
    expect({ sha: sha(db), files: listing(join(db, '..')) }).toEqual(before);
    expect(readdirSync(join(f.dir, 'damaged-usb'))).toEqual([]);

    await ok(['backup', 'restore', '--from', join(backups, good!), '--db', db]);
    const verified = await ecrf(['audit', 'verify', '--db', db]);
    expect(verified.code, verified.stderr).toBe(0);
  }, 120_000);

  it('backups rotate, but the last verified one stays even when every newer one fails its check', async () => {
    const db = site('rotation');
    await ok(['backup', 'now', '--db', db]);
    const backups = join(db, '..', 'backups');
    const [good] = readdirSync(backups).filter((n) => n.endsWith('.db'));
    // From here every backup fails audit verify: a value changed behind the trail's back (quick_check still passes).
    const item = firstItem(db, 'VITALS', 'weightKg');
    sqlite3(db, `UPDATE item_values SET value = '99' WHERE form_id = ${item.formId} AND item_code = 'weightKg';
      INSERT OR REPLACE INTO settings (key, value) VALUES ('backup.keep', '3');`);
    for (let i = 0; i < 5; i++) {
      await ok(['backup', 'now', '--db', db]);
      await new Promise((r) => setTimeout(r, 1100)); // one backup per second of the clock: distinct names
    }
    const left = readdirSync(backups).filter((n) => n.endsWith('.db')).sort();
    expect(left).toHaveLength(4);
    expect(left[0]).toBe(good);
    const checks = left.map((n) => (JSON.parse(readFileSync(join(backups, `${n}.verified.json`), 'utf8')) as { ok: boolean; problems: string[] }));
    expect(checks.map((c) => c.ok)).toEqual([true, false, false, false]);
    expect(checks[3]!.problems[0]).toContain(`${item.screeningNo} SCR/VITALS#0 weightKg: the database holds "99"`);
    expect(readdirSync(backups).filter((n) => n.endsWith('.verified.json'))).toHaveLength(4);
  }, 120_000);
});

describe('a database written by a newer version', () => {
  it('is refused by every command that opens it for work, with not a byte of its folder changed', async () => {
    const db = site('newer');
    sqlite3(db, `PRAGMA journal_mode = DELETE; PRAGMA user_version = ${MIGRATIONS.length + 1};`);
    const folder = join(db, '..');
    const before = { sha: sha(db), files: listing(folder) };
    mkdirSync(join(f.dir, 'newer-usb'));
    for (const args of [['export', '--db', db, '--out', join(f.dir, 'newer-usb')], ['backup', 'now', '--db', db], ['serve', '--db', db, '--json'], ['keys', 'site-public', '--db', db]]) {
      const r = await ecrf(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stdout + r.stderr, args.join(' ')).toMatch(/written by a newer version of the eCRF \(schema \d+; this version knows up to \d+\)/);
      expect({ sha: sha(db), files: listing(folder) }, args.join(' ')).toEqual(before);
    }
  }, 60_000);
});

describe('a database on a read-only medium', () => {
  it('opens read-only in browser mode saying so, and refuses a backup or an export with the same words', async () => {
    const db = site('medium');
    const folder = join(db, '..');
    const served = await serveAndAsk(db, readOnlyMount(folder));
    expect(served.started.readOnly).toBe('read-only-medium');
    expect(served.info).toMatchObject({ ok: true, value: { readOnly: { kind: 'read-only-medium', message: { en: expect.stringMatching(/^The database is on a read-only medium, or its folder cannot be written \(read-only file system/) } } } });
    expect(served.login).toMatchObject({ ok: false, error: { code: 'READ_ONLY' } });
    for (const args of [['backup', 'now', '--db', db], ['keys', 'site-public', '--db', db]]) {
      const r = await ecrf(args, readOnlyMount(folder));
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toContain('The database is on a read-only medium');
      expect(r.stderr).not.toContain('unable to open database file');
    }
    const verified = await ecrf(['audit', 'verify', '--db', db], readOnlyMount(folder));
    expect(verified.code, verified.stderr).toBe(0);
    expect(existsSync(`${db}-wal`)).toBe(false);
  }, 60_000);
});

