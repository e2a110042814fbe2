// The audit trail of one form (or one item of it) as the audit view shows it: newest first, with bilingual item labels;
// rows that would reveal the allocation are withheld from every blinded role.
import type { User } from '../../../shared/api/calls/common';
import type { AuditViewRow } from '../../../shared/api/calls/audit';
import { QUERY_MESSAGE_KINDS } from '../../../shared/api/calls/queries';
import type { Db } from '../db/connection';
import { fail } from '../errors';
import type { FormKey } from '../services/casebookRepository';
import { isAllocationItem, itemLabel } from './itemLabels';
import { isBlinded } from './roleGuard';

/** Actions whose values may carry the allocation itself (emergency unblinding); randomisation rows carry numbers only. */
const ALLOCATION_ACTIONS = new Set(['unblinding']);
const MAX_ROWS = 5000;

interface Row {
  seq: number;
  at_utc: string;
  at_local: string;
  username: string | null;
  action: string;
  item_code: string | null;
  old_value: string | null;
  new_value: string | null;
  reason: string | null;
  details: string | null;
}

export interface AuditView {
  rows: AuditViewRow[];
  /** Rows left out because they reveal the allocation (always 0 for the unblinded pharmacist). */
  withheld: number;
}

function parseDetails(details: string | null): { step?: unknown; system?: unknown } | null {
  try {
    return JSON.parse(details ?? 'null') as { step?: unknown; system?: unknown } | null;
  } catch {
    return null;
  }
}

function queryStep(d: { step?: unknown; system?: unknown } | null): AuditViewRow['query'] {
  const step = QUERY_MESSAGE_KINDS.find((k) => k === d?.step);
  return step ? { step, system: d?.system === true } : null;
}

export class AuditViewService {
  constructor(private readonly db: Db) {}

  forForm(key: FormKey & { itemCode?: string | undefined }, user: User): AuditView {
    const subject = this.db.prepare('SELECT 1 FROM subjects WHERE id = ?').get(key.subjectId);
    if (!subject) fail('NOT_FOUND', `受试者 ${key.subjectId} 不存在`, `Subject ${key.subjectId} not found`);
    const blinded = isBlinded(user);
    const params: (string | number)[] = [key.subjectId, key.visitCode, key.formCode, key.repeatKey];
    if (key.itemCode !== undefined) params.push(key.itemCode);
    const rows = this.db
      .prepare(
        `SELECT seq, at_utc, at_local, username, action, item_code, old_value, new_value, reason, details FROM audit_log
          WHERE subject_id = ? AND visit_code = ? AND form_code = ? AND repeat_key = ? ${key.itemCode !== undefined ? 'AND item_code = ?' : ''}
          ORDER BY seq DESC LIMIT ${MAX_ROWS}`,
      )
      .all(...params) as Row[];
    let withheld = 0;
    const out: AuditViewRow[] = [];
    for (const r of rows) {
      if (blinded && r.item_code !== null && isAllocationItem(key.formCode, r.item_code)) {
        withheld++;
        continue;
      }
      const hideValues = blinded && ALLOCATION_ACTIONS.has(r.action);
      const details = parseDetails(r.details);
      out.push({
        seq: r.seq,
        atUtc: r.at_utc,
        atLocal: r.at_local,
        username: r.username,
        action: r.action,
        itemCode: r.item_code,
        itemLabel: r.item_code === null ? null : itemLabel(key.formCode, r.item_code),
        oldValue: hideValues ? null : r.old_value,
        newValue: hideValues ? null : r.new_value,
        reason: r.reason,
        query: r.action === 'query' ? queryStep(details) : null,
        reasonBySystem: details?.system === true && r.reason !== null && r.reason.includes(' / '),
      });
    }
    return { rows: out, withheld };
  }
}
