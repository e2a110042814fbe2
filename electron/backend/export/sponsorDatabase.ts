// The sponsor's own SQLite database: bundles imported per site (sequence + hash chain), subjects,
// the latest state of every form and the site audit trail. Used only by `ecrf sponsor import`.
import Database from 'better-sqlite3-multiple-ciphers';
import { createHash } from 'node:crypto';

const SPONSOR_SCHEMA_VERSION = 2;

export function openSponsorDatabase(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('busy_timeout = 10000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SPONSOR_SCHEMA_VERSION) {
    db.close();
    throw new Error(`sponsor database ${file} was written by a newer version (schema ${version}) / 申办方数据库版本过新`);
  }
  // Two imports started at once on a new database: the schema is made (or upgraded) by one of them, inside a write
  // transaction that reads the version again, so the other finds it done.
  if (version < SPONSOR_SCHEMA_VERSION) db.transaction(() => upgradeSchema(db)).immediate();
  return db;
}

function upgradeSchema(db: Database.Database): void {
  if ((db.pragma('user_version', { simple: true }) as number) < 1) {
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
    for (const column of ['status_date', 'status_reason', 'status_note']) db.exec(`ALTER TABLE subjects ADD COLUMN ${column} TEXT`);
    db.pragma('user_version = 2');
  }
}

/** What the sponsor already holds from a site: the last bundle imported and the head of the audit rows received. */
export interface SponsorSiteState {
  lastSequence: number;
  lastSha256: string | null;
  /** SHA-256 of the last bundle's manifest.json as received (null for a bundle of format /1, kept parsed). */
  lastManifestSha256: string | null;
  head: { seq: number; hash: string } | null;
}

/** The manifest of a bundle is kept as received; its SHA-256 identifies the bundle whatever its file's header. */
export function manifestSha256(stored: string): string | null {
  try {
    if ((JSON.parse(stored) as { format?: string }).format === 'kunming-ln-ecrf-bundle/1') return null;
  } catch {
    return null;
  }
  return createHash('sha256').update(stored, 'utf8').digest('hex');
}

/** The SHA-256 of the manifest of bundle `sequence` of a site as it was imported, if it was. */
export function importedManifestSha256(db: Database.Database, site: string, sequence: number): string | null {
  const stored = db.prepare('SELECT manifest FROM imported_bundles WHERE site = ? AND sequence = ?').pluck().get(site, sequence) as string | undefined;
  return stored === undefined ? null : manifestSha256(stored);
}

export function sponsorSiteState(db: Database.Database, site: string): SponsorSiteState {
  const last = db
    .prepare('SELECT sequence, bundle_sha256, manifest FROM imported_bundles WHERE site = ? ORDER BY sequence DESC LIMIT 1')
    .get(site) as { sequence: number; bundle_sha256: string; manifest: string } | undefined;
  const head = db
    .prepare("SELECT seq, json_extract(row, '$.hash') AS hash FROM audit WHERE site = ? ORDER BY seq DESC LIMIT 1")
    .get(site) as { seq: number; hash: string } | undefined;
  return {
    lastSequence: last?.sequence ?? 0,
    lastSha256: last?.bundle_sha256 ?? null,
    lastManifestSha256: last ? manifestSha256(last.manifest) : null,
    head: head ?? null,
  };
}

/**
 * The hash of each audit row held for a site, looked up in increasing seq order (as a bundle's rows stream by):
 * read a page of 10,000 rows at a time, so a 3-million-row trail is compared in flat memory.
 */
export function heldAuditHashes(db: Database.Database, site: string): (seq: number) => string | undefined {
  const page = db.prepare("SELECT seq, json_extract(row, '$.hash') AS hash FROM audit WHERE site = ? AND seq >= ? ORDER BY seq LIMIT 10000");
  let rows = new Map<number, string>();
  let from = 0;
  let to = -1; // seqs in [from, to] have been looked at
  let exhausted = false;
  return (seq) => {
    if (seq < from) return undefined; // not asked for in increasing order: nothing to compare against
    if (seq > to && !exhausted) {
      const got = page.all(site, seq) as { seq: number; hash: string }[];
      rows = new Map(got.map((r) => [r.seq, r.hash]));
      from = seq;
      to = got.length ? got[got.length - 1]!.seq : seq;
      exhausted = got.length < 10000;
    }
    return rows.get(seq);
  };
}
