// Schema 3: GCP workflow: e-signatures, item-level SDV, data queries with their message thread, the sealed randomisation list.
import type { Migration } from './index';

export const migration0003Gcp: Migration = {
  name: '0003-gcp',
  up(db) {
    db.exec(`
      CREATE TABLE signatures (
        id INTEGER PRIMARY KEY,
        scope TEXT NOT NULL CHECK (scope IN ('form','visit','casebook')),
        subject_id INTEGER NOT NULL REFERENCES subjects(id),
        visit_code TEXT,
        form_code TEXT,
        repeat_key INTEGER,
        form_version INTEGER,
        user_id INTEGER NOT NULL REFERENCES users(id),
        username TEXT NOT NULL,
        display_name TEXT NOT NULL,
        meaning_zh TEXT NOT NULL,
        meaning_en TEXT NOT NULL,
        signed_at_utc TEXT NOT NULL,
        signed_at_local TEXT NOT NULL
      );
      CREATE INDEX signatures_subject ON signatures(subject_id);

      CREATE TABLE sdv_items (
        form_id INTEGER NOT NULL REFERENCES form_instances(id),
        item_code TEXT NOT NULL,
        value TEXT,
        verified_by INTEGER NOT NULL REFERENCES users(id),
        verified_at TEXT NOT NULL,
        PRIMARY KEY (form_id, item_code)
      ) WITHOUT ROWID;

      CREATE TABLE queries (
        id INTEGER PRIMARY KEY,
        subject_id INTEGER NOT NULL REFERENCES subjects(id),
        visit_code TEXT NOT NULL,
        form_code TEXT NOT NULL,
        repeat_key INTEGER NOT NULL DEFAULT 0,
        item_code TEXT NOT NULL,
        origin TEXT NOT NULL CHECK (origin IN ('auto','manual')),
        check_id TEXT,
        status TEXT NOT NULL CHECK (status IN ('open','answered','closed')),
        text_zh TEXT NOT NULL,
        text_en TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by INTEGER REFERENCES users(id),
        updated_at TEXT NOT NULL,
        CHECK ((origin = 'auto') = (check_id IS NOT NULL))
      );
      CREATE INDEX queries_form ON queries(subject_id, visit_code, form_code, repeat_key);
      CREATE INDEX queries_status ON queries(status);
      -- One open (not closed) automatic query per edit check and item.
      CREATE UNIQUE INDEX queries_one_open_auto ON queries(subject_id, visit_code, form_code, repeat_key, item_code, check_id)
        WHERE status <> 'closed' AND check_id IS NOT NULL;

      CREATE TABLE query_messages (
        id INTEGER PRIMARY KEY,
        query_id INTEGER NOT NULL REFERENCES queries(id),
        kind TEXT NOT NULL CHECK (kind IN ('raise','answer','close','reopen','auto_close')),
        text TEXT NOT NULL,
        user_id INTEGER REFERENCES users(id),
        username TEXT,
        at_utc TEXT NOT NULL
      );
      CREATE INDEX query_messages_query ON query_messages(query_id);

      CREATE TABLE randomisation_list (
        rand_no TEXT PRIMARY KEY,
        kit_no TEXT NOT NULL UNIQUE,
        block_no INTEGER NOT NULL,
        allocation TEXT NOT NULL CHECK (allocation IN ('MSC','PLACEBO')),
        subject_id INTEGER UNIQUE REFERENCES subjects(id),
        assigned_at TEXT
      ) WITHOUT ROWID;
    `);
  },
};
