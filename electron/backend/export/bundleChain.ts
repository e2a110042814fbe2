// The sponsor's check of the audit trail in a bundle, one row at a time as it streams: the rows run on without a gap,
// each links to the one before, each unredacted row's hash is recomputed from its content (a redacted row, whose
// values the sponsor may not see, can only be link-checked), and every row the sponsor already holds from this site's
// earlier bundles is the same row: the first one that is not names where the history was rewritten.
import { GENESIS_HASH, rowHash, type AuditRow } from '../audit/auditTrail';

export interface ChainProblem {
  seq: number;
  zh: string;
  en: string;
}

export interface ChainSummary {
  rows: number;
  firstSeq: number | null;
  /** prev_hash of the first row: the head the bundle says it continues from. */
  firstPrevHash: string | null;
  lastSeq: number | null;
  lastHash: string | null;
  redacted: number;
  /** The first row that breaks the chain inside the bundle. */
  broken: ChainProblem | null;
  /** The first row that differs from the row the sponsor already holds (a rewritten or forked history). */
  diverges: ChainProblem | null;
}

/** Hashes of rows the sponsor already holds for the site, read in seq order (paged by the caller). */
export type HeldHashes = (seq: number) => string | undefined;

const AUDIT_COLUMNS = [
  'seq', 'at_utc', 'at_local', 'user_id', 'username', 'action', 'subject_id', 'screening_no', 'visit_code', 'form_code',
  'repeat_key', 'item_code', 'old_value', 'new_value', 'reason', 'details', 'prev_hash', 'hash',
] as const;

function asAuditRow(line: Record<string, unknown>): AuditRow | null {
  for (const c of AUDIT_COLUMNS) if (!(c in line)) return null;
  if (!Number.isInteger(line.seq) || typeof line.hash !== 'string' || typeof line.prev_hash !== 'string') return null;
  return line as unknown as AuditRow;
}

export class BundleChainCheck {
  private readonly s: ChainSummary = { rows: 0, firstSeq: null, firstPrevHash: null, lastSeq: null, lastHash: null, redacted: 0, broken: null, diverges: null };

  constructor(private readonly held: HeldHashes) {}

  private break(seq: number, zh: string, en: string): void {
    this.s.broken ??= { seq, zh, en };
  }

  /** One line of audit.jsonl, parsed. */
  row(line: Record<string, unknown>): void {
    const s = this.s;
    const row = asAuditRow(line);
    if (!row) {
      this.break((s.lastSeq ?? 0) + 1, `第 ${s.rows + 1} 行不是完整的稽查记录`, `line ${s.rows + 1} of audit.jsonl is not a complete audit row`);
      s.rows++;
      return;
    }
    s.rows++;
    if (s.firstSeq === null) {
      s.firstSeq = row.seq;
      s.firstPrevHash = row.prev_hash;
      if (row.seq === 1 && row.prev_hash !== GENESIS_HASH) this.break(1, '第 1 行不是从链的起点开始', 'row 1 does not start from the genesis hash');
    } else {
      if (row.seq !== s.lastSeq! + 1) this.break(s.lastSeq! + 1, `缺少第 ${s.lastSeq! + 1} 行（下一行为第 ${row.seq} 行）`, `row ${s.lastSeq! + 1} is missing (the next row is ${row.seq})`);
      if (row.prev_hash !== s.lastHash) this.break(row.seq, `第 ${row.seq} 行未链接到前一行`, `row ${row.seq} does not link to the row before it`);
    }
    if (line.redacted === true) s.redacted++;
    else if (rowHash(row) !== row.hash) this.break(row.seq, `第 ${row.seq} 行内容被改动（哈希不符）`, `row ${row.seq} was altered (its content does not give its hash)`);
    const held = this.held(row.seq);
    if (held !== undefined && held !== row.hash && !s.diverges) {
      s.diverges = {
        seq: row.seq,
        zh: `第 ${row.seq} 行与此前数据包中已收到的第 ${row.seq} 行不同：中心的稽查轨迹从这一行起被改写`,
        en: `row ${row.seq} differs from row ${row.seq} received in an earlier bundle: the site's audit trail was rewritten from this row on`,
      };
    }
    s.lastSeq = row.seq;
    s.lastHash = row.hash;
  }

  summary(): ChainSummary {
    return { ...this.s };
  }
}
