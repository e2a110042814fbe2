// The item-level audit trail: appends hash-chained rows and verifies the chain end to end.
import { hash } from 'node:crypto';
import type { Db } from '../db/connection';
import { stamp, type Stamp } from './clock';
import { isRedactedOnExport, redactionNonce } from './exportRedaction';
import { runSteps } from './steps';

export const GENESIS_HASH = '0'.repeat(64);

export type AuditAction =
  | 'user.create'
  | 'user.update'
  | 'login'
  | 'login.failed'
  | 'login.lockout'
  | 'logout'
  | 'subject.create'
  | 'subject.update'
  | 'visit.date'
  | 'item.create'
  | 'item.update'
  | 'item.clear'
  | 'form.status'
  | 'signature'
  | 'sdv'
  | 'query'
  | 'randomisation'
  | 'unblinding'
  | 'export'
  | 'settings'
  | 'backup'
  | 'restore'
  | 'access.grant'
  | 'access.revoke';

export interface AuditEntry {
  userId?: number | null;
  username?: string | null;
  action: AuditAction;
  subjectId?: number | null;
  screeningNo?: string | null;
  visitCode?: string | null;
  formCode?: string | null;
  repeatKey?: number | null;
  itemCode?: string | null;
  oldValue?: string | null;
  newValue?: string | null;
  reason?: string | null;
  details?: Record<string, unknown> | null;
}

export interface AuditRow {
  seq: number;
  at_utc: string;
  at_local: string;
  user_id: number | null;
  username: string | null;
  action: string;
  subject_id: number | null;
  screening_no: string | null;
  visit_code: string | null;
  form_code: string | null;
  repeat_key: number | null;
  item_code: string | null;
  old_value: string | null;
  new_value: string | null;
  reason: string | null;
  details: string | null;
  prev_hash: string;
  hash: string;
}

type HashedFields = Omit<AuditRow, 'seq' | 'hash'>;

/** The hash covers every column but seq and hash itself, in a fixed order, plus the previous hash. */
export function rowHash(row: HashedFields): string {
  const canonical = JSON.stringify([
    row.prev_hash,
    row.at_utc,
    row.at_local,
    row.user_id,
    row.username,
    row.action,
    row.subject_id,
    row.screening_no,
    row.visit_code,
    row.form_code,
    row.repeat_key,
    row.item_code,
    row.old_value,
    row.new_value,
    row.reason,
    row.details,
  ]);
  // One-shot: twice as fast as a Hash object per row (4.8 million rows in a 10,000-subject sponsor import, every save).
  return hash('sha256', canonical, 'hex');
}

/**
 * The details column: the entry's details as JSON, plus `nonce` (128 random bits) on a row that exports redact, so
 * that its exported hash lets nobody test a guess of the redacted values (see exportRedaction.ts).
 */
function detailsText(entry: AuditEntry): string | null {
  if (isRedactedOnExport(entry)) return JSON.stringify({ ...entry.details, nonce: redactionNonce() });
  return entry.details ? JSON.stringify(entry.details) : null;
}

/** Appends audit rows. Call inside the same transaction as the change it records. */
export class AuditTrail {
  private readonly insert;
  private readonly lastHash;

  constructor(private readonly db: Db) {
    this.insert = db.prepare(
      `INSERT INTO audit_log (at_utc, at_local, user_id, username, action, subject_id, screening_no, visit_code,
        form_code, repeat_key, item_code, old_value, new_value, reason, details, prev_hash, hash)
       VALUES (@at_utc, @at_local, @user_id, @username, @action, @subject_id, @screening_no, @visit_code,
        @form_code, @repeat_key, @item_code, @old_value, @new_value, @reason, @details, @prev_hash, @hash)`,
    );
    this.lastHash = db.prepare('SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1').pluck();
  }

  /** Appends entries in order, chained to the current head; returns the new head hash. */
  append(entries: AuditEntry | AuditEntry[], at: Stamp = stamp()): string {
    const list = Array.isArray(entries) ? entries : [entries];
    let prev = (this.lastHash.get() as string | undefined) ?? GENESIS_HASH;
    for (const entry of list) {
      const fields: HashedFields = {
        at_utc: at.utc,
        at_local: at.local,
        user_id: entry.userId ?? null,
        username: entry.username ?? null,
        action: entry.action,
        subject_id: entry.subjectId ?? null,
        screening_no: entry.screeningNo ?? null,
        visit_code: entry.visitCode ?? null,
        form_code: entry.formCode ?? null,
        repeat_key: entry.repeatKey ?? null,
        item_code: entry.itemCode ?? null,
        old_value: entry.oldValue ?? null,
        new_value: entry.newValue ?? null,
        reason: entry.reason ?? null,
        details: detailsText(entry),
        prev_hash: prev,
      };
      const hash = rowHash(fields);
      this.insert.run({ ...fields, hash });
      prev = hash;
    }
    return prev;
  }
}

export type VerifyResult =
  | { ok: true; rows: number; head: string }
  | { ok: false; rows: number; brokenSeq: number; reason: string };

/** Walks the whole chain in seq order; reports the first row whose link or content does not match. */
export function verifyAuditChain(db: Db): VerifyResult {
  return runSteps(auditChainSteps(db));
}

/** verifyAuditChain as steps: yields every 20,000 rows so a caller can let the event loop run (see runStepsAsync). */
export function* auditChainSteps(db: Db): Generator<void, VerifyResult> {
  let prev = GENESIS_HASH;
  let rows = 0;
  let lastSeq = 0;
  for (const row of db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
    rows++;
    if (rows % 20_000 === 0) yield;
    if (row.seq !== lastSeq + 1) {
      return { ok: false, rows, brokenSeq: lastSeq + 1, reason: `row ${lastSeq + 1} is missing (next row is ${row.seq})` };
    }
    if (row.prev_hash !== prev) {
      return { ok: false, rows, brokenSeq: row.seq, reason: `row ${row.seq} does not link to the row before it` };
    }
    const expected = rowHash(row);
    if (expected !== row.hash) {
      return { ok: false, rows, brokenSeq: row.seq, reason: `row ${row.seq} was altered (content hash mismatch)` };
    }
    prev = row.hash;
    lastSeq = row.seq;
  }
  return { ok: true, rows, head: prev };
}
