// Schema: a subject's study status as a person records it (issue 16): a "created in error" status for a number made
// by mistake, and the date, reason code and note of the last change (the audit trail keeps every change). SQLite
// cannot widen a CHECK in place, so the table is rebuilt (same ids; runs with foreign keys off, checked before commit).
import type { Migration } from './index';

export const migration0008SubjectStatus: Migration = {
  name: '0008-subject-status',
  foreignKeysOff: true,
  up(db) {
    db.exec(`
      CREATE TABLE subjects_new (
        id INTEGER PRIMARY KEY,
        screening_no TEXT NOT NULL UNIQUE,
        site TEXT NOT NULL,
        rand_no TEXT UNIQUE,
        kit_no TEXT,
        status TEXT NOT NULL DEFAULT 'screening'
          CHECK (status IN ('screening','screen_failed','randomised','completed','withdrawn','created_in_error')),
        created_at TEXT NOT NULL,
        created_by INTEGER NOT NULL REFERENCES users(id),
        status_date TEXT,
        status_reason TEXT,
        status_note TEXT
      );
      INSERT INTO subjects_new (id, screening_no, site, rand_no, kit_no, status, created_at, created_by)
        SELECT id, screening_no, site, rand_no, kit_no, status, created_at, created_by FROM subjects;
      DROP TABLE subjects;
      ALTER TABLE subjects_new RENAME TO subjects;
    `);
  },
};
