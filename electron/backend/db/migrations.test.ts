// Each migration against a fresh database: applies, records user_version, and a newer database is refused.
import Database from 'better-sqlite3-multiple-ciphers';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './connection';
import { DatabaseTooNewError, MigrationFailedError, currentVersion, latestVersion, runMigrations } from './migrate';
import { MIGRATIONS } from './migrations';
import { tempDir } from '../testing/tempDir';
import { AuditTrail, verifyAuditChain } from '../audit/auditTrail';
import { AuditViewService } from '../gcp/auditView';

let cleanup: () => void = () => {};
afterEach(() => cleanup());

function freshFile(): string {
  const t = tempDir();
  cleanup = t.cleanup;
  return join(t.dir, 'db.sqlite');
}

describe('connection', () => {
  it('opens with WAL, synchronous=FULL and foreign keys on', () => {
    const db = openDatabase(freshFile());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(currentVersion(db)).toBe(latestVersion());
    db.close();
  });

  it('refuses a database written by a newer version, without changing it', () => {
    const file = freshFile();
    const raw = new Database(file);
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    expect(() => openDatabase(file)).toThrow(DatabaseTooNewError);
    const check = new Database(file);
    expect(check.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length + 1);
    expect(check.prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").pluck().get()).toBe(0);
    check.close();
  });
});

describe('a migration that fails', () => {
  it('names its step in both languages and leaves the database at the schema before it (a development build numbered the export-integrity step otherwise)', () => {
    const file = freshFile();
    const step = MIGRATIONS.findIndex((m) => m.name.endsWith('export-integrity')) + 1;
    expect(step).toBeGreaterThan(1);
    // A database at the schema before that step that already has one of its columns: the step cannot run.
    const raw = new Database(file);
    runMigrations(raw);
    raw.pragma(`user_version = ${step - 1}`);
    raw.exec('ALTER TABLE export_bundles DROP COLUMN audit_trail_rows');
    let error: unknown;
    try {
      runMigrations(raw);
    } catch (e) {
      error = e;
    }
    raw.close();
    expect(error).toBeInstanceOf(MigrationFailedError);
    const message = (error as Error).message;
    expect(message).toContain(MIGRATIONS[step - 1]!.name);
    expect(message).toContain('duplicate column name');
    expect(message).toContain(`the database is at schema ${step - 1}`);
    expect(message).toContain(`数据库仍为结构版本 ${step - 1}`);
    const check = new Database(file);
    expect(check.pragma('user_version', { simple: true })).toBe(step - 1);
    expect((check.pragma('table_info(export_bundles)') as { name: string }[]).map((c) => c.name)).not.toContain('audit_trail_rows');
    check.close();
  });
});

describe('migration 0001-initial', () => {
  it('creates the tables and sets user_version 1', () => {
    const db = new Database(freshFile());
    runMigrations(db, 1);
    expect(currentVersion(db)).toBe(1);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(
      expect.arrayContaining(['users', 'settings', 'subjects', 'visits', 'form_instances', 'item_values', 'drafts', 'audit_log']),
    );
    db.close();
  });

  it('makes the audit table append-only', () => {
    const db = new Database(freshFile());
    runMigrations(db, 1);
    db.prepare(
      "INSERT INTO audit_log (at_utc, at_local, action, prev_hash, hash) VALUES ('t', 'l', 'login', 'p', 'h')",
    ).run();
    expect(() => db.prepare("UPDATE audit_log SET action = 'x'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(db.prepare('SELECT action FROM audit_log').pluck().get()).toBe('login');
    db.close();
  });

  it('enforces foreign keys and status values', () => {
    const db = openDatabase(freshFile());
    expect(() =>
      db
        .prepare("INSERT INTO subjects (screening_no, site, created_at, created_by) VALUES ('KM01-S001', 'KM01', 't', 999)")
        .run(),
    ).toThrow(/FOREIGN KEY/);
    expect(() =>
      db
        .prepare("INSERT INTO users (username, display_name, role, password_hash, created_at, password_changed_at) VALUES ('a','a','king','h','t','t')")
        .run(),
    ).toThrow(/CHECK/);
    db.close();
  });

  it('is re-runnable: a second open applies nothing', () => {
    const file = freshFile();
    openDatabase(file).close();
    const db = openDatabase(file);
    expect(currentVersion(db)).toBe(latestVersion());
    db.close();
  });
});

describe('migration 0006-pharmacy-part (amendment 1, rule 4)', () => {
  /** A schema-5 database with one INFUSION saved before the amendment, holding the pharmacy's values, audited. */
  function beforeAmendment(file: string): Database.Database {
    const db = new Database(file);
    runMigrations(db, MIGRATIONS.findIndex((m) => m.name === '0006-pharmacy-part'));
    db.prepare("INSERT INTO users (id, username, display_name, role, password_hash, created_at, password_changed_at) VALUES (1, 'nurse', 'n', 'data_entry', 'x', 't', 't')").run();
    db.prepare("INSERT INTO subjects (id, screening_no, site, rand_no, kit_no, status, created_at, created_by) VALUES (1, 'KM01-S001', 'KM01', 'R001', 'K0007', 'randomised', 't', 1)").run();
    const formId = Number(
      db.prepare("INSERT INTO form_instances (subject_id, visit_code, form_code, repeat_key, status, version, created_at, created_by, updated_at, updated_by) VALUES (1, 'D0', 'INFUSION', 0, 'complete', 1, 't', 1, 't', 1)").run().lastInsertRowid,
    );
    const old = { infusionDate: '2024-01-20', kitNo: 'K0007', productLot: 'L2401', cellsInBag: 100, viabilityPercent: 92.5, volumeMl: 100 };
    const audit = new AuditTrail(db);
    for (const [item, value] of Object.entries(old)) {
      db.prepare('INSERT INTO item_values (form_id, item_code, value) VALUES (?, ?, ?)').run(formId, item, JSON.stringify(value));
      audit.append({ userId: 1, username: 'nurse', action: 'item.create', subjectId: 1, screeningNo: 'KM01-S001', visitCode: 'D0', formCode: 'INFUSION', repeatKey: 0, itemCode: item, newValue: JSON.stringify(value) });
    }
    return db;
  }

  it('moves the pharmacy values into a PHARM form of the visit, audited with the reason, the chain intact', () => {
    const db = beforeAmendment(freshFile());
    runMigrations(db);
    const values = (form: string) =>
      Object.fromEntries(
        (db.prepare("SELECT v.item_code, v.value FROM item_values v JOIN form_instances f ON f.id = v.form_id WHERE f.form_code = ?").all(form) as { item_code: string; value: string }[]).map((r) => [r.item_code, JSON.parse(r.value)]),
      );
    expect(values('INFUSION')).toEqual({ infusionDate: '2024-01-20', kitNo: 'K0007', volumeMl: 100 });
    expect(values('PHARM')).toEqual({ kitNo: 'K0007', preparedDate: '2024-01-20', productLot: 'L2401', cellsInBag: 100, viabilityPercent: 92.5 });
    expect(db.prepare("SELECT status, version FROM form_instances WHERE form_code = 'PHARM'").get()).toEqual({ status: 'in_progress', version: 1 });
    expect(db.prepare("SELECT version FROM form_instances WHERE form_code = 'INFUSION'").pluck().get()).toBe(2);
    const rows = db.prepare("SELECT form_code, action, item_code, reason, details FROM audit_log WHERE username = 'migration' ORDER BY seq").all() as { form_code: string; action: string; item_code: string | null; reason: string; details: string | null }[];
    expect(rows.map((r) => `${r.form_code} ${r.action} ${r.item_code ?? ''}`)).toEqual([
      'INFUSION item.clear productLot',
      'INFUSION item.clear cellsInBag',
      'INFUSION item.clear viabilityPercent',
      'PHARM item.create kitNo',
      'PHARM item.create preparedDate',
      'PHARM item.create productLot',
      'PHARM item.create cellsInBag',
      'PHARM item.create viabilityPercent',
      'PHARM form.status ',
    ]);
    expect(rows.every((r) => r.reason.includes('Amendment 1'))).toBe(true);
    // Rows a blinded export redacts carry a nonce, so their exported hash tests no guess (issue 12).
    expect(rows.filter((r) => r.item_code === 'cellsInBag').every((r) => JSON.parse(r.details!).nonce)).toBe(true);
    expect(verifyAuditChain(db).ok).toBe(true);
    // A blinded monitor reading the INFUSION's history sees none of the old pharmacy rows (nor their values), only
    // that some were withheld; the pharmacist sees them.
    const key = { subjectId: 1, visitCode: 'D0' as const, formCode: 'INFUSION' as const, repeatKey: 0 };
    const monitor = new AuditViewService(db).forForm(key, { id: 9, username: 'm', displayName: 'm', role: 'monitor' });
    expect(monitor.withheld).toBe(6); // created and cleared: product lot, cells, viability
    expect(JSON.stringify(monitor.rows)).not.toMatch(/L2401|92\.5|cellsInBag/);
    expect(new AuditViewService(db).forForm(key, { id: 8, username: 'p', displayName: 'p', role: 'pharmacist' }).withheld).toBe(0);
    db.close();
  });

  it('a database without such an INFUSION is left as it was (no audit rows)', () => {
    const db = new Database(freshFile());
    runMigrations(db);
    expect(db.prepare('SELECT COUNT(*) FROM audit_log').pluck().get()).toBe(0);
    db.close();
  });
});

describe('migration 0008-subject-status', () => {
  const at = MIGRATIONS.findIndex((m) => m.name === '0008-subject-status') + 1;

  it('keeps every subject and the rows that refer to it, and takes the new status, date and reason', () => {
    const db = new Database(freshFile());
    db.pragma('foreign_keys = ON');
    runMigrations(db, at - 1);
    db.exec(`
      INSERT INTO users (id, username, display_name, role, password_hash, created_at, password_changed_at) VALUES (1, 'n', 'n', 'data_entry', 'h', 't', 't');
      INSERT INTO subjects (id, screening_no, site, rand_no, status, created_at, created_by) VALUES (7, 'KM01-S001', 'KM01', 'R001', 'randomised', 't', 1), (9, 'KM01-S002', 'KM01', NULL, 'screening', 't', 1);
      INSERT INTO visits (subject_id, visit_code, visit_date) VALUES (7, 'D0', '2026-05-11');
      INSERT INTO form_instances (subject_id, visit_code, form_code, created_at, created_by, updated_at, updated_by) VALUES (7, 'SCR', 'CONSENT', 't', 1, 't', 1);
    `);
    expect(() => db.prepare("UPDATE subjects SET status = 'created_in_error' WHERE id = 9").run()).toThrow(/CHECK/);
    runMigrations(db, at);
    expect(currentVersion(db)).toBe(at);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.prepare('SELECT id, screening_no, rand_no, status FROM subjects ORDER BY id').all()).toEqual([
      { id: 7, screening_no: 'KM01-S001', rand_no: 'R001', status: 'randomised' },
      { id: 9, screening_no: 'KM01-S002', rand_no: null, status: 'screening' },
    ]);
    db.prepare("UPDATE subjects SET status = 'created_in_error', status_date = '2026-05-12', status_reason = 'created_in_error', status_note = 'typo' WHERE id = 9").run();
    expect(() => db.prepare("UPDATE subjects SET status = 'lost' WHERE id = 9").run()).toThrow(/CHECK/);
    // The references still point at the rebuilt table, and are still enforced.
    expect(() => db.prepare('DELETE FROM subjects WHERE id = 7').run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("INSERT INTO visits (subject_id, visit_code) VALUES (99, 'D7')").run()).toThrow(/FOREIGN KEY/);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });
});
