// `npm run bench`: measures the DESIGN.md section 1 promises on demo databases and prints ONE JSON object to stdout (logs to stderr).
import Database from 'better-sqlite3-multiple-ciphers';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildFormContext } from '../shared/protocol/casebook';
import type { FormData } from '../shared/protocol/types';
import { validateForm } from '../shared/protocol/validateForm';
import { createBackend } from '../electron/backend/backend';
import { DEMO_VERSION } from '../electron/backend/demo/demoStudy';
import { isPlaintextDatabase, keyFilePath, keyFromFile, openKeyed } from '../electron/backend/db/encryption';
import { MIGRATIONS } from '../electron/backend/db/migrations';
import { verifyStudy } from '../electron/backend/audit/dataVerify';
import { openReadOnly, quickCheck } from '../electron/backend/db/startup';
import { exportTempBytes } from '../electron/backend/export/exportWork';
import { toWebStream } from '../electron/backend/export/pgpStream';
import { withZlibStreams } from '../electron/backend/export/zlibStreams';
import { measureUi } from './uiBench';

const ROOT = resolve(__dirname, '..');
const SEED = 20120215;
const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
/** BENCH_ONLY=save,export runs only those parts (validate, save, list, export, integrity, sponsor, ui); default all. */
const only = (part: string) => !process.env.BENCH_ONLY || process.env.BENCH_ONLY.split(',').includes(part);

interface DbInfo { file: string | null; generated_s: number | null; cached: boolean; subjects: number | null; error?: string }

/** Demo DB cached under .cache/bench keyed by N + seed + schema version (number of migrations) + demo generator version. */
function demoDb(n: number): DbInfo {
  const dir = join(ROOT, '.cache', 'bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `demo-n${n}-s${SEED}-m${MIGRATIONS.length}-${DEMO_VERSION}.db`);
  if (existsSync(file)) return { file, generated_s: null, cached: true, subjects: countSubjects(file) };
  const tmp = `${file}.tmp`;
  rmSync(tmp, { force: true });
  rmSync(keyFilePath(tmp), { force: true });
  const t0 = nowMs();
  log(`generating demo DB with ${n} subjects ...`);
  try {
    execFileSync(process.execPath, [join(ROOT, 'dist/ecrf.cjs'), 'demo', '--subjects', String(n), '--seed', String(SEED), '--db', tmp], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    const err = e as { stdout?: Buffer; stderr?: Buffer; message: string };
    const text = `${err.stderr?.toString() ?? ''}${err.stdout?.toString() ?? ''}`.trim() || err.message;
    return { file: null, generated_s: round((nowMs() - t0) / 1000, 1), cached: false, subjects: existsSync(tmp) ? countSubjects(tmp) : null, error: `ecrf demo failed: ${text.split('\n').pop()}` };
  }
  renameSync(keyFilePath(tmp), keyFilePath(file));
  renameSync(tmp, file);
  return { file, generated_s: round((nowMs() - t0) / 1000, 1), cached: false, subjects: countSubjects(file) };
}

/** The demo databases are encrypted like the app's (key file beside each, as in browser mode). */
const openDemo = (file: string, options: Database.Options = {}) => openKeyed(file, keyFromFile(file), options);

function countSubjects(file: string): number {
  const db = openDemo(file, { readonly: true });
  try { return db.prepare('SELECT COUNT(*) FROM subjects').pluck().get() as number; } finally { db.close(); }
}

/** An encrypted copy (with its key file). */
function copyDb(file: string, dir: string, name: string): string {
  const src = openDemo(file);
  src.pragma('wal_checkpoint(TRUNCATE)');
  src.close();
  const to = join(dir, name);
  copyFileSync(file, to);
  copyFileSync(keyFilePath(file), keyFilePath(to));
  return to;
}

/** A plaintext copy: the "before encryption" side of the figures (SQLite3MC rekey to no key, in rollback mode). */
function plaintextCopy(file: string, dir: string, name: string): string {
  const to = copyDb(file, dir, name);
  const db = openDemo(to);
  db.pragma('journal_mode = DELETE');
  db.pragma(`rekey = ''`);
  db.close();
  rmSync(keyFilePath(to));
  if (!isPlaintextDatabase(to)) throw new Error(`${to} is still encrypted`);
  return to;
}

interface LabForm { id: number; subjectId: number; visitCode: string; version: number }

function labForms(file: string, limit: number, plaintext = false): LabForm[] {
  const db = plaintext ? new Database(file, { readonly: true }) : openDemo(file, { readonly: true });
  try {
    return db.prepare(`SELECT id, subject_id AS subjectId, visit_code AS visitCode, version FROM form_instances WHERE form_code = 'LAB' AND repeat_key = 0 AND status = 'complete' ORDER BY id LIMIT ?`).all(limit) as LabForm[];
  } finally { db.close(); }
}

function benchValidate(file: string): Record<string, unknown> {
  const backend = createBackend({ dbFile: file, transport: 'browser', appVersion: 'bench' });
  try {
    const forms = labForms(file, 50);
    if (forms.length === 0) return { validate_p99_us: null, validate_reason: 'no complete LAB form in the demo DB' };
    const cases = forms.map((f) => {
      const book = backend.services.forms.repo.casebook(f.subjectId);
      const others = book.filter((b) => !(b.visitCode === f.visitCode && b.formCode === 'LAB'));
      return { data: backend.services.forms.repo.values(f.id) as FormData, ctx: buildFormContext(others, f.visitCode as never) };
    });
    const times: number[] = [];
    let derived = 0;
    for (let i = 0; i < 5000; i++) {
      const c = cases[i % cases.length]!;
      const t = process.hrtime.bigint();
      const r = validateForm('LAB', c.data, c.ctx);
      times.push(Number(process.hrtime.bigint() - t) / 1000);
      if (i < cases.length) derived += Object.keys(r.values).length - Object.keys(c.data).length;
    }
    return { validate_p99_us: round(pct(times.slice(500), 99), 1), validate_p50_us: round(pct(times.slice(500), 50), 1), validate_samples: 4500, validate_forms: cases.length, validate_target_us: 1000, validate_avg_extra_values_per_form: round(derived / cases.length, 1) };
  } finally { backend.close(); }
}

/** The rows one service save wrote: form instance, items, audit rows, and the automatic queries it raised or closed. */
interface SaveRows { formId: number; version: number; updatedAt: string; items: { code: string; value: string | null }[]; audit: Record<string, unknown>[]; queries: Record<string, unknown>[]; messages: Record<string, unknown>[];
  /** The derived values the save wrote or removed (its own form's and those of the forms that read it; issue 14). */
  derived: DerivedRow[] }
interface DerivedRow { formId: number; derivedId: string; value: string | null; rulesVersion: string }

/** The subject's stored derived values, keyed by form and derived id. */
function derivedSnapshot(db: Database.Database, subjectId: number): Map<string, DerivedRow> {
  const rows = db
    .prepare('SELECT d.form_id AS formId, d.derived_id AS derivedId, d.value, d.rules_version AS rulesVersion FROM derived_values d JOIN form_instances f ON f.id = d.form_id WHERE f.subject_id = ?')
    .all(subjectId) as DerivedRow[];
  return new Map(rows.map((r) => [`${r.formId}\u0000${r.derivedId}`, r]));
}

/** What changed between two snapshots: rows written (new or other value) and rows removed (value null). */
function derivedChanges(before: Map<string, DerivedRow>, after: Map<string, DerivedRow>): DerivedRow[] {
  const out: DerivedRow[] = [];
  for (const [k, r] of after) {
    const b = before.get(k);
    if (!b || b.value !== r.value || b.rulesVersion !== r.rulesVersion) out.push(r);
  }
  for (const [k, r] of before) if (!after.has(k)) out.push({ ...r, value: null });
  return out;
}

/** The tables the export floor reads (see benchExport). */
const FLOOR_TABLES = ['subjects', 'visits', 'form_instances', 'item_values', 'derived_values', 'queries', 'query_messages', 'sdv_items', 'signatures', 'audit_log'];

/** Bare better-sqlite3 on its own copy of the file (WAL, synchronous=FULL): replays the given rows in one transaction, returns ms. */
function bareReplayer(rawFile: string, userId: number) {
  // Encrypted like the service's copy: the ratio is the service's own work, not the page encryption both pay.
  const raw = openDemo(rawFile);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  const upd = raw.prepare('UPDATE form_instances SET version = ?, status = ?, updated_at = ?, updated_by = ? WHERE id = ?');
  const upsert = raw.prepare('INSERT INTO item_values (form_id, item_code, value) VALUES (?, ?, ?) ON CONFLICT (form_id, item_code) DO UPDATE SET value = excluded.value');
  const del = raw.prepare('DELETE FROM item_values WHERE form_id = ? AND item_code = ?');
  const cols = ['at_utc', 'at_local', 'user_id', 'username', 'action', 'subject_id', 'screening_no', 'visit_code', 'form_code', 'repeat_key', 'item_code', 'old_value', 'new_value', 'reason', 'details', 'prev_hash'];
  const ins = raw.prepare(`INSERT INTO audit_log (${cols.join(', ')}, hash) VALUES (${cols.map(() => '?').join(', ')}, ?)`);
  const head = raw.prepare('SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1').pluck();
  const queryCols = ['id', 'subject_id', 'visit_code', 'form_code', 'repeat_key', 'item_code', 'origin', 'check_id', 'status', 'text_zh', 'text_en', 'created_at', 'created_by', 'updated_at'];
  const upsertQuery = raw.prepare(`INSERT INTO queries (${queryCols.join(', ')}) VALUES (${queryCols.map(() => '?').join(', ')}) ON CONFLICT (id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at`);
  const messageCols = ['id', 'query_id', 'kind', 'text', 'user_id', 'username', 'at_utc'];
  const insMessage = raw.prepare(`INSERT INTO query_messages (${messageCols.join(', ')}) VALUES (${messageCols.map(() => '?').join(', ')})`);
  const upsertDerived = raw.prepare(
    'INSERT INTO derived_values (form_id, derived_id, value, rules_version) VALUES (?, ?, ?, ?) ON CONFLICT (form_id, derived_id) DO UPDATE SET value = excluded.value, rules_version = excluded.rules_version',
  );
  const delDerived = raw.prepare('DELETE FROM derived_values WHERE form_id = ? AND derived_id = ?');
  const replay = (r: SaveRows): number => {
    const t = nowMs();
    raw.transaction(() => {
      upd.run(r.version, 'complete', r.updatedAt, userId, r.formId);
      for (const it of r.items) {
        if (it.value === null) del.run(r.formId, it.code);
        else upsert.run(r.formId, it.code, it.value);
      }
      let prev = (head.get() as string | undefined) ?? '0'.repeat(64);
      for (const a of r.audit) {
        const vals = cols.map((c) => (c === 'prev_hash' ? prev : (a[c] as unknown)));
        const hash = createHash('sha256').update(JSON.stringify(vals)).digest('hex');
        ins.run(...vals, hash);
        prev = hash;
      }
      for (const q of r.queries) upsertQuery.run(...queryCols.map((c) => q[c]));
      for (const m of r.messages) insMessage.run(...messageCols.map((c) => m[c]));
      for (const d of r.derived) {
        if (d.value === null) delDerived.run(d.formId, d.derivedId);
        else upsertDerived.run(d.formId, d.derivedId, d.value, d.rulesVersion);
      }
    })();
    return nowMs() - t;
  };
  return { replay, close: () => raw.close() };
}

/**
 * FormService.save (re-saving LAB form i with the values of LAB form i+1, with a reason) vs replaying the very same
 * rows with bare statements right after each save (interleaved, so both see the same machine load and disk state).
 */
function benchSave(file: string, dir: string): Record<string, unknown> {
  const svcFile = copyDb(file, dir, 'save-service.db');
  const rawFile = copyDb(file, dir, 'save-raw.db');
  const forms = labForms(svcFile, 401);
  if (forms.length < 2) return { save_p99_ms: null, save_vs_raw_ratio: null, save_reason: 'fewer than 2 complete LAB forms in the demo DB' };
  const backend = createBackend({ dbFile: svcFile, transport: 'browser', appVersion: 'bench' });
  const { db, forms: formService, users } = backend.services;
  // The same saves on a plaintext copy, interleaved: the cost of encryption at rest, side by side.
  const plain = createBackend({ dbFile: plaintextCopy(file, dir, 'save-plaintext.db'), transport: 'browser', appVersion: 'bench', benchmarkPlaintextBaseline: true });
  const plainTimes: number[] = [];
  const userId = db.prepare("SELECT id FROM users WHERE role = 'data_entry' ORDER BY id LIMIT 1").pluck().get() as number;
  const user = users.byId(userId)!;
  const bare = bareReplayer(rawFile, userId);
  const svcTimes: number[] = [];
  const rawTimes: number[] = [];
  let auditRows = 0;
  let queryRows = 0;
  let derivedRows = 0;
  let rejected = 0;
  for (let i = 0; i + 1 < forms.length; i++) {
    const f = forms[i]!;
    const data = formService.repo.values(forms[i + 1]!.id) as FormData;
    const seqBefore = (db.prepare('SELECT MAX(seq) FROM audit_log').pluck().get() as number) ?? 0;
    const derivedBefore = derivedSnapshot(db, f.subjectId);
    const messageBefore = (db.prepare('SELECT MAX(id) FROM query_messages').pluck().get() as number | null) ?? 0;
    const t = nowMs();
    try {
      formService.save({ subjectId: f.subjectId, visitCode: f.visitCode as never, formCode: 'LAB', repeatKey: 0, data, reason: 'benchmark re-entry', expectedVersion: f.version, markComplete: true }, user);
    } catch {
      rejected++;
      continue;
    }
    svcTimes.push(nowMs() - t);
    const tp = nowMs();
    try {
      plain.services.forms.save({ subjectId: f.subjectId, visitCode: f.visitCode as never, formCode: 'LAB', repeatKey: 0, data, reason: 'benchmark re-entry', expectedVersion: f.version, markComplete: true }, user);
      plainTimes.push(nowMs() - tp);
    } catch {
      // refused on both copies alike
    }
    const inst = db.prepare('SELECT version, updated_at FROM form_instances WHERE id = ?').get(f.id) as { version: number; updated_at: string };
    const audit = db.prepare('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq').all(seqBefore) as Record<string, unknown>[];
    const items = audit.filter((a) => a.item_code).map((a) => ({ code: a.item_code as string, value: (a.new_value as string | null) ?? null }));
    auditRows += audit.length;
    // Every query the save raised or closed, on this LAB or on a form that reads it (its SLEDAI, a pulse within 14 days:
    // amendment 1's re-checks): each step wrote a message.
    const messages = db.prepare('SELECT * FROM query_messages WHERE id > ? ORDER BY id').all(messageBefore) as Record<string, unknown>[];
    const queries = db.prepare('SELECT * FROM queries WHERE id IN (SELECT DISTINCT query_id FROM query_messages WHERE id > ?) ORDER BY id').all(messageBefore) as Record<string, unknown>[];
    queryRows += queries.length;
    const derived = derivedChanges(derivedBefore, derivedSnapshot(db, f.subjectId));
    derivedRows += derived.length;
    rawTimes.push(bare.replay({ formId: f.id, version: inst.version, updatedAt: inst.updated_at, items, audit, queries, messages, derived }));
  }
  backend.close();
  plain.close();
  bare.close();
  const svcP50 = pct(svcTimes, 50);
  const rawP50 = pct(rawTimes, 50);
  return {
    save_p99_ms: round(pct(svcTimes, 99)), save_p50_ms: round(svcP50), save_samples: svcTimes.length, save_rejected: rejected,
    save_raw_p99_ms: round(pct(rawTimes, 99)), save_raw_p50_ms: round(rawP50),
    save_vs_raw_ratio: round(svcP50 / rawP50, 2), save_vs_raw_ratio_basis: 'p50 service / p50 bare statements, same rows, interleaved save by save', save_target_ratio: 2,
    save_plaintext_p99_ms: round(pct(plainTimes, 99)), save_plaintext_p50_ms: round(pct(plainTimes, 50)),
    save_encryption_cost_ratio: round(svcP50 / pct(plainTimes, 50), 2),
    save_avg_audit_rows: round(auditRows / Math.max(1, svcTimes.length), 1), save_avg_query_rows: round(queryRows / Math.max(1, svcTimes.length), 2),
    save_avg_derived_rows: round(derivedRows / Math.max(1, svcTimes.length), 1),
  };
}

async function benchExport(file: string, dir: string, plaintext = false): Promise<Record<string, unknown>> {
  const copy = plaintext ? plaintextCopy(file, dir, 'export-plaintext.db') : copyDb(file, dir, 'export.db');
  const backend = createBackend({ dbFile: copy, transport: 'browser', appVersion: 'bench', ...(plaintext ? { benchmarkPlaintextBaseline: true } : {}) });
  const out = join(dir, plaintext ? 'out-plaintext' : 'out');
  mkdirSync(out, { recursive: true });
  let peak = process.memoryUsage().rss;
  const startRss = peak;
  // Temp space: the export's work folder in the data folder (sealed files), sampled with the RSS; the system temp
  // folder is watched for anything the export would write there.
  let tempPeak = 0;
  const tmpBefore = new Set(readdirSync(tmpdir()));
  const sampleTemp = () => { tempPeak = Math.max(tempPeak, exportTempBytes(dir)); };
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); sampleTemp(); }, 20);
  try {
    const { generateKey } = await import('openpgp');
    const sponsor = await generateKey({ type: 'ecc', curve: 'curve25519Legacy' as never, userIDs: [{ name: 'Bench Sponsor', email: 'sponsor@bench.invalid' }], format: 'armored' });
    await backend.services.exports.installSponsorKey(sponsor.publicKey, null, 'bench');
    await backend.services.exports.ensureSiteKey();
    const t = nowMs();
    // When each phase began: reading rows into the temp files, then tar + sign + compress + encrypt to the bundle.
    const phaseStart = new Map<string, number>();
    const r = await backend.services.exports.create({
      scope: 'full', outDir: out, cliActor: 'bench',
      onProgress: (p) => {
        if (!phaseStart.has(p.phase)) phaseStart.set(p.phase, nowMs());
        peak = Math.max(peak, process.memoryUsage().rss);
        sampleTemp();
      },
    }, null);
    const s = (nowMs() - t) / 1000;
    const encryptingAt = phaseStart.get('encrypting') ?? t;
    clearInterval(timer);
    const tmpNew = readdirSync(tmpdir()).filter((n) => !tmpBefore.has(n) && n.startsWith('ecrf-export-'));
    const exportPeak = Math.max(peak, process.memoryUsage().rss);
    // Floor: read the same tables row by row, zlib-compress the bytes and encrypt them to the same sponsor key,
    // streamed to a file like the export (no ODM/CSV shaping, no tar, no signing).
    const openpgp = await import('openpgp');
    const tf = nowMs();
    const db = backend.services.db;
    async function* rows(): AsyncGenerator<Uint8Array> {
      let parts: string[] = [];
      let size = 0;
      // Every table whose rows the bundle must carry: since issue 14 the derived values and the workflow (queries and
      // their messages, SDV, signatures) too.
      for (const table of FLOOR_TABLES) {
        for (const row of db.prepare(`SELECT * FROM ${table}`).raw().iterate()) {
          const line = `${JSON.stringify(row)}\n`;
          parts.push(line);
          size += line.length;
          if (size >= 64 * 1024) {
            yield Buffer.from(parts.join(''));
            parts = [];
            size = 0;
          }
        }
      }
      if (parts.length) yield Buffer.from(parts.join(''));
    }
    const key = await openpgp.readKey({ armoredKey: sponsor.publicKey });
    const floorFd = openSync(join(dir, 'floor.gpg'), 'w');
    try {
      await withZlibStreams(async () => {
        const encrypted = await openpgp.encrypt({
          message: await openpgp.createMessage({ binary: toWebStream(rows()), format: 'binary' }),
          encryptionKeys: key, format: 'binary', config: { preferredCompressionAlgorithm: openpgp.enums.compression.zlib },
        });
        const reader = (encrypted as ReadableStream<Uint8Array>).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          writeSync(floorFd, value);
        }
      });
    } finally {
      closeSync(floorFd);
    }
    const floor = (nowMs() - tf) / 1000;
    return {
      export_floor_s: round(floor, 2), export_floor_basis: `read ${FLOOR_TABLES.join('/')} rows + zlib + openpgp encrypt to the sponsor key, streamed to a file`,
      export_s: round(s, 2), export_files_s: round((encryptingAt - t) / 1000, 2), export_encrypt_s: round(s - (encryptingAt - t) / 1000, 2),
      export_bundle_mb: round(statSync(r.path).size / 2 ** 20, 2), export_peak_rss_mb: round(exportPeak / 2 ** 20, 1), export_rss_growth_mb: round((exportPeak - startRss) / 2 ** 20, 1),
      export_vs_floor_ratio: round(s / floor, 2), export_target_ratio: 3,
      export_temp_mb: round(tempPeak / 2 ** 20, 1), export_temp_basis: 'peak size of the export work folder in the data folder (ODM/CSV/JSONL sealed: deflate + AES-GCM; audit.jsonl produced again from the snapshot, not stored)',
      export_temp_left_mb: round(exportTempBytes(dir) / 2 ** 20, 1), export_system_tmp_entries: tmpNew.length,
    };
  } catch (e) {
    return { export_s: null, export_vs_floor_ratio: null, export_peak_rss_mb: null, export_reason: `export failed: ${(e as Error).message}` };
  } finally {
    clearInterval(timer);
    backend.close();
    rmSync(copy, { force: true });
    rmSync(out, { recursive: true, force: true });
  }
}

/** subjects.list built from scratch (the first list after a start: reads every subject's forms), encrypted vs plaintext. */
function benchList(file: string, dir: string): Record<string, unknown> {
  const measure = (dbFile: string, plaintext: boolean) => {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const backend = createBackend({ dbFile, transport: 'browser', appVersion: 'bench', ...(plaintext ? { benchmarkPlaintextBaseline: true } : {}) });
      try {
        const t = nowMs();
        backend.services.subjects.list();
        times.push(nowMs() - t);
      } finally {
        backend.close();
      }
    }
    return round(pct(times, 50), 1);
  };
  const encrypted = copyDb(file, dir, 'list.db');
  const plain = plaintextCopy(file, dir, 'list-plaintext.db');
  const a = measure(encrypted, false);
  const b = measure(plain, true);
  return { list_cold_ms: a, list_cold_plaintext_ms: b, list_encryption_cost_ratio: round(a / b, 2), list_basis: 'SubjectService.list() on a fresh back end (whole list built), median of 3, encrypted vs plaintext copy' };
}

/** Start-up and verification costs on a copy: quick_check (every start), integrity_check (every backup), audit verify. */
function benchIntegrity(file: string, dir: string): Record<string, unknown> {
  const copy = copyDb(file, dir, 'integrity.db');
  const db = openReadOnly(copy);
  try {
    const time = <T>(fn: () => T): [T, number] => {
      const t = nowMs();
      const v = fn();
      return [v, round((nowMs() - t) / 1000, 2)];
    };
    const [quick, quickS] = time(() => quickCheck(db));
    const [integrity, integrityS] = time(() => db.pragma('integrity_check(1)') as { integrity_check: string }[]);
    const [report, verifyS] = time(() => verifyStudy(db));
    return {
      quick_check_s: quickS, quick_check_ok: quick.length === 0, integrity_check_s: integrityS, integrity_check_ok: integrity[0]?.integrity_check === 'ok',
      audit_verify_s: verifyS, audit_verify_ok: report.ok, audit_verify_rows: report.rows,
    };
  } finally {
    db.close();
  }
}

/** Peak RSS of a running child (VmHWM, the kernel's high-water mark of its resident set), polled until it exits. */
function watchPeakRss(pid: number): { stop(): number } {
  let peak = 0;
  const read = () => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]) * 1024);
    } catch {
      // exited
    }
  };
  const timer = setInterval(read, 25);
  return { stop: () => { clearInterval(timer); return peak; } };
}

/**
 * The sponsor's side at this size: a full bundle of the demo database (throw-away sponsor key), then
 * `ecrf sponsor import` of it into a new sponsor database in a child process (both passes: verification, then the
 * load), timed, with the child's peak RSS, and the sponsor database's size against the site database's.
 */
async function benchSponsor(file: string, dir: string): Promise<Record<string, unknown>> {
  const copy = copyDb(file, dir, 'sponsor-site.db');
  const out = join(dir, 'sponsor-out');
  mkdirSync(out, { recursive: true });
  const backend = createBackend({ dbFile: copy, transport: 'browser', appVersion: 'bench' });
  let bundle: string;
  const keys = { sec: join(dir, 'sponsor.sec.asc'), pub: join(dir, 'site.pub.asc') };
  try {
    const { generateKey } = await import('openpgp');
    const sponsor = await generateKey({ type: 'ecc', curve: 'curve25519Legacy' as never, userIDs: [{ name: 'Bench Sponsor', email: 'sponsor@bench.invalid' }], format: 'armored' });
    await backend.services.exports.installSponsorKey(sponsor.publicKey, null, 'bench');
    await backend.services.exports.ensureSiteKey();
    writeFileSync(keys.sec, sponsor.privateKey);
    writeFileSync(keys.pub, (await backend.services.exports.sitePublicKey()).armored);
    bundle = (await backend.services.exports.create({ scope: 'full', outDir: out, cliActor: 'bench' }, null)).path;
  } catch (e) {
    return { sponsor_import_s: null, sponsor_import_peak_rss_mb: null, sponsor_db_vs_site_ratio: null, sponsor_reason: `export failed: ${(e as Error).message}` };
  } finally {
    backend.close();
  }
  const siteBytes = statSync(file).size;
  const into = join(dir, 'sponsor.db');
  const t = nowMs();
  const child = spawn(process.execPath, [join(ROOT, 'dist/ecrf.cjs'), 'sponsor', 'import', '--key', keys.sec, '--trust', keys.pub, '--into', into, '--json', bundle], { stdio: ['ignore', 'pipe', 'pipe'] });
  const peak = watchPeakRss(child.pid!);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const code = await new Promise<number | null>((done) => child.on('close', done));
  const s = (nowMs() - t) / 1000;
  const peakRss = peak.stop();
  rmSync(copy, { force: true });
  if (code !== 0) return { sponsor_import_s: null, sponsor_import_peak_rss_mb: null, sponsor_db_vs_site_ratio: null, sponsor_reason: `import exited ${code}: ${stderr.trim().split('\n').pop()}` };
  const outcome = JSON.parse(stdout.trim().split('\n').pop()!) as { forms: number; auditRows: number };
  const sponsorBytes = statSync(into).size;
  const db = new Database(into, { readonly: true });
  const tables = db.prepare("SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC LIMIT 4").all() as { name: string; bytes: number }[];
  db.close();
  return {
    sponsor_import_s: round(s, 2), sponsor_import_peak_rss_mb: round(peakRss / 2 ** 20, 1), sponsor_db_vs_site_ratio: round(sponsorBytes / siteBytes, 3),
    sponsor_db_mb: round(sponsorBytes / 2 ** 20, 1), sponsor_site_db_mb: round(siteBytes / 2 ** 20, 1), sponsor_bundle_mb: round(statSync(bundle).size / 2 ** 20, 1),
    sponsor_import_forms: outcome.forms, sponsor_import_audit_rows: outcome.auditRows,
    sponsor_db_largest: Object.fromEntries(tables.map((r) => [r.name, round(r.bytes / 2 ** 20, 1)])),
    sponsor_basis: '`ecrf sponsor import` (dist/ecrf.cjs) of a full bundle into a new sponsor database, in a child process: wall clock of both passes; peak RSS = the child\'s VmHWM; ratio = sponsor database file ÷ site database file (encrypted, checkpointed)',
  };
}

async function main(): Promise<void> {
  const sizes = (process.env.BENCH_SUBJECTS ?? '25,1000,10000').split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n > 0);
  const result: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, cpus: (await import('node:os')).cpus().length, seed: SEED, schema_version: MIGRATIONS.length, runs: {} as Record<string, unknown> };
  const runs = result.runs as Record<string, unknown>;
  for (const n of sizes) {
    const info = demoDb(n);
    const run: Record<string, unknown> = { db: info };
    runs[String(n)] = run;
    if (!info.file) {
      Object.assign(run, { validate_p99_us: null, save_p99_ms: null, save_vs_raw_ratio: null, export_s: null, export_vs_floor_ratio: null, export_peak_rss_mb: null, reason: info.error });
    } else {
      const dir = mkdtempSync(join(tmpdir(), `bench-${n}-`));
      try {
        if (only('validate')) {
          log(`n=${n}: validate`);
          Object.assign(run, benchValidate(info.file));
        }
        if (only('save')) {
          log(`n=${n}: save`);
          Object.assign(run, benchSave(info.file, dir));
        }
        if (only('list')) {
          log(`n=${n}: subject list, encrypted vs plaintext`);
          Object.assign(run, benchList(info.file, dir));
        }
        if (only('export')) {
          log(`n=${n}: export (encrypted database)`);
          const encrypted = await benchExport(info.file, dir);
          log(`n=${n}: export (plaintext copy, for the encryption cost)`);
          const plaintext = await benchExport(info.file, dir, true);
          Object.assign(run, encrypted, {
            export_plaintext_s: plaintext.export_s ?? null,
            export_plaintext_files_s: plaintext.export_files_s ?? null,
            export_encryption_cost_ratio: typeof encrypted.export_s === 'number' && typeof plaintext.export_s === 'number' ? round(encrypted.export_s / plaintext.export_s, 2) : null,
          });
        }
        if (only('sponsor')) {
          log(`n=${n}: sponsor import of a full bundle`);
          Object.assign(run, await benchSponsor(info.file, dir));
        }
        if (only('integrity')) {
          log(`n=${n}: quick_check, integrity_check, audit verify`);
          Object.assign(run, benchIntegrity(info.file, dir));
        }
      } finally {
        rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 });
      }
    }
    if (info.file && only('ui')) {
      const dir = mkdtempSync(join(tmpdir(), `bench-ui-${n}-`));
      try {
        log(`n=${n}: ui subject list + keystrokes`);
        Object.assign(run, await measureUi(ROOT, copyDb(info.file, dir, 'ui.db')));
      } catch (e) {
        Object.assign(run, { ui_subject_list_ms: null, ui_keystroke_p95_ms: null, ui_reason: `UI measurement failed: ${(e as Error).message.split('\n')[0]}` });
      } finally {
        rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 });
      }
    } else {
      Object.assign(run, { ui_subject_list_ms: null, ui_keystroke_p95_ms: null });
    }
  }
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
