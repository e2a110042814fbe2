// Tests of backups, restore and audit verify on real SQLite files: online backup with timestamped names and pruning,
// folder checks, the API's admin-only access, a restore round trip, a corrupt or tampered backup refused with the
// database untouched, and `ecrf audit verify` finding the first tampered row of a copied database.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BackupStatus } from '../../../shared/api/calls/backup';
import type { SubjectSummary } from '../../../shared/api/calls/subjects';
import { GOOD_FORMS } from '../../../shared/protocol/testing/fixtures';
import { auditVerify } from '../../cli/commands/audit';
import { verifyAuditChain } from '../audit/auditTrail';
import { createBackend } from '../backend';
import { ok } from '../testing/apiResults';
import { testBackend, type TestBackend } from '../testing/fixtures';
import { keyFilePath, keyFromFile, openKeyed } from '../db/encryption';
import { BACKUP_NAME } from './backupService';
import { checkBackup, restoreBackup } from './backupRestore';

let tb: TestBackend | null = null;
afterEach(() => {
  tb?.cleanup();
  tb = null;
});

/** The database file of the current test (its key file is beside it). */
let studyFile = '';

async function withConsent() {
  tb = await testBackend();
  const t = tb;
  const admin = await t.login('admin', 'admin2');
  const nurse = await t.login('data_entry', 'nurse');
  studyFile = t.dbFile;
  const s = await ok<SubjectSummary>(t.call('subjects.create', {}, nurse.key));
  const key = { subjectId: s.id, visitCode: 'SCR', formCode: 'CONSENT', repeatKey: 0 };
  await ok(t.call('forms.save', { ...key, data: GOOD_FORMS.CONSENT.data, expectedVersion: 0, markComplete: true }, nurse.key));
  return { t, admin, nurse, key };
}

/** Opens a copy (backup, moved-aside file) with the study database's key: backups are encrypted with it. */
const tableCount = (file: string, sql: string) => {
  const db = openKeyed(file, keyFromFile(studyFile), { readonly: true });
  try {
    return db.prepare(sql).pluck().get();
  } finally {
    db.close();
  }
};

describe('backups', () => {
  it('backup.now writes a timestamped copy in <data dir>/backups, records it and audits it; status shows it', async () => {
    const { t, admin } = await withConsent();
    const info = await ok<{ file: string; sizeBytes: number; trigger: string }>(t.call('backup.now', {}, admin.key));
    expect(info.file.startsWith(join(t.dir, 'backups'))).toBe(true);
    expect(BACKUP_NAME.test(info.file.split('/').at(-1)!)).toBe(true);
    expect(info.trigger).toBe('manual');
    expect(info.sizeBytes).toBeGreaterThan(0);
    expect(checkBackup(info.file, keyFromFile(t.dbFile)).rows).toBeGreaterThan(0);
    expect(tableCount(info.file, "SELECT COUNT(*) FROM item_values")).toBe(4);
    const st = await ok<BackupStatus>(t.call('backup.status', {}, admin.key));
    expect(st).toMatchObject({ folder: join(t.dir, 'backups'), defaultFolder: true, intervalHours: 4, keep: 30, files: 1, last: { file: info.file } });
    expect(t.backend.services.db.prepare("SELECT COUNT(*) FROM audit_log WHERE action = 'backup'").pluck().get()).toBe(1);
    expect(verifyAuditChain(t.backend.services.db).ok).toBe(true);
  });

  it('keeps only the newest N backups; two in the same second get distinct names', async () => {
    const { t, admin } = await withConsent();
    t.backend.services.db.prepare("INSERT INTO settings (key, value) VALUES ('backup.keep', '3')").run();
    for (let i = 0; i < 5; i++) await ok(t.call('backup.now', {}, admin.key));
    const files = readdirSync(join(t.dir, 'backups')).filter((n) => BACKUP_NAME.test(n));
    expect(files).toHaveLength(3);
    // the newest three survive: the last one taken is among them
    const last = (t.backend.services.backup.status().last!.file).split('/').at(-1)!;
    expect(files).toContain(last);
    expect(t.backend.services.backup.listBackups()[0]).toBe(last);
    expect(readdirSync(join(t.dir, 'backups')).some((n) => n.endsWith('.partial'))).toBe(false);
  });

  it('setFolder refuses a missing or relative folder and non-admins; a good folder is used and audited', async () => {
    const { t, admin, nurse } = await withConsent();
    const missing = await t.call('backup.setFolder', { folder: join(t.dir, 'nope'), intervalHours: 4 }, admin.key);
    expect(missing).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect((missing as { error: { message: { zh: string } } }).error.message.zh).toContain('不存在');
    expect(await t.call('backup.setFolder', { folder: 'relative/dir', intervalHours: 4 }, admin.key)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await t.call('backup.setFolder', { folder: t.dir, intervalHours: 4 }, nurse.key)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await t.call('backup.now', {}, nurse.key)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const folder = join(t.dir, 'usb');
    mkdirSync(folder);
    const st = await ok<BackupStatus>(t.call('backup.setFolder', { folder, intervalHours: 2 }, admin.key));
    expect(st).toMatchObject({ folder, intervalHours: 2, defaultFolder: false });
    const info = await ok<{ file: string }>(t.call('backup.now', {}, admin.key));
    expect(info.file.startsWith(folder)).toBe(true);
    expect(t.backend.services.db.prepare("SELECT new_value FROM audit_log WHERE action = 'settings' AND item_code = 'backup'").pluck().get()).toContain('usb');
  });

  it('the schedule backs up every intervalHours; status shows when the next one is due', async () => {
    const { t, admin } = await withConsent();
    mkdirSync(join(t.dir, 'every-2h'), { recursive: true });
    await ok(t.call('backup.setFolder', { folder: join(t.dir, 'every-2h'), intervalHours: 2 }, admin.key));
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const service = t.backend.services.backup;
      service.startSchedule();
      expect(service.status().nextDueUtc).toBeNull(); // no backup yet to count from
      vi.advanceTimersByTime(2 * 3_600_000 - 1);
      expect(service.listBackups()).toHaveLength(0);
      vi.advanceTimersByTime(1);
      await vi.waitFor(() => expect(service.status().last?.trigger).toBe('scheduled'), { timeout: 5000 });
      const st = service.status();
      expect(Date.parse(st.nextDueUtc!) - Date.parse(st.last!.atUtc)).toBe(2 * 3_600_000);
      service.stopSchedule();
      vi.advanceTimersByTime(10 * 3_600_000);
      expect(service.listBackups()).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('backupAtExit writes an exit backup and never throws when the folder has gone', async () => {
    const { t, admin } = await withConsent();
    const info = await t.backend.services.backup.backupAtExit();
    expect(info?.trigger).toBe('exit');
    const folder = join(t.dir, 'gone');
    mkdirSync(folder);
    await ok(t.call('backup.setFolder', { folder, intervalHours: 4 }, admin.key));
    (await import('node:fs')).rmSync(folder, { recursive: true });
    expect(await t.backend.services.backup.backupAtExit()).toBeNull();
  });
});

describe('restore', () => {
  it('round trip: data, backup, change, restore: the data is back, the old file kept aside, restore audited, chain OK', async () => {
    const { t, admin, nurse, key } = await withConsent();
    const info = await ok<{ file: string }>(t.call('backup.now', {}, admin.key));
    await ok(t.call('forms.save', { ...key, data: { ...GOOD_FORMS.CONSENT.data, consentVersion: 'V3.0' }, expectedVersion: 1, markComplete: true, reason: 'wrong version' }, nurse.key));
    t.backend.close();
    const r = restoreBackup(info.file, t.dbFile, 'cli:test');
    expect(r.movedAside).toMatch(/study\.db\.before-restore-\d{8}T\d{6}Z$/);
    expect(existsSync(r.movedAside!)).toBe(true);
    expect(tableCount(r.movedAside!, "SELECT value FROM item_values WHERE item_code = 'consentVersion'")).toBe('"V3.0"');
    expect(tableCount(t.dbFile, "SELECT value FROM item_values WHERE item_code = 'consentVersion'")).toBe('"V2.0"');
    expect(tableCount(t.dbFile, "SELECT COUNT(*) FROM audit_log WHERE action = 'restore'")).toBe(1);
    expect(auditVerify(t.dbFile)).toMatchObject({ exitCode: 0, line: expect.stringMatching(/^OK: \d+ rows, head [0-9a-f]{64}$/) });
    // the restored file opens as a normal study database
    const reopened = createBackend({ dbFile: t.dbFile, transport: 'browser', appVersion: 'test' });
    expect(reopened.services.forms.repo.casebook(key.subjectId)[0]!.data.consentVersion).toBe('V2.0');
    reopened.close();
  });

  it('a corrupt backup is refused and the database is untouched', async () => {
    const { t, admin } = await withConsent();
    const info = await ok<{ file: string }>(t.call('backup.now', {}, admin.key));
    const bytes = readFileSync(info.file);
    for (let i = 4096; i < bytes.length; i += 97) bytes[i] = bytes[i]! ^ 0xff;
    const corrupt = join(t.dir, 'corrupt.db');
    writeFileSync(corrupt, bytes);
    writeFileSync(join(t.dir, 'text.db'), 'not a database at all');
    const before = readFileSync(t.dbFile);
    expect(() => restoreBackup(corrupt, t.dbFile, 'cli:test')).toThrow(/damaged|not a valid database|broken/);
    expect(() => restoreBackup(join(t.dir, 'text.db'), t.dbFile, 'cli:test')).toThrow(/not a valid database/);
    expect(() => restoreBackup(join(t.dir, 'missing.db'), t.dbFile, 'cli:test')).toThrow(/not found/);
    expect(readFileSync(t.dbFile).equals(before)).toBe(true);
    expect(readdirSync(t.dir).some((n) => n.includes('before-restore'))).toBe(false);
  });

  it('a backup whose audit trail was tampered with is refused', async () => {
    const { t, admin } = await withConsent();
    const info = await ok<{ file: string }>(t.call('backup.now', {}, admin.key));
    const tampered = tamperedCopy(info.file, join(t.dir, 'tampered.db'), 3);
    expect(() => restoreBackup(tampered, t.dbFile, 'cli:test')).toThrow(/audit trail is broken at row 3/);
  });

  it('refuses while the app has the database open (even idle) or is writing; the file stays in place', async () => {
    const { t, admin } = await withConsent();
    const info = await ok<{ file: string }>(t.call('backup.now', {}, admin.key));
    expect(() => restoreBackup(info.file, t.dbFile, 'cli:test')).toThrow(/in use/);
    const db = t.backend.services.db;
    db.exec('BEGIN IMMEDIATE');
    try {
      expect(() => restoreBackup(info.file, t.dbFile, 'cli:test')).toThrow(/in use/);
    } finally {
      db.exec('ROLLBACK');
    }
    expect(readdirSync(t.dir).some((n) => n.includes('before-restore'))).toBe(false);
  });
});

/** A copy of `file` with audit row `seq` altered (the append-only triggers are dropped in the copy first). */
function tamperedCopy(file: string, copy: string, seq: number): string {
  copyFileSync(file, copy);
  copyFileSync(keyFilePath(studyFile), keyFilePath(copy));
  const db = openKeyed(copy, keyFromFile(studyFile));
  for (const name of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'").pluck().all() as string[]) {
    db.exec(`DROP TRIGGER "${name}"`);
  }
  db.prepare("UPDATE audit_log SET new_value = '\"forged\"' WHERE seq = ?").run(seq);
  db.close();
  return copy;
}

describe('ecrf audit verify', () => {
  it('reports OK with the row count and head, then BROKEN at the first tampered row of a copy', async () => {
    const { t } = await withConsent();
    const rows = t.backend.services.db.prepare('SELECT COUNT(*) FROM audit_log').pluck().get() as number;
    const head = t.backend.services.db.prepare('SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1').pluck().get() as string;
    expect(auditVerify(t.dbFile)).toEqual({ exitCode: 0, line: `OK: ${rows} rows, head ${head}` });
    t.backend.services.db.pragma('wal_checkpoint(TRUNCATE)');
    const copy = tamperedCopy(t.dbFile, join(t.dir, 'copy.db'), 5);
    expect(auditVerify(copy)).toEqual({ exitCode: 1, line: 'BROKEN at row id 5: row 5 was altered (content hash mismatch)' });
    expect(auditVerify(join(t.dir, 'missing.db')).exitCode).toBe(2);
  });
});
