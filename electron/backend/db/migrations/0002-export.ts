// Schema 2: sponsor bundle exports: the site and sponsor OpenPGP keys and one row per bundle written
// (sequence number, audit watermark, bundle hash), which gives "changes since last export" and the hash chain.
import type { Migration } from './index';

export const migration0002Export: Migration = {
  name: '0002-export',
  up(db) {
    db.exec(`
      CREATE TABLE export_keys (
        role TEXT PRIMARY KEY CHECK (role IN ('site','sponsor')),
        fingerprint TEXT NOT NULL,
        public_key TEXT NOT NULL,
        private_key TEXT,
        user_id TEXT NOT NULL,
        installed_at TEXT NOT NULL,
        CHECK ((role = 'site') = (private_key IS NOT NULL))
      ) WITHOUT ROWID;

      CREATE TABLE export_bundles (
        sequence INTEGER PRIMARY KEY,
        site TEXT NOT NULL,
        scope TEXT NOT NULL CHECK (scope IN ('full','changes')),
        from_audit_seq INTEGER NOT NULL,
        audit_watermark INTEGER NOT NULL,
        file_name TEXT NOT NULL,
        bundle_sha256 TEXT NOT NULL UNIQUE,
        prev_bundle_sha256 TEXT,
        sponsor_fingerprint TEXT NOT NULL,
        counts TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by INTEGER REFERENCES users(id)
      );
    `);
  },
};
