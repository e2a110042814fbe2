// Sponsor bundles end to end on real SQLite files: export via the API, open with plain gpg + sha256sum,
// validate the ODM with xmllint, import with the sponsor CLI code, and reject tampered, foreign, truncated,
// replayed and skipped bundles with clear messages.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import * as openpgp from 'openpgp';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../audit/auditTrail';
import { testBackend, type TestBackend } from '../testing/fixtures';
import { generateKeyPair } from './pgpKeys';
import { importBundle } from './sponsorImport';

const XSD = '/work/shared/standards/odm-1.3.2/ODM1-3-2.xsd';
let t: TestBackend;
afterEach(() => t?.cleanup());

let sponsor: { publicKey: string; privateKey: string; fingerprint: string };
let stranger: { publicKey: string; privateKey: string; fingerprint: string };
beforeAll(async () => {
  sponsor = await generateKeyPair('Sponsor DM', 'dm@sponsor.example.org');
  stranger = await generateKeyPair('Someone else', 'x@other.example.org');
});

const consent = { consentDate: '2026-03-02', consentVersion: 'V2.0', signedBy: 'patient', copyGiven: true };
const vitals = { assessmentDate: '2026-03-02', heightCm: 160, weightKg: 55, temperatureC: 36.6, heartRate: 78, systolicBp: 122, diastolicBp: 78 };
const key = (subjectId: number, formCode: string, visitCode = 'SCR', repeatKey = 0) => ({ subjectId, visitCode, formCode, repeatKey });

async function siteWithData(subjects = 2) {
  t = await testBackend();
  const { key: nurse } = await t.login('data_entry', 'nurse');
  const { key: admin } = await t.login('admin', 'admin1');
  const { key: monitor } = await t.login('monitor', 'monitor1');
  for (let i = 0; i < subjects; i++) {
    const created = await t.call('subjects.create', {}, nurse);
    const id = (created as { value: { id: number } }).value.id;
    expect(await t.call('forms.save', { ...key(id, 'CONSENT'), data: consent, expectedVersion: 0, markComplete: true }, nurse)).toMatchObject({ ok: true });
    expect(await t.call('forms.save', { ...key(id, 'VITALS'), data: vitals, expectedVersion: 0, markComplete: true }, nurse)).toMatchObject({ ok: true });
  }
  const installed = await t.call('export.installSponsorKey', { armoredKey: sponsor.publicKey }, admin);
  expect(installed).toMatchObject({ ok: true, value: { fingerprint: sponsor.fingerprint } });
  const out = join(t.dir, 'usb');
  mkdirSync(out);
  return { nurse, admin, monitor, out };
}

async function exportNow(monitor: string, out: string, scope: 'full' | 'changes' = 'full') {
  const r = await t.call('export.create', { scope, outDir: out }, monitor);
  if (!r.ok) throw new Error(r.error.message.en);
  return r.value as { path: string; sha256: string; sequence: number; counts: { forms: number; items: number; subjects: number; auditRows: number } };
}

async function sitePublicKey(admin: string): Promise<string> {
  const r = await t.call('export.sitePublicKey', {}, admin);
  if (!r.ok) throw new Error(r.error.message.en);
  return (r.value as { armoredKey: string }).armoredKey;
}

function gpg(home: string, args: string[], input?: Buffer) {
  return spawnSync('gpg', ['--homedir', home, '--batch', '--yes', '--no-tty', ...args], { input, encoding: 'buffer' });
}

describe('sponsor bundle', () => {
  it('opens with plain gpg: signature verified, tar extracts, sha256sum -c passes, ODM validates', async () => {
    const { admin, monitor, out } = await siteWithData();
    const bundle = await exportNow(monitor, out);
    expect(bundle.sequence).toBe(1);
    expect(readdirSync(out)).toEqual(['KM01-export-000001.tar.gpg']);
    expect(bundle.counts).toMatchObject({ subjects: 2, forms: 4 });

    const home = join(t.dir, 'gnupg');
    mkdirSync(home, { mode: 0o700 });
    writeFileSync(join(t.dir, 'sponsor.sec.asc'), sponsor.privateKey);
    writeFileSync(join(t.dir, 'site.pub.asc'), await sitePublicKey(admin));
    expect(gpg(home, ['--import', join(t.dir, 'sponsor.sec.asc')]).status).toBe(0);
    expect(gpg(home, ['--import', join(t.dir, 'site.pub.asc')]).status).toBe(0);
    const dec = gpg(home, ['--status-fd', '2', '--output', join(t.dir, 'bundle.tar'), '--decrypt', bundle.path]);
    const status = dec.stderr.toString();
    expect(dec.status, status).toBe(0);
    expect(status).toMatch(/\[GNUPG:\] GOODSIG/);
    expect(status).toMatch(/\[GNUPG:\] DECRYPTION_OKAY/);

    const x = join(t.dir, 'x');
    mkdirSync(x);
    execFileSync('tar', ['-xf', join(t.dir, 'bundle.tar'), '-C', x]);
    const folder = join(x, 'KM01-export-000001');
    const check = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: folder, encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain('odm.xml: OK');
    expect(check.stdout).toContain('forms/VITALS.csv: OK');

    const lint = spawnSync('xmllint', ['--noout', '--schema', XSD, join(folder, 'odm.xml')], { encoding: 'utf8' });
    expect(lint.status, lint.stderr).toBe(0);
    const odm = readFileSync(join(folder, 'odm.xml'), 'utf8');
    expect(odm).toContain('ItemOID="IT.VITALS.weightKg" Value="55"');
    expect(odm).toContain('<AuditRecord>');

    const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ site: 'KM01', sequence: 1, previousBundleSha256: null, scope: 'full', counts: { forms: 4 } });
    expect(manifest.created.local).toMatch(/\+08:00$/);
    const vitalsCsv = readFileSync(join(folder, 'forms/VITALS.csv'), 'utf8');
    expect(vitalsCsv.split('\n')[0]).toContain('weightKg');
    expect(vitalsCsv.trim().split('\n')).toHaveLength(3);
    expect(readFileSync(join(folder, 'dictionary.csv'), 'utf8')).toContain('体重');
  });

  it('is audited, and "changes since last" carries only what changed, chained to the previous bundle', async () => {
    const { nurse, monitor, out } = await siteWithData();
    const first = await exportNow(monitor, out);
    const db = t.backend.services.db;
    const row = db.prepare("SELECT * FROM audit_log WHERE action = 'export'").get() as { details: string; username: string; new_value: string };
    expect(row.username).toBe('monitor1');
    expect(row.new_value).toBe(first.sha256);
    expect(JSON.parse(row.details)).toMatchObject({ sequence: 1, scope: 'full', sha256: first.sha256, counts: { forms: 4 } });
    expect(verifyAuditChain(db).ok).toBe(true);

    const empty = await exportNow(monitor, out, 'changes');
    expect(empty.counts.forms).toBe(0);
    expect(await t.call('forms.save', { ...key(1, 'VITALS'), data: { ...vitals, weightKg: 56 }, expectedVersion: 1, reason: 'scale recalibrated', markComplete: true }, nurse)).toMatchObject({ ok: true });
    // A screen failure recorded with its date, reason and note travels with the subject (issue 16).
    expect(await t.call('subjects.changeStatus', { subjectId: 2, to: 'screen_failed', date: '2026-03-05', reason: 'other', note: '搬离本市' }, nurse)).toMatchObject({ ok: true });
    const third = await exportNow(monitor, out, 'changes');
    expect(third).toMatchObject({ sequence: 3, counts: { forms: 1, subjects: 2 } });

    const sponsorDb = join(t.dir, 'sponsor.db');
    const site = (await t.call('export.sitePublicKey', {}, monitor)) as { ok: true; value: { armoredKey: string } };
    const imp = (p: string) => importBundle({ bundleFile: p, sponsorSecretKey: sponsor.privateKey, trustedSiteKey: site.value.armoredKey, intoDb: sponsorDb });
    expect(await imp(first.path)).toMatchObject({ status: 'imported', sequence: 1, forms: 4 });
    expect(await imp(empty.path)).toMatchObject({ status: 'imported', sequence: 2, forms: 0 });
    expect(await imp(third.path)).toMatchObject({ status: 'imported', sequence: 3, forms: 1 });
    const s = new Database(sponsorDb, { readonly: true });
    expect(s.prepare("SELECT weightKg FROM vitals WHERE screening_no = 'KM01-S001'").pluck().get()).toBe(56);
    expect(s.prepare("SELECT status, status_date, status_reason, status_note FROM subjects WHERE screening_no = 'KM01-S002'").get()).toEqual({
      status: 'screen_failed',
      status_date: '2026-03-05',
      status_reason: 'other',
      status_note: '搬离本市',
    });
    expect(s.prepare('SELECT COUNT(*) FROM imported_bundles').pluck().get()).toBe(3);
    s.close();
  });

  it('imports idempotently and refuses replays, gaps, tampering, a wrong key and truncation', async () => {
    const { nurse, admin, monitor, out } = await siteWithData(1);
    const b1 = await exportNow(monitor, out);
    expect(await t.call('forms.save', { ...key(1, 'VITALS'), data: { ...vitals, heartRate: 80 }, expectedVersion: 1, reason: 'recount', markComplete: true }, nurse)).toMatchObject({ ok: true });
    const b2 = await exportNow(monitor, out, 'changes');
    const b3 = await exportNow(monitor, out, 'changes');
    const siteKey = await sitePublicKey(admin);
    const sponsorDb = join(t.dir, 'sponsor.db');
    const imp = (p: string, secret = sponsor.privateKey) => importBundle({ bundleFile: p, sponsorSecretKey: secret, trustedSiteKey: siteKey, intoDb: sponsorDb });

    await expect(imp(b2.path)).rejects.toThrow(/Import refused \(gap\): bundle\(s\) 1\.\.1/);
    expect(await imp(b1.path)).toMatchObject({ status: 'imported', sequence: 1 });
    const dump = () => {
      const s = new Database(sponsorDb, { readonly: true });
      const r = { forms: s.prepare('SELECT * FROM vitals ORDER BY 1,2,3,4').all(), audit: s.prepare('SELECT COUNT(*) FROM audit_rows').pluck().get(), bundles: s.prepare('SELECT COUNT(*) FROM imported_bundles').pluck().get() };
      s.close();
      return r;
    };
    const before = dump();
    expect(await imp(b1.path)).toMatchObject({ status: 'already-imported', sequence: 1 });
    expect(dump()).toEqual(before);
    await expect(imp(b3.path)).rejects.toThrow(/Import refused \(gap\): bundle\(s\) 2\.\.2/);

    const bytes = readFileSync(b2.path);
    const flipped = Buffer.from(bytes);
    flipped[Math.floor(flipped.length / 2)]! ^= 0x01;
    writeFileSync(join(t.dir, 'flipped.tar.gpg'), flipped);
    await expect(imp(join(t.dir, 'flipped.tar.gpg'))).rejects.toThrow(/Import refused \(damaged\): the file is damaged or was altered/);
    writeFileSync(join(t.dir, 'truncated.tar.gpg'), bytes.subarray(0, bytes.length - 40));
    await expect(imp(join(t.dir, 'truncated.tar.gpg'))).rejects.toThrow(/Import refused \(damaged\): the file is incomplete \(truncated\?\)/);
    await expect(imp(b2.path, stranger.privateKey)).rejects.toThrow(/Import refused \(wrong key\): the bundle is not encrypted to this sponsor key/);
    await expect(
      importBundle({ bundleFile: b2.path, sponsorSecretKey: sponsor.privateKey, trustedSiteKey: stranger.publicKey, intoDb: sponsorDb }),
    ).rejects.toThrow(/Import refused \(wrong site\): the bundle is signed by key [0-9A-F]{16}, not by the trusted site key/);
    // The same content encrypted to the sponsor by someone without the site key (unsigned): read to the end, its MDC
    // holds, so it is no damage: it is not from the site.
    const plain = await openpgp.decrypt({
      message: await openpgp.readMessage({ binaryMessage: bytes }),
      decryptionKeys: await openpgp.readPrivateKey({ armoredKey: sponsor.privateKey }),
      format: 'binary',
    });
    const unsigned = await openpgp.encrypt({
      message: await openpgp.createMessage({ binary: plain.data }),
      encryptionKeys: await openpgp.readKey({ armoredKey: sponsor.publicKey }),
      format: 'binary',
    });
    writeFileSync(join(t.dir, 'unsigned.tar.gpg'), unsigned);
    await expect(imp(join(t.dir, 'unsigned.tar.gpg'))).rejects.toThrow(/Import refused \(wrong site\): the bundle carries no site signature/);
    expect(dump()).toEqual(before);

    expect(await imp(b2.path)).toMatchObject({ status: 'imported', sequence: 2 });
    expect(await imp(b3.path)).toMatchObject({ status: 'imported', sequence: 3 });
    await expect(imp(b1.path)).resolves.toMatchObject({ status: 'already-imported' });
    // A site database restored from an old backup writes a different bundle 2 again: refused as a replay.
    t.backend.services.db.prepare('DELETE FROM export_bundles WHERE sequence >= 2').run();
    const again = await exportNow(monitor, out, 'full');
    expect(again.sequence).toBe(2);
    await expect(imp(again.path)).rejects.toThrow(/Import refused \(replay\): bundle 2 of site KM01/);
    expect((await imp(b3.path)).status).toBe('already-imported');
  });

  it('refuses a missing or unwritable folder and a missing sponsor key, bilingually, writing nothing', async () => {
    t = await testBackend();
    const { key: admin } = await t.login('admin', 'admin1');
    const { key: monitor } = await t.login('monitor', 'mon1');
    const noKey = await t.call('export.create', { scope: 'full', outDir: t.dir }, monitor);
    expect(noKey).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: { zh: expect.stringContaining('申办方公钥') } } });
    await t.call('export.installSponsorKey', { armoredKey: sponsor.publicKey }, admin);
    const missing = await t.call('export.create', { scope: 'full', outDir: join(t.dir, 'nope') }, monitor);
    expect(missing).toMatchObject({ ok: false, error: { message: { zh: expect.stringContaining('不存在'), en: expect.stringContaining('does not exist') } } });
    expect(await t.call('export.installSponsorKey', { armoredKey: sponsor.publicKey }, monitor)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await t.call('export.installSponsorKey', { armoredKey: sponsor.privateKey }, admin)).toMatchObject({ ok: false, error: { message: { en: expect.stringContaining('secret key') } } });
    expect(await t.call('export.installSponsorKey', { armoredKey: 'hello' }, admin)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(t.backend.services.db.prepare('SELECT COUNT(*) FROM export_bundles').pluck().get()).toBe(0);
  });
});
