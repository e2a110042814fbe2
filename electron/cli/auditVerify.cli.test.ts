// `ecrf audit verify` as a site runs it, against what an insider does to the database file with the sqlite3 shell
// (DESIGN.md section 7): a changed value, deleted rows at the end, a trail cut below the last export, a value and its
// audit row changed with the chain recomputed; and on a read-only copy. What an insider who also rewrites every counter
// the site keeps can still hide on the site alone is shown too, and that the sponsor then refuses the next bundle.
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliFixture, readOnlyMount, sqlite3, type CliFixture, type CliRun } from '../backend/testing/cli';
import { dropAuditTriggers, firstItem, rechainFrom, rewriteValueAndRechain } from '../backend/testing/insider';

let f: CliFixture;
let base: string;
let watermark: number;

const ecrf = (args: string[], wrap?: string[]): Promise<CliRun> => f.ecrf(args, wrap ? { wrap } : {});
const ok = (args: string[]) => f.ok(args);
const verify = (db: string, wrap?: string[]) => ecrf(['audit', 'verify', '--db', db], wrap);
const out = (r: CliRun) => r.stdout + r.stderr;
const scalar = (db: string, sql: string) => sqlite3(db, `${sql};`).trim();

/** A fresh copy of the base site (database and its backups folder) to attack. */
function site(name: string): string {
  const to = join(f.dir, name);
  cpSync(base, to, { recursive: true });
  return join(to, 'site.db');
}

beforeAll(async () => {
  f = await cliFixture();
  base = join(f.dir, 'base');
  const db = join(base, 'site.db');
  await ok(['sponsor', 'keygen', '--out', join(f.dir, 'sponsor')]);
  await ok(['demo', '--subjects', '6', '--db', db]);
  await ok(['keys', 'sponsor-install', '--db', db, join(f.dir, 'sponsor', 'sponsor.pub.asc')]);
  writeFileSync(join(f.dir, 'site.pub.asc'), (await ok(['keys', 'site-public', '--db', db])).stdout);
  mkdirSync(join(f.dir, 'usb'));
  await ok(['export', '--db', db, '--out', join(f.dir, 'usb')]);
  await ok(['backup', 'now', '--db', db]);
  watermark = Number(scalar(db, 'SELECT audit_watermark FROM export_bundles WHERE sequence = 1'));
}, 120_000);

afterAll(() => f?.cleanup());

describe('ecrf audit verify against an insider with sqlite3', () => {
  it('says OK for the untouched site, naming what it compared', async () => {
    const r = await verify(site('clean'));
    expect(r.code, out(r)).toBe(0);
    expect(r.stdout).toMatch(/^OK: \d+ rows, head [0-9a-f]{64}\n {2}data: \d+ forms, \d+ item values, 6 subjects = a replay of the trail/);
    expect(r.stdout).toMatch(/counters: audit_log sequence \d+, 1 export head\(s\), 1 backup head\(s\) agree/);
  });

  it('catches a value UPDATEd in item_values (no trigger stops it), naming the item and the row that set it', async () => {
    const db = site('value');
    const item = firstItem(db, 'VITALS', 'weightKg');
    sqlite3(db, `UPDATE item_values SET value = '99' WHERE form_id = ${item.formId} AND item_code = 'weightKg';`);
    const r = await verify(db);
    expect(r.code, out(r)).toBe(1);
    expect(r.stderr).toContain('BROKEN: 1 disagreement(s) between the data and the audit trail');
    expect(r.stderr).toContain(`${item.screeningNo} SCR/VITALS#0 weightKg: the database holds "99", the trail's replay gives ${JSON.stringify(item.value)} (last set by row ${item.seq})`);
    expect(r.stderr).toContain(`${item.screeningNo} SCR/VITALS#0 weightKg：数据库中为 "99"`);
  });

  it('catches the last 50 audit rows deleted (triggers dropped), and still when the insider also winds back the counter', async () => {
    const db = site('tail');
    const last = Number(scalar(db, 'SELECT MAX(seq) FROM audit_log'));
    dropAuditTriggers(db);
    sqlite3(db, `DELETE FROM audit_log WHERE seq > ${last - 50};`);
    const r = await verify(db);
    expect(r.code, out(r)).toBe(1);
    expect(r.stderr).toContain(`SQLite's sequence counter says ${last} rows were written, the trail ends at row ${last - 50}: rows ${last - 49}..${last} were deleted`);
    expect(r.stderr).toMatch(/backup .*ecrf-backup-\d{8}T\d{6}Z\.db covered rows up to \d+, but the trail ends at row \d+: it was cut short/);

    sqlite3(db, `UPDATE sqlite_sequence SET seq = ${last - 50} WHERE name = 'audit_log';`);
    rmSync(join(db, '..', 'backups'), { recursive: true });
    const again = await verify(db);
    expect(again.code, out(again)).toBe(1);
    expect(again.stderr).not.toContain('sequence counter');
    // The rows were the demo's last saves and the backup: the data they wrote are no longer explained by the trail.
    expect(again.stderr).toMatch(/the database holds .*, which no audit row wrote|the form is in the database but no audit row ever created it/);
  });

  it('catches the trail cut below the last export, even with the counter wound back and the backups gone', async () => {
    const db = site('cut');
    dropAuditTriggers(db);
    sqlite3(db, `DELETE FROM audit_log WHERE seq > ${watermark - 10}; UPDATE sqlite_sequence SET seq = ${watermark - 10} WHERE name = 'audit_log';`);
    rmSync(join(db, '..', 'backups'), { recursive: true });
    const r = await verify(db);
    expect(r.code, out(r)).toBe(1);
    expect(r.stderr).toContain(`export 1 covered rows up to ${watermark}, but the trail ends at row ${watermark - 10}: it was cut short`);
    expect(r.stderr).toContain(`第 1 号导出覆盖到第 ${watermark} 行，稽查轨迹却止于第 ${watermark - 10} 行`);
  });

  it('catches a value changed together with its audit row and the whole chain recomputed from it', async () => {
    const db = site('rechain');
    const item = firstItem(db, 'VITALS', 'weightKg');
    rewriteValueAndRechain(db, item, 'weightKg');
    const chainOnly = await ecrf(['audit', 'verify', '--db', db]);
    expect(chainOnly.code, out(chainOnly)).toBe(1);
    expect(chainOnly.stderr).not.toContain('BROKEN at row id'); // the chain itself is whole again
    expect(chainOnly.stderr).toContain(`row ${watermark} is not the row export 1 recorded: it or a row before it was rewritten`);
    expect(chainOnly.stderr).toMatch(/row \d+ is not the row backup .* recorded/);
  });
});

describe('an insider who rewrites every counter the site keeps', () => {
  it('is not caught by the site alone; the sponsor refuses the next bundle, naming the first rewritten row', async () => {
    const db = site('thorough');
    const item = firstItem(db, 'VITALS', 'weightKg');
    rewriteValueAndRechain(db, item, 'weightKg');
    // ... and the head the export recorded (its row and its audit row), the backup's audit row, and the backups.
    const headAt = (seq: number) => scalar(db, `SELECT hash FROM audit_log WHERE seq = ${seq}`);
    const exportRow = Number(scalar(db, "SELECT MIN(seq) FROM audit_log WHERE action = 'export'"));
    sqlite3(db, `UPDATE export_bundles SET audit_head_hash = '${headAt(watermark)}';
      UPDATE audit_log SET details = json_set(details, '$.auditHead', '${headAt(watermark)}') WHERE seq = ${exportRow};`);
    rechainFrom(db, exportRow);
    const backupRow = Number(scalar(db, "SELECT MIN(seq) FROM audit_log WHERE action = 'backup'"));
    sqlite3(db, `UPDATE audit_log SET details = json_set(details, '$.head.hash', '${headAt(backupRow - 1)}') WHERE seq = ${backupRow};`);
    rechainFrom(db, backupRow);
    rmSync(join(db, '..', 'backups'), { recursive: true });

    const onSite = await verify(db);
    expect(onSite.code, out(onSite)).toBe(0);

    const usb = join(f.dir, 'thorough', 'usb');
    mkdirSync(usb);
    const exported = await ok(['export', '--db', db, '--out', usb, '--json']);
    const second = (JSON.parse(exported.stdout) as { path: string; sequence: number });
    expect(second.sequence).toBe(2);
    const sponsorDb = join(f.dir, 'thorough', 'sponsor.db');
    const imp = (file: string) => ecrf(['sponsor', 'import', '--key', join(f.dir, 'sponsor', 'sponsor.sec.asc'), '--trust', join(f.dir, 'site.pub.asc'), '--into', sponsorDb, file]);
    const first = await imp(join(f.dir, 'usb', 'KM01-export-000001.tar.gpg'));
    expect(first.code, out(first)).toBe(0);
    const refused = await imp(second.path);
    expect(refused.code, out(refused)).toBe(7);
    expect(refused.stderr).toContain(`Import refused (fork): row ${item.seq} differs from row ${item.seq} received in an earlier bundle: the site's audit trail was rewritten from this row on`);
    const s = new Database(sponsorDb, { readonly: true });
    expect(s.prepare('SELECT COUNT(*) FROM imported_bundles').pluck().get()).toBe(1);
    expect(s.prepare("SELECT weightKg FROM vitals WHERE screening_no = ? AND visit_code = 'SCR'").pluck().get(item.screeningNo)).toBe(JSON.parse(item.value));
    s.close();

    // A "changes" bundle from the rewritten site is refused too: it continues from a head the sponsor never received.
    const changes = await ok(['export', '--db', db, '--out', usb, '--since-last', '--json']);
    const third = JSON.parse(changes.stdout) as { path: string };
    const gap = await imp(third.path);
    expect(gap.code, out(gap)).toBe(6);
  });
});

describe('ecrf audit verify on a read-only medium', () => {
  it('verifies a copy on a read-only mount (no -shm can be made there), and still catches a changed value', async () => {
    const clean = site('ro-clean');
    const r = await verify(clean, readOnlyMount(join(clean, '..')));
    expect(r.code, out(r)).toBe(0);
    expect(r.stdout).toMatch(/^OK: \d+ rows/);

    const db = site('ro-tampered');
    const item = firstItem(db, 'VITALS', 'weightKg');
    sqlite3(db, `UPDATE item_values SET value = '99' WHERE form_id = ${item.formId} AND item_code = 'weightKg';`);
    const t = await verify(db, readOnlyMount(join(db, '..')));
    expect(t.code, out(t)).toBe(1);
    expect(t.stderr).toContain(`${item.screeningNo} SCR/VITALS#0 weightKg: the database holds "99"`);
  });
});
