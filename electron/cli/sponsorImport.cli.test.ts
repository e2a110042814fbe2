// `ecrf sponsor import` as a sponsor runs it, on a bundle of a 300-subject demo study delivered damaged: a byte flipped
// at each sixteenth of the file and the file cut at each sixteenth. Every one exits non-zero with words that say the
// file is damaged, nothing is loaded, and no decrypted byte is left anywhere (the system temp folder is the child's own,
// checked empty). A byte flipped anywhere in the first 200 bytes (the encrypted session key) never blames the key.
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliFixture, type CliFixture } from '../backend/testing/cli';
import { importBundle } from '../backend/export/sponsorImport';
import { ImportRefused } from '../backend/export/importRefusal';

let f: CliFixture;
let bundle: string;
const paths = () => ({ key: join(f.dir, 'sponsor', 'sponsor.sec.asc'), trust: join(f.dir, 'site.pub.asc') });
const ecrf = (args: string[], options?: Parameters<CliFixture['ecrf']>[1]) => f.ecrf(args, options);
const ok = (args: string[]) => f.ok(args);

const importInto = (db: string, file: string) => ecrf(['sponsor', 'import', '--key', paths().key, '--trust', paths().trust, '--into', db, file]);

function bundlesIn(db: string): number {
  const s = new Database(db, { readonly: true });
  try {
    return s.prepare('SELECT COUNT(*) FROM imported_bundles').pluck().get() as number;
  } finally {
    s.close();
  }
}

beforeAll(async () => {
  f = await cliFixture(); // f.tmp: the child's system temp folder, checked empty after every import
  const site = join(f.dir, 'site', 'site.db');
  await ok(['sponsor', 'keygen', '--out', join(f.dir, 'sponsor')]);
  await ok(['demo', '--subjects', '300', '--db', site]);
  await ok(['keys', 'sponsor-install', '--db', site, join(f.dir, 'sponsor', 'sponsor.pub.asc')]);
  writeFileSync(paths().trust, (await ok(['keys', 'site-public', '--db', site])).stdout);
  mkdirSync(join(f.dir, 'usb'));
  const r = await ok(['export', '--db', site, '--out', join(f.dir, 'usb'), '--json']);
  bundle = (JSON.parse(r.stdout) as { path: string }).path;
}, 180_000);

afterAll(() => f?.cleanup());

describe('ecrf sponsor import of a damaged bundle (300 subjects)', () => {
  it('refuses a byte flipped at each sixteenth and a cut at each sixteenth: exit 2, "damaged", nothing loaded, nothing left', async () => {
    const bytes = readFileSync(bundle);
    expect(bytes.length).toBeGreaterThan(1_000_000);
    const cases: { name: string; bytes: Buffer }[] = [];
    for (let k = 0; k < 16; k++) {
      const flipped = Buffer.from(bytes);
      flipped[Math.floor((k * bytes.length) / 16)]! ^= 0x01;
      cases.push({ name: `flip-${k}`, bytes: flipped });
      cases.push({ name: `cut-${k}`, bytes: bytes.subarray(0, Math.floor((k * bytes.length) / 16)) });
    }
    const work = join(f.dir, 'damaged');
    mkdirSync(work);
    const sponsorDb = join(work, 'sponsor.db');
    const results: { name: string; run: Awaited<ReturnType<typeof ecrf>> }[] = [];
    for (let i = 0; i < cases.length; i += 2) {
      const pair = cases.slice(i, i + 2);
      for (const c of pair) writeFileSync(join(work, `${c.name}.tar.gpg`), c.bytes);
      const runs = await Promise.all(pair.map((c) => importInto(sponsorDb, join(work, `${c.name}.tar.gpg`))));
      pair.forEach((c, j) => results.push({ name: c.name, run: runs[j]! }));
    }
    for (const { name, run } of results) {
      expect({ name, code: run.code, stdout: run.stdout }).toEqual({ name, code: 2, stdout: '' });
      expect(run.stderr, name).toMatch(/^拒绝导入（数据包已损坏）：.+\nImport refused \(damaged\): (the file is damaged or was altered|the file is incomplete \(truncated\?\)|not an OpenPGP bundle, or its start is damaged)/);
    }
    expect(readdirSync(f.tmp)).toEqual([]);
    expect(readdirSync(work).filter((n) => !n.endsWith('.tar.gpg')).sort()).toEqual(['sponsor.db']);
    expect(bundlesIn(sponsorDb)).toBe(0);

    const good = await importInto(sponsorDb, bundle);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toMatch(/imported: KM01 bundle 1 \(full\), signature OK, all hashes OK, audit chain extends the previous head/);
    expect(bundlesIn(sponsorDb)).toBe(1);
    expect(readdirSync(f.tmp)).toEqual([]);
  }, 300_000);

  it('removes the plaintext an earlier version left in the temp folder, and writes none of its own', async () => {
    const legacy = join(f.tmp, 'ecrf-import-Ab12Cd');
    mkdirSync(legacy);
    writeFileSync(join(legacy, 'bundle.tar'), 'KM01-S001,1990-05-01 (decrypted, unauthenticated)');
    const work = join(f.dir, 'legacy');
    mkdirSync(work);
    const cut = join(work, 'cut.tar.gpg');
    copyFileSync(bundle, cut);
    writeFileSync(cut, readFileSync(bundle).subarray(0, 5000));
    const r = await importInto(join(work, 'sponsor.db'), cut);
    expect(r.code).toBe(2);
    expect(readdirSync(f.tmp)).toEqual([]);
  });
});

describe('an import killed while it loads (issue 14: the sponsor database keeps a rollback journal)', () => {
  it('leaves nothing loaded: the next open rolls the journal back, and the next import loads the bundle whole', async () => {
    const work = join(f.dir, 'killed');
    mkdirSync(work);
    const sponsorDb = join(work, 'sponsor.db');
    let killedInLoad = false;
    const run = await ecrf(['sponsor', 'import', '--key', paths().key, '--trust', paths().trust, '--into', sponsorDb, bundle], {
      onStart: (pid) => {
        // The load pass holds the journal from its first page written: kill the child then, mid-load.
        const timer = setInterval(() => {
          if (existsSync(`${sponsorDb}-journal`) && statSync(`${sponsorDb}-journal`).size > 0) {
            clearInterval(timer);
            killedInLoad = true;
            process.kill(pid, 'SIGKILL');
          }
        }, 5);
        setTimeout(() => clearInterval(timer), 120_000);
      },
    });
    expect(killedInLoad).toBe(true);
    expect(run.signal).toBe('SIGKILL');
    expect(existsSync(`${sponsorDb}-journal`)).toBe(true); // a hot journal: the load had written pages
    const s = new Database(sponsorDb); // a read-write open rolls the hot journal back
    try {
      expect(s.pragma('integrity_check', { simple: true })).toBe('ok');
      // Killed in the load, or (on a busy machine) already while the new file's schema was being made: either way the
      // journal takes everything back, so no table holds a row (and no table at all in the second case).
      const rows = (table: string) =>
        s.prepare('SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?').get('table', table) ? s.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() : 0;
      expect(rows('imported_bundles')).toBe(0);
      expect(rows('audit_rows')).toBe(0);
      expect(s.prepare("SELECT name FROM sqlite_master WHERE name IN ('lab', 'subjects', 'items')").all()).toEqual([]);
    } finally {
      s.close();
    }
    const again = await importInto(sponsorDb, bundle);
    expect(again.code, again.stderr).toBe(0);
    const t = new Database(sponsorDb, { readonly: true });
    try {
      expect(t.prepare('SELECT COUNT(*) FROM subjects').pluck().get()).toBe(300);
      expect(t.prepare('SELECT COUNT(*) FROM imported_bundles').pluck().get()).toBe(1);
    } finally {
      t.close();
    }
  }, 300_000);
});

describe('a byte flipped near the start of a bundle', () => {
  // The first ~100 bytes are the encrypted session key packet, which neither the MDC nor the signature covers. A flip
  // there is called damaged; where it changes nothing that is read (e.g. the bit count of the ephemeral key, which
  // rounds to the same 33 bytes) the content is still the site's, authenticated as ever, and is loaded: the bundle's
  // identity is its manifest, so the intact file is then recognised as the same bundle.
  it('is called damaged, never a wrong key, at every one of the first 200 bytes (or read unchanged)', async () => {
    // The header is the same whatever the study's size: a 2-subject bundle keeps the 200 imports quick.
    const small = join(f.dir, 'small');
    await ok(['demo', '--subjects', '2', '--db', join(small, 'site.db')]);
    await ok(['keys', 'sponsor-install', '--db', join(small, 'site.db'), join(f.dir, 'sponsor', 'sponsor.pub.asc')]);
    writeFileSync(join(small, 'site.pub.asc'), (await ok(['keys', 'site-public', '--db', join(small, 'site.db')])).stdout);
    mkdirSync(join(small, 'usb'));
    const smallBundle = (JSON.parse((await ok(['export', '--db', join(small, 'site.db'), '--out', join(small, 'usb'), '--json'])).stdout) as { path: string }).path;
    const bytes = readFileSync(smallBundle);
    const sponsorSecretKey = readFileSync(paths().key, 'utf8');
    const trustedSiteKey = readFileSync(join(small, 'site.pub.asc'), 'utf8');
    const work = join(f.dir, 'start');
    mkdirSync(work);
    const intoDb = join(work, 'sponsor.db');
    const accepted: number[] = [];
    for (let at = 0; at < 200; at++) {
      const flipped = Buffer.from(bytes);
      flipped[at]! ^= 0x01;
      const file = join(work, 'flipped.tar.gpg');
      writeFileSync(file, flipped);
      const outcome = await importBundle({ bundleFile: file, sponsorSecretKey, trustedSiteKey, intoDb }).then(
        (r) => `accepted ${r.status}`,
        (e: unknown) => (e instanceof ImportRefused ? `${e.kind}: ${e.bilingual.en.replace(/: .*/s, '')}` : `other: ${(e as Error).message}`),
      );
      if (outcome.startsWith('accepted')) accepted.push(at);
      expect(outcome, `byte ${at}`).toMatch(/^(damaged: Import refused \(damaged\)|accepted (imported|already-imported))$/);
    }
    expect(accepted.length).toBeLessThan(5);
    const intact = await importBundle({ bundleFile: smallBundle, sponsorSecretKey, trustedSiteKey, intoDb });
    expect(intact.status).toBe(accepted.length ? 'already-imported' : 'imported');
    expect(bundlesIn(intoDb)).toBe(1);
  }, 300_000);
});
