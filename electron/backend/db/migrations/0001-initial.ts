// Schema 1: users, subjects, visits, form instances with item values, drafts, settings and the
// append-only, hash-chained item-level audit trail.
import type { Migration } from './index';

export const migration0001Initial: Migration = {
  name: '0001-initial',
  up(db) {
    db.exec(`
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin','data_entry','investigator','monitor','pharmacist')),
        password_hash TEXT NOT NULL,
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        locked INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0,1)),
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
        created_at TEXT NOT NULL,
        password_changed_at TEXT NOT NULL
      );

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE subjects (
        id INTEGER PRIMARY KEY,
        screening_no TEXT NOT NULL UNIQUE,
        site TEXT NOT NULL,
        rand_no TEXT UNIQUE,
        kit_no TEXT,
        status TEXT NOT NULL DEFAULT 'screening'
          CHECK (status IN ('screening','screen_failed','randomised','completed','withdrawn')),
        created_at TEXT NOT NULL,
        created_by INTEGER NOT NULL REFERENCES users(id)
      );

      CREATE TABLE visits (
        subject_id INTEGER NOT NULL REFERENCES subjects(id),
        visit_code TEXT NOT NULL,
        visit_date TEXT,
        PRIMARY KEY (subject_id, visit_code)
      ) WITHOUT ROWID;

      CREATE TABLE form_instances (
        id INTEGER PRIMARY KEY,
        subject_id INTEGER NOT NULL REFERENCES subjects(id),
        visit_code TEXT NOT NULL,
        form_code TEXT NOT NULL,
        repeat_key INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL DEFAULT 'in_progress'
          CHECK (status IN ('in_progress','complete','verified','signed','locked')),
        version INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        created_by INTEGER NOT NULL REFERENCES users(id),
        updated_at TEXT NOT NULL,
        updated_by INTEGER NOT NULL REFERENCES users(id),
        UNIQUE (subject_id, visit_code, form_code, repeat_key)
      );
      CREATE INDEX form_instances_subject ON form_instances(subject_id);

      CREATE TABLE item_values (
        form_id INTEGER NOT NULL REFERENCES form_instances(id),
        item_code TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (form_id, item_code)
      ) WITHOUT ROWID;

      CREATE TABLE drafts (
        user_id INTEGER NOT NULL REFERENCES users(id),
        subject_id INTEGER NOT NULL REFERENCES subjects(id),
        visit_code TEXT NOT NULL,
        form_code TEXT NOT NULL,
        repeat_key INTEGER NOT NULL DEFAULT 0,
        data TEXT NOT NULL,
        saved_at TEXT NOT NULL,
        PRIMARY KEY (user_id, subject_id, visit_code, form_code, repeat_key)
      ) WITHOUT ROWID;

      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at_utc TEXT NOT NULL,
        at_local TEXT NOT NULL,
        user_id INTEGER,
        username TEXT,
        action TEXT NOT NULL,
        subject_id INTEGER,
        screening_no TEXT,
        visit_code TEXT,
        form_code TEXT,
        repeat_key INTEGER,
        item_code TEXT,
        old_value TEXT,
        new_value TEXT,
        reason TEXT,
        details TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE
      );
      CREATE INDEX audit_log_form ON audit_log(subject_id, visit_code, form_code, repeat_key);

      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE rejected'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: DELETE rejected'); END;
    `);
  },
};
