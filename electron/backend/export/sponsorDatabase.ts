// The sponsor's own SQLite database, made for analysts (issue 14). Used by `ecrf sponsor import` and `ecrf sponsor report`.
//
// Stored:
// - imported_bundles: every bundle loaded, per site (sequence + manifest, whose hash the next bundle names);
// - dictionary, code_lists: one row per column of every table (label zh/en, type, unit, code list, formula of a derived
//   value, rules version) and one per code of every code list, as the latest bundle described them;
// - one table per form (`lab`, `response`, …): one row per form instance, one typed column per item, its missing-value
//   reason (`<item>__missing`) and derived value, keyed by site, screening_no, visit_code, repeat_key;
// - subjects and the workflow tables (queries, query_messages, sdv, signatures, subject_status, unblinding);
// - audit_rows: the site's audit trail, compactly (hash as 32 bytes; prev_hash only where a bundle begins, the rest is
//   the hash of the row before, which the import checked).
// Views: `items` (the long item table: site, screening_no, visit_code, form_code, repeat_key, item, value,
// missing_reason), `derived_values` (the same for derived values, with the rules version) and `audit_trail` (the
// audit rows as the site has them, hashes in hex).
//
// The per-form and workflow tables are made from the dictionary a bundle brings (format /3; for /2 the app's own), so a
// form that gains an item gains a column; nothing is ever dropped.
import Database from 'better-sqlite3-multiple-ciphers';
import { createHash } from 'node:crypto';
import { GENESIS_HASH } from '../audit/auditTrail';

export const SPONSOR_SCHEMA_VERSION = 3;

export function openSponsorDatabase(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('busy_timeout = 10000');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SPONSOR_SCHEMA_VERSION) {
    db.close();
    throw new Error(`sponsor database ${file} was written by a newer version (schema ${version}) / 申办方数据库版本过新`);
  }
  if (version > 0 && version < 3) {
    db.close();
    throw new Error(
      `申办方数据库 ${file} 为旧格式（第 ${version} 版，表单存为 JSON）：请将已收到的数据包按顺序导入一个新的数据库 / ` +
        `sponsor database ${file} is of the old layout (schema ${version}, forms as JSON blobs): import the bundles received so far, in order, into a new database`,
    );
  }
  // A rollback journal, not WAL: a load appends pages to the file, and a rollback journal records only the pages that
  // existed before the transaction, so a first load of 10,000 subjects writes its data once (WAL would write it twice:
  // log, then checkpoint). A crash during a load leaves the journal, and the next open rolls it back: nothing half-loaded.
  if ((db.pragma('journal_mode', { simple: true }) as string) !== 'delete') db.pragma('journal_mode = DELETE');
  db.pragma('synchronous = FULL');
  db.pragma('cache_size = -65536');
  // Two imports started at once on a new database: the schema is made by one of them, inside a write transaction that
  // reads the version again, so the other finds it done.
  if (version < SPONSOR_SCHEMA_VERSION) db.transaction(() => createSchema(db)).immediate();
  return db;
}

function createSchema(db: Database.Database): void {
  if ((db.pragma('user_version', { simple: true }) as number) >= SPONSOR_SCHEMA_VERSION) return;
  db.exec(`
    CREATE TABLE imported_bundles (
      site TEXT NOT NULL,
      sequence INTEGER NOT NULL,
      bundle_sha256 TEXT NOT NULL UNIQUE,
      previous_sha256 TEXT,
      scope TEXT NOT NULL,
      format TEXT NOT NULL,
      rules_version TEXT,
      site_key TEXT NOT NULL,
      created_utc TEXT NOT NULL,
      imported_at TEXT NOT NULL,
      manifest TEXT NOT NULL,
      PRIMARY KEY (site, sequence)
    );
    CREATE TABLE dictionary (
      table_name TEXT NOT NULL,
      column_name TEXT NOT NULL,
      position INTEGER NOT NULL,
      kind TEXT NOT NULL,
      form TEXT,
      item TEXT,
      label_zh TEXT NOT NULL,
      label_en TEXT NOT NULL,
      data_type TEXT NOT NULL,
      sql_type TEXT NOT NULL,
      odm_data_type TEXT,
      unit TEXT,
      code_list TEXT,
      formula_zh TEXT,
      formula_en TEXT,
      rules_version TEXT,
      PRIMARY KEY (table_name, column_name)
    ) WITHOUT ROWID;
    CREATE TABLE code_lists (
      code_list TEXT NOT NULL,
      code TEXT NOT NULL,
      position INTEGER NOT NULL,
      label_zh TEXT NOT NULL,
      label_en TEXT NOT NULL,
      PRIMARY KEY (code_list, code)
    ) WITHOUT ROWID;
    CREATE TABLE audit_rows (
      site TEXT NOT NULL,
      seq INTEGER NOT NULL,
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
      prev_hash BLOB,
      hash BLOB NOT NULL,
      redacted INTEGER,
      source_sequence INTEGER NOT NULL,
      PRIMARY KEY (site, seq)
    ) WITHOUT ROWID;
    CREATE VIEW audit_trail AS
      SELECT site, seq, at_utc, at_local, user_id, username, action, subject_id, screening_no, visit_code, form_code, repeat_key, item_code,
        old_value, new_value, reason, details,
        lower(hex(COALESCE(prev_hash, LAG(hash) OVER (PARTITION BY site ORDER BY seq), X'${GENESIS_HASH}'))) AS prev_hash,
        lower(hex(hash)) AS hash, redacted = 1 AS redacted, source_sequence
      FROM audit_rows;
  `);
  db.pragma(`user_version = ${SPONSOR_SCHEMA_VERSION}`);
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
    .prepare('SELECT seq, lower(hex(hash)) AS hash FROM audit_rows WHERE site = ? ORDER BY seq DESC LIMIT 1')
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
  const page = db.prepare('SELECT seq, lower(hex(hash)) AS hash FROM audit_rows WHERE site = ? AND seq >= ? ORDER BY seq LIMIT 10000');
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
