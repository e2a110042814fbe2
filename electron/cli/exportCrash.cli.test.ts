// `ecrf export` as a monitor runs it, killed (SIGKILL, as a power cut would) at each step: no plaintext anywhere, the
// work folder and the stick's hidden .partial are cleaned up at the next start; a crash after the site recorded the
// bundle publishes it at the next start (or, if its file is lost, withdraws the record so no number is skipped); and a
// test export to another key never takes a sequence number. Crashes are placed with ECRF_FAULT (backend/faults.ts).
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliFixture, sqlite3, type CliFixture } from '../backend/testing/cli';

let f: CliFixture;
let base: string;
const ok = (args: string[]) => f.ok(args);
const sponsorKeys = () => ['--key', join(f.dir, 'sponsor', 'sponsor.sec.asc'), '--trust', join(f.dir, 'site.pub.asc')];

function site(name: string): { db: string; usb: string; data: string } {
  const to = join(f.dir, name);
  cpSync(base, to, { recursive: true });
  mkdirSync(join(to, 'usb'));
  return { db: join(to, 'site.db'), usb: join(to, 'usb'), data: to };
}

/** Every file below a folder, with its bytes. */
function filesBelow(folder: string): { path: string; bytes: Buffer }[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => ({ path: join(e.parentPath, e.name), bytes: readFileSync(join(e.parentPath, e.name)) }));
}

/** Words that are in every export's plaintext (CSV headers, ODM, the audit lines, screening numbers). */
const PLAINTEXT = ['KM01-S001', 'screening_no', '<ODM', '"action":', 'weightKg'];
const plaintextIn = (files: { path: string; bytes: Buffer }[]) =>
  files.filter((x) => PLAINTEXT.some((w) => x.bytes.includes(Buffer.from(w)))).map((x) => x.path);

const exportTo = (s: { db: string; usb: string }, env: Record<string, string> = {}, extra: string[] = []) =>
  f.ecrf(['export', '--db', s.db, '--out', s.usb, '--json', ...extra], { env });
const sequences = (db: string) => sqlite3(db, 'SELECT sequence || \':\' || (published_at IS NOT NULL) FROM export_bundles ORDER BY sequence;').trim();

beforeAll(async () => {
  f = await cliFixture();
  base = join(f.dir, 'base');
  const db = join(base, 'site.db');
  await ok(['sponsor', 'keygen', '--out', join(f.dir, 'sponsor')]);
  await ok(['sponsor', 'keygen', '--out', join(f.dir, 'other'), '--name', 'Test recipient']);
  await ok(['demo', '--subjects', '20', '--db', db]);
  await ok(['keys', 'sponsor-install', '--db', db, join(f.dir, 'sponsor', 'sponsor.pub.asc')]);
  writeFileSync(join(f.dir, 'site.pub.asc'), (await ok(['keys', 'site-public', '--db', db])).stdout);
}, 120_000);

afterAll(() => f?.cleanup());

describe('ecrf export killed', () => {
  it.each(['export.files-written', 'export.packing'])('at %s leaves no plaintext anywhere; the next start removes its work folder and .partial', async (fault) => {
    const s = site(`kill-${fault}`);
    const killed = await exportTo(s, { ECRF_FAULT: fault });
    expect(killed.signal).toBe('SIGKILL');
    expect(readdirSync(f.tmp)).toEqual([]);
    const work = readdirSync(s.data).filter((n) => n.startsWith('.ecrf-export-'));
    expect(work).toHaveLength(1);
    const left = [...filesBelow(join(s.data, work[0]!)), ...filesBelow(s.usb)];
    expect(left.length).toBeGreaterThan(1);
    expect(plaintextIn(left)).toEqual([]);
    if (fault === 'export.packing') expect(readdirSync(s.usb)).toEqual([expect.stringMatching(/^\.KM01-export-000001\.tar\.gpg\.[0-9a-f]{8}\.partial$/)]);

    await ok(['backup', 'now', '--db', s.db]); // any start of the back end
    expect(readdirSync(s.data).filter((n) => n.startsWith('.ecrf-export-'))).toEqual([]);
    expect(readdirSync(s.usb)).toEqual([]);
    const again = await exportTo(s);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ sequence: 1 });
    expect(readdirSync(s.data).filter((n) => n.startsWith('.ecrf-export-'))).toEqual([]);
    expect(readdirSync(f.tmp)).toEqual([]);
  }, 120_000);

  it('by SIGKILL as soon as it has temp files (no crash point): no plaintext anywhere, cleaned at the next start', async () => {
    const s = site('kill-plain');
    const tempFiles = () => [
      ...readdirSync(f.tmp).map((n) => join(f.tmp, n)),
      ...readdirSync(s.data).filter((n) => n.startsWith('.ecrf-export-')).map((n) => join(s.data, n)),
    ].filter((d) => filesBelow(d).length > 1);
    let watching: NodeJS.Timeout | undefined;
    const killed = await f.ecrf(['export', '--db', s.db, '--out', s.usb], {
      onStart: (pid) => {
        watching = setInterval(() => {
          if (tempFiles().length) {
            clearInterval(watching);
            process.kill(pid, 'SIGKILL');
          }
        }, 2);
      },
    });
    clearInterval(watching);
    expect(killed.signal).toBe('SIGKILL');
    const left = [...filesBelow(f.tmp), ...filesBelow(s.data).filter((x) => x.path.includes('.ecrf-export-')), ...filesBelow(s.usb)];
    expect(left.length).toBeGreaterThan(0);
    expect(plaintextIn(left)).toEqual([]);
    expect(readdirSync(f.tmp)).toEqual([]);
    await ok(['backup', 'now', '--db', s.db]);
    expect(readdirSync(s.data).filter((n) => n.startsWith('.ecrf-export-'))).toEqual([]);
    expect(readdirSync(s.usb)).toEqual([]);
  }, 120_000);

  it.each(['SIGTERM', 'SIGINT'])('by %s while packing: exits 130 having removed its work folder and the .partial itself', async (signal) => {
    const s = site(`signal-${signal}`);
    const r = await exportTo(s, { ECRF_FAULT: `export.packing:${signal}` });
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('export interrupted');
    expect(readdirSync(s.data).filter((n) => n.startsWith('.ecrf-export-'))).toEqual([]);
    expect(readdirSync(s.usb)).toEqual([]);
    expect(readdirSync(f.tmp)).toEqual([]);
    expect(sequences(s.db)).toBe('');
  }, 120_000);

  it('between the record and the move onto the stick: no bundle appears until the next start publishes it; the sponsor takes 1 then 2', async () => {
    const s = site('recorded');
    const killed = await exportTo(s, { ECRF_FAULT: 'export.recorded' });
    expect(killed.signal).toBe('SIGKILL');
    expect(readdirSync(s.usb)).toEqual([expect.stringMatching(/^\.KM01-export-000001\.tar\.gpg\.[0-9a-f]{8}\.partial$/)]);
    expect(sequences(s.db)).toBe('1:0');

    await ok(['keys', 'site-public', '--db', s.db]); // the next start
    expect(readdirSync(s.usb)).toEqual(['KM01-export-000001.tar.gpg']);
    expect(sequences(s.db)).toBe('1:1');
    const second = await exportTo(s);
    expect(JSON.parse(second.stdout)).toMatchObject({ sequence: 2 });
    const sponsorDb = join(s.data, 'sponsor.db');
    for (const n of ['000001', '000002']) {
      const r = await f.ecrf(['sponsor', 'import', ...sponsorKeys(), '--into', sponsorDb, join(s.usb, `KM01-export-${n}.tar.gpg`)]);
      expect(r.code, r.stderr).toBe(0);
    }
    const verified = await f.ecrf(['audit', 'verify', '--db', s.db]);
    expect(verified.code, verified.stderr).toBe(0);
  }, 120_000);

  it('after the move but before it was marked published: the next start marks it; a lost .partial is withdrawn, its number used again', async () => {
    const s = site('published');
    expect((await exportTo(s, { ECRF_FAULT: 'export.published' })).signal).toBe('SIGKILL');
    expect(readdirSync(s.usb)).toEqual(['KM01-export-000001.tar.gpg']);
    await ok(['backup', 'now', '--db', s.db]);
    expect(sequences(s.db)).toBe('1:1');

    const lost = site('lost');
    expect((await exportTo(lost, { ECRF_FAULT: 'export.recorded' })).signal).toBe('SIGKILL');
    for (const n of readdirSync(lost.usb)) rmSync(join(lost.usb, n)); // the stick was pulled and lost
    const next = await exportTo(lost);
    expect(next.code, next.stderr).toBe(0);
    expect(JSON.parse(next.stdout)).toMatchObject({ sequence: 1 });
    expect(sqlite3(lost.db, "SELECT json_extract(details, '$.event') FROM audit_log WHERE action = 'export' AND json_extract(details, '$.event') IS NOT NULL;").trim()).toBe('voided');
    const r = await f.ecrf(['sponsor', 'import', ...sponsorKeys(), '--into', join(lost.data, 'sponsor.db'), join(lost.usb, 'KM01-export-000001.tar.gpg')]);
    expect(r.code, r.stderr).toBe(0);
  }, 120_000);
});

describe('ecrf export --sponsor-key OTHER', () => {
  it('is a test export: marked TEST, no sequence number taken, never loaded; the real sponsor sees no gap', async () => {
    const s = site('test-export');
    const test = await exportTo(s, {}, ['--sponsor-key', join(f.dir, 'other', 'sponsor.pub.asc')]);
    expect(test.code, test.stderr).toBe(0);
    const t = JSON.parse(test.stdout) as { path: string; sequence: number; test: boolean };
    expect(t).toMatchObject({ sequence: 1, test: true, fileName: expect.stringMatching(/^KM01-export-000001-TEST-\d{8}T\d{6}Z\.tar\.gpg$/) });
    expect(sequences(s.db)).toBe('');

    const real = await exportTo(s);
    expect(JSON.parse(real.stdout)).toMatchObject({ sequence: 1, test: false });
    const sponsorDb = join(s.data, 'sponsor.db');
    const imported = await f.ecrf(['sponsor', 'import', ...sponsorKeys(), '--into', sponsorDb, join(s.usb, 'KM01-export-000001.tar.gpg')]);
    expect(imported.code, imported.stderr).toBe(0);
    const wrongKey = await f.ecrf(['sponsor', 'import', ...sponsorKeys(), '--into', sponsorDb, t.path]);
    expect(wrongKey.code).toBe(3);
    expect(wrongKey.stderr).toContain('Import refused (wrong key): the bundle is not encrypted to this sponsor key');
    const asJson = await f.ecrf(['sponsor', 'import', ...sponsorKeys(), '--into', sponsorDb, '--json', t.path]);
    expect(asJson.code).toBe(3);
    expect(JSON.parse(asJson.stdout)).toMatchObject({ status: 'refused', kind: 'wrong-key', exitCode: 3, message: { zh: expect.stringContaining('拒绝导入（密钥不符）') } });
    const otherKeys = ['--key', join(f.dir, 'other', 'sponsor.sec.asc'), '--trust', join(f.dir, 'site.pub.asc')];
    const atOther = await f.ecrf(['sponsor', 'import', ...otherKeys, '--into', join(s.data, 'other.db'), t.path]);
    expect(atOther.code, atOther.stderr).toBe(0);
    expect(atOther.stdout).toContain('TEST bundle: signature, hashes and audit chain verified; not loaded');
    expect(sqlite3(join(s.data, 'other.db'), 'SELECT COUNT(*) FROM imported_bundles;').trim()).toBe('0');
  }, 120_000);
});
