// The sponsor's own SQLite database: bundles imported per site (sequence + hash chain), subjects,
// the latest state of every form and the site audit trail. Used only by `ecrf sponsor import`.
import Database from 'better-sqlite3-multiple-ciphers';

const SPONSOR_SCHEMA_VERSION = 2;

export function openSponsorDatabase(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SPONSOR_SCHEMA_VERSION) {
    db.close();
    throw new Error(`sponsor database ${file} was written by a newer version (schema ${version}) / 申办方数据库版本过新`);
  }
  if (version < 1) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS imported_bundles (
        site TEXT NOT NULL,
        sequence INTEGER NOT NULL,
        bundle_sha256 TEXT NOT NULL UNIQUE,
        previous_sha256 TEXT,
        scope TEXT NOT NULL,
        site_key TEXT NOT NULL,
        created_utc TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        manifest TEXT NOT NULL,
        PRIMARY KEY (site, sequence)
      );
      CREATE TABLE IF NOT EXISTS subjects (
        site TEXT NOT NULL,
        screening_no TEXT NOT NULL,
        rand_no TEXT,
        kit_no TEXT,
        status TEXT NOT NULL,
        created_at TEXT NOT NULL,
        source_sequence INTEGER NOT NULL,
        PRIMARY KEY (site, screening_no)
      );
      CREATE TABLE IF NOT EXISTS forms (
        site TEXT NOT NULL,
        screening_no TEXT NOT NULL,
        visit_code TEXT NOT NULL,
        form_code TEXT NOT NULL,
        repeat_key INTEGER NOT NULL,
        status TEXT NOT NULL,
        version INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        data TEXT NOT NULL,
        source_sequence INTEGER NOT NULL,
        PRIMARY KEY (site, screening_no, visit_code, form_code, repeat_key)
      );
      CREATE TABLE IF NOT EXISTS audit (
        site TEXT NOT NULL,
        seq INTEGER NOT NULL,
        row TEXT NOT NULL,
        source_sequence INTEGER NOT NULL,
        PRIMARY KEY (site, seq)
      );
    `);
    db.pragma('user_version = 1');
  }
  if ((db.pragma('user_version', { simple: true }) as number) < 2) {
    // Schema 2: the date, reason code and note of a subject's last status change (screen failure, withdrawal, …).
    db.transaction(() => {
      for (const column of ['status_date', 'status_reason', 'status_note']) db.exec(`ALTER TABLE subjects ADD COLUMN ${column} TEXT`);
      db.pragma('user_version = 2');
    })();
  }
  return db;
}
