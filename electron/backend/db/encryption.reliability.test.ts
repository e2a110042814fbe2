// Encryption at rest: a plaintext database from an earlier version is encrypted once, in place, with its audit trail
// intact, and a SIGKILL at any moment of that leaves either the untouched plaintext or the finished encrypted file;
// the key file is its owner's only; the wrong key or no key opens nothing.
import Database from 'better-sqlite3-multiple-ciphers';
import { build } from 'esbuild';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditTrail, verifyAuditChain } from '../audit/auditTrail';
import { tempDir } from '../testing/tempDir';
import { openDatabase } from './connection';
import { isPlaintextDatabase, keyFilePath, keyFromFile, newDatabaseKey, openKeyed } from './encryption';
import { runMigrations } from './migrate';

const ROOT = resolve(__dirname, '../../..');
const ROUNDS = Number(process.env.RELIABILITY_KILLS ?? 16);
let dir: { dir: string; cleanup: () => void };
let master: string;
let childJs: string;
let auditRows = 0;
let auditHead = '';

/** A plaintext study database as an earlier version wrote it: the schema, 400 audit rows, ~24 MB so the copy takes a while. */
function plaintextStudy(file: string): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  runMigrations(db);
  const audit = new AuditTrail(db);
  db.transaction(() => {
    for (let i = 0; i < 400; i++) audit.append({ username: 'nurse', action: 'item.create', subjectId: 1, formCode: 'LAB', itemCode: `x${i}`, newValue: `"PATIENT-SECRET-${i}"` });
  })();
  db.exec('CREATE TABLE filler (b BLOB)');
  const insert = db.prepare('INSERT INTO filler VALUES (randomblob(65536))');
  db.transaction(() => {
    for (let i = 0; i < 360; i++) insert.run();
  })();
  const chain = verifyAuditChain(db);
  if (!chain.ok) throw new Error('fixture chain');
  auditRows = chain.rows;
  auditHead = chain.head;
  db.close();
}

beforeAll(async () => {
  dir = tempDir();
  master = join(dir.dir, 'master.db');
  plaintextStudy(master);
  mkdirSync(join(ROOT, '.cache/reliability'), { recursive: true });
  childJs = join(ROOT, '.cache/reliability', `encryptOnOpen-${process.pid}.cjs`);
  await build({ entryPoints: [join(__dirname, 'encryptOnOpen.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: childJs, external: ['better-sqlite3-multiple-ciphers'], logLevel: 'silent',
    define: { 'import.meta.url': '__importMetaUrl' }, banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" } });
});

afterAll(() => {
  dir?.cleanup();
  if (childJs) rmSync(childJs, { force: true });
});

function fresh(name: string): string {
  const file = join(dir.dir, name);
  for (const suffix of ['', '-wal', '-shm', '.key', '.encrypting']) rmSync(file + suffix, { force: true });
  copyFileSync(master, file);
  return file;
}

/** The state a file is in: plaintext and sound, or encrypted (with the key file) and sound; anything else fails. */
function soundState(file: string): 'plaintext' | 'encrypted' {
  if (isPlaintextDatabase(file)) {
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(verifyAuditChain(db)).toMatchObject({ ok: true, rows: auditRows, head: auditHead });
    } finally {
      db.close();
    }
    return 'plaintext';
  }
  const db = openKeyed(file, keyFromFile(file), { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const chain = verifyAuditChain(db);
    expect(chain.ok).toBe(true);
  } finally {
    db.close();
  }
  return 'encrypted';
}

describe('a plaintext database from an earlier version', () => {
  it('is encrypted once in place: no plaintext left in the file, the audit trail intact and extended by one row', () => {
    const file = fresh('once.db');
    expect(readFileSync(file).includes('PATIENT-SECRET-7')).toBe(true);
    const db = openDatabase(file);
    const chain = verifyAuditChain(db);
    expect(chain).toMatchObject({ ok: true, rows: auditRows + 1 });
    const last = db.prepare('SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { action: string; item_code: string; details: string };
    expect(last).toMatchObject({ action: 'settings', item_code: 'database.encryption' });
    expect(JSON.parse(last.details)).toMatchObject({ auditRowsBefore: auditRows, headBefore: auditHead });
    expect(db.prepare("SELECT new_value FROM audit_log WHERE item_code = 'x7'").pluck().get()).toBe('"PATIENT-SECRET-7"');
    db.close();
    for (const suffix of ['', '-wal']) if (existsSync(file + suffix)) expect(readFileSync(file + suffix).includes('PATIENT-SECRET'), suffix).toBe(false);
    expect(isPlaintextDatabase(file)).toBe(false);
    expect(statSync(keyFilePath(file)).mode & 0o777).toBe(0o600);
    expect(existsSync(`${file}.encrypting`)).toBe(false);
    // Opening again changes nothing more.
    const again = openDatabase(file);
    expect(verifyAuditChain(again).rows).toBe(auditRows + 1);
    again.close();
  });

  it(`a SIGKILL at any moment of the migration (${ROUNDS} rounds) leaves the plaintext untouched or the encrypted file finished`, async () => {
    const seen = { plaintext: 0, encrypted: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const file = fresh('killed.db');
      const waitMs = Math.round((round / ROUNDS) * 900);
      await new Promise<void>((done) => {
        const child = spawn(process.execPath, [childJs, file], { stdio: 'ignore' });
        const timer = setTimeout(() => child.kill('SIGKILL'), waitMs);
        child.once('exit', () => {
          clearTimeout(timer);
          done();
        });
      });
      seen[soundState(file)]++;
      // The next open finishes the job either way.
      const db = openDatabase(file);
      expect(verifyAuditChain(db).ok).toBe(true);
      expect(db.prepare("SELECT new_value FROM audit_log WHERE item_code = 'x399'").pluck().get()).toBe('"PATIENT-SECRET-399"');
      db.close();
      expect(isPlaintextDatabase(file)).toBe(false);
      expect(existsSync(`${file}.encrypting`)).toBe(false);
    }
    console.log(`migration kills: ${JSON.stringify(seen)}`);
    expect(seen.plaintext + seen.encrypted).toBe(ROUNDS);
  }, 300_000);

  it('a newer plaintext database is refused without a byte changed (not even encrypted)', () => {
    const file = fresh('newer.db');
    const raw = new Database(file);
    raw.pragma('user_version = 999');
    raw.close();
    const before = readFileSync(file);
    expect(() => openDatabase(file)).toThrow(/newer version/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});

describe('an encrypted database', () => {
  it('opens with nothing but its key: not with another key, not without one, not with the sqlite3 shell', () => {
    const file = fresh('keyed.db');
    openDatabase(file).close();
    expect(() => openKeyed(file, newDatabaseKey())).toThrow(/wrong database key/);
    expect(() => new Database(file, { readonly: true }).prepare('SELECT * FROM audit_log').all()).toThrow(/not a database/);
    const shell = spawnSync('sqlite3', [file, 'SELECT COUNT(*) FROM audit_log;'], { encoding: 'utf8' });
    if (shell.error === undefined) expect(shell.stdout + shell.stderr).toMatch(/not a database/);
    rmSync(keyFilePath(file));
    expect(() => openDatabase(file)).toThrow(/key file .* is missing/);
  });
});
