// Saving form data: consent gate, optimistic versioning, validation with the shared rules,
// reason for change after the first save, item-level audit rows, all in one transaction.
import type { User } from '../../../shared/api/calls/common';
import type { FormInstance } from '../../../shared/api/calls/forms';
import { buildFormContext } from '../../../shared/protocol/casebook';
import { dependentForms } from '../../../shared/protocol/dependentForms';
import { feedsRenalResponse } from '../../../shared/protocol/endpointInputs';
import { RECORD_ITEMS, responseOfRecord, withdrawalReason } from '../../../shared/protocol/responseRecord';
import { FORMS } from '../../../shared/protocol/study';
import { mayEditItem } from '../../../shared/protocol/itemRoles';
import { blindedItemsOf } from '../../../shared/protocol/blindedItems';
import type { CasebookForm, DerivedValue, FormData, ItemValue, ValidationIssue } from '../../../shared/protocol/types';
import { validateForm } from '../../../shared/protocol/validateForm';
import { entryClosed, type SubjectStatus } from '../../../shared/protocol/subjectStatus';
import type { AuditEntry, AuditTrail } from '../audit/auditTrail';
import { stamp, today } from '../audit/clock';
import { isBlinded } from '../gcp/roleGuard';
import type { Db } from '../db/connection';
import { statementCache, type Sql } from '../db/statements';
import { fail } from '../errors';
import { CasebookRepository, encodeValue, type FormInstanceRow, type FormKey } from './casebookRepository';
import { DerivedValues, formKeyOf } from './derivedValues';

export interface SaveInput extends FormKey {
  data: FormData;
  reason?: string | undefined;
  expectedVersion: number;
  markComplete: boolean;
}

export interface SaveOutcome {
  version: number;
  status: 'in_progress' | 'complete' | 'verified' | 'signed' | 'locked';
  changedItems: number;
  warnings: ValidationIssue[];
  /** The form was verified or signed and this save changed data: it is back to complete and needs SDV / signing again. */
  statusReset: 'verified' | 'signed' | null;
}

/** Listeners run inside the save transaction (e.g. raising queries from warnings). */
export type SaveListener = (event: { formId: number; key: FormKey; user: User; warnings: ValidationIssue[] }) => void;

/**
 * Listeners for a saved form checked again because a form it reads changed (amendment 1 cross-form rules): every
 * issue it now has, errors included (a saved form cannot be blocked, so an error it now fails is queried).
 */
export type RecheckListener = (event: { key: FormKey; user: User; issues: ValidationIssue[] }) => void;

/** Listeners for a form the system changed on its own (a withdrawn confirmation), inside the transaction that did. */
export type SystemWriteListener = (event: { formId: number; key: FormKey; user: User }) => void;

/** Who may save forms that name no roles of their own (PHARM names the pharmacist). */
const DEFAULT_WRITERS: readonly User['role'][] = ['data_entry', 'investigator', 'admin'];

const ROLE_NAMES: Record<User['role'], { zh: string; en: string }> = {
  admin: { zh: '管理员', en: 'administrator' },
  data_entry: { zh: '录入员', en: 'data entry' },
  investigator: { zh: '研究者', en: 'investigator' },
  monitor: { zh: '监查员', en: 'monitor' },
  pharmacist: { zh: '非盲药师', en: 'unblinded pharmacist' },
};

/** '研究者' / 'investigator', or several joined. */
export function roleNames(roles: readonly User['role'][]): { zh: string; en: string } {
  return { zh: roles.map((r) => ROLE_NAMES[r].zh).join('、'), en: roles.map((r) => ROLE_NAMES[r].en).join(' or ') };
}

/** A form's values as this user may read them: items hidden from blinded roles are left out. */
export function visibleValues(formCode: FormKey['formCode'], data: Record<string, ItemValue>, user: User): Record<string, ItemValue> {
  if (!isBlinded(user)) return data;
  const hidden = blindedItemsOf(formCode);
  if (hidden.size === 0) return data;
  return Object.fromEntries(Object.entries(data).filter(([k]) => !hidden.has(k)));
}

const same = (a: ItemValue | undefined, b: ItemValue | undefined) =>
  JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export class FormService {
  readonly repo: CasebookRepository;
  /** The derived values stored with each form (derived_values), rewritten with every save. */
  readonly derived: DerivedValues;
  private readonly listeners: SaveListener[] = [];
  private readonly recheckListeners: RecheckListener[] = [];
  private readonly systemWriteListeners: SystemWriteListener[] = [];

  constructor(
    private readonly db: Db,
    private readonly audit: AuditTrail,
  ) {
    this.repo = new CasebookRepository(db);
    this.derived = new DerivedValues(db);
    this.sql = statementCache(db);
  }

  /** A prepared statement, prepared once per SQL text (preparing costs more than running these). */
  private readonly sql: Sql;

  onSave(listener: SaveListener): void {
    this.listeners.push(listener);
  }

  onRecheck(listener: RecheckListener): void {
    this.recheckListeners.push(listener);
  }

  onSystemWrite(listener: SystemWriteListener): void {
    this.systemWriteListeners.push(listener);
  }

  private subject(subjectId: number): { id: number; screening_no: string; status: SubjectStatus } {
    const row = this.sql('SELECT id, screening_no, status FROM subjects WHERE id = ?').get(subjectId) as
      | { id: number; screening_no: string; status: SubjectStatus }
      | undefined;
    return row ?? fail('NOT_FOUND', `受试者 ${subjectId} 不存在`, `Subject ${subjectId} not found`);
  }

  get(key: FormKey, user: User): FormInstance {
    this.subject(key.subjectId);
    const instance = this.repo.instance(key);
    const draftRow = this
      .sql(
        'SELECT data, saved_at FROM drafts WHERE user_id = ? AND subject_id = ? AND visit_code = ? AND form_code = ? AND repeat_key = ?',
      )
      .get(user.id, key.subjectId, key.visitCode, key.formCode, key.repeatKey) as { data: string; saved_at: string } | undefined;
    // Who saved last, as the ward knows them and as they log in: '李护士 (nurse)'.
    const saver = instance
      ? (this.sql('SELECT username, display_name AS displayName FROM users WHERE id = ?').get(instance.updated_by) as { username: string; displayName: string } | undefined)
      : undefined;
    const updatedBy = saver ? (saver.displayName && saver.displayName !== saver.username ? `${saver.displayName} (${saver.username})` : saver.username) : null;
    return {
      exists: Boolean(instance),
      status: instance?.status ?? null,
      version: instance?.version ?? 0,
      data: instance ? visibleValues(key.formCode, this.repo.values(instance.id), user) : {},
      updatedAt: instance?.updated_at ?? null,
      updatedBy,
      draft: draftRow ? { data: visibleValues(key.formCode, JSON.parse(draftRow.data) as Record<string, ItemValue>, user), savedAt: draftRow.saved_at } : null,
      ...(instance && this.openedBySystem(key) ? { openedBySystem: true } : {}),
    };
  }

  /**
   * A form the system opened (an AE from an infusion reaction, rows marked system in the audit trail) that no person
   * has saved yet: the first person's save completes it and needs no reason for change.
   */
  private openedBySystem(key: FormKey): boolean {
    const rows = this
      .sql(
        `SELECT COUNT(*) AS n, SUM(CASE WHEN json_extract(details, '$.system') = 1 AND (action LIKE 'item.%' OR action = 'form.status') THEN 1 ELSE 0 END) AS bySystem
           FROM audit_log WHERE subject_id = ? AND visit_code = ? AND form_code = ? AND repeat_key = ? AND action <> 'query'`,
      )
      .get(key.subjectId, key.visitCode, key.formCode, key.repeatKey) as { n: number; bySystem: number | null };
    return rows.n > 0 && rows.n === rows.bySystem;
  }

  /** Whether the user's role may save this form at all (PHARM: the pharmacist; every other form: the ward's roles). */
  private requireWriter(input: FormKey, user: User): void {
    const roles = FORMS[input.formCode].editRoles ?? DEFAULT_WRITERS;
    if (roles.includes(user.role)) return;
    const who = roleNames(roles);
    fail('FORBIDDEN', `「${FORMS[input.formCode].label.zh}」只能由${who.zh}保存`, `${FORMS[input.formCode].label.en} may only be saved by the ${who.en}`);
  }

  /** Items only some roles may set (investigator's confirmations, BILAG grades): any other role must leave them as stored. */
  private requireItemRoles(input: FormKey, before: FormData, after: FormData, user: User): void {
    for (const f of FORMS[input.formCode].fields) {
      if (mayEditItem(f, user.role) || same(before[f.id], after[f.id])) continue;
      const who = roleNames(f.editRoles ?? []);
      fail(
        'FORBIDDEN',
        `「${f.label.zh}」只能由${who.zh}填写或修改，数据未保存`,
        `${f.label.en} may only be set or changed by the ${who.en}; nothing was saved`,
        [{ checkId: `${input.formCode}.${f.id}.role`, fieldId: f.id, severity: 'error', message: { zh: `只能由${who.zh}填写`, en: `Only the ${who.en} may set this` } }],
      );
    }
  }

  /**
   * After a screen failure, withdrawal or completion only a new AE or EOS may be entered (saved forms may still be
   * corrected); nothing for a subject created in error (shared/protocol/subjectStatus.ts entryClosed).
   */
  private requireEntryOpen(status: SubjectStatus, input: FormKey, casebook: readonly CasebookForm[]): void {
    const exists = casebook.some((f) => f.visitCode === input.visitCode && f.formCode === input.formCode && f.repeatKey === input.repeatKey);
    const closed = entryClosed(status, input, exists);
    if (closed) fail('FORBIDDEN', `数据未保存：${closed.zh}`, `Not saved: ${closed.en}`);
  }

  save(input: SaveInput, user: User): SaveOutcome {
    this.requireWriter(input, user);
    const subject = this.subject(input.subjectId);
    const casebook = this.repo.cachedCasebook(input.subjectId);
    this.requireEntryOpen(subject.status, input, casebook);
    if (input.formCode !== 'CONSENT' && !casebook.some((f) => f.formCode === 'CONSENT')) {
      fail('CONSENT_REQUIRED', '请先录入知情同意，再录入其他数据', 'Record informed consent before any other data');
    }
    const others = casebook.filter(
      (f) => !(f.visitCode === input.visitCode && f.formCode === input.formCode && f.repeatKey === input.repeatKey),
    );
    const ctx = buildFormContext(others, input.visitCode, today(), input.repeatKey);
    let result = validateForm(input.formCode, input.data, ctx);
    if (result.ok && FORMS[input.formCode].fields.some((f) => f.system)) {
      // System items (the RESPONSE of record) are the back end's: what the client sent is replaced, then checked again.
      result = validateForm(input.formCode, this.systemItems(input, result.values, others), ctx);
    }
    if (!result.ok) {
      const first = result.errors[0];
      fail(
        'VALIDATION',
        `数据未保存：${result.errors.length} 处错误。${first ? first.message.zh : ''}`,
        `Not saved: ${result.errors.length} error(s). ${first ? first.message.en : ''}`,
        [...result.errors, ...result.warnings],
      );
    }
    const values = result.values;
    const at = stamp();

    const stamps = { before: '', afterSave: '' }; // form stamps of the subject, for the casebook cache
    const outcome = this.db.transaction((): SaveOutcome => {
      const stampBefore = this.repo.stamp(input.subjectId);
      const existing = this.repo.instance(input);
      const currentVersion = existing?.version ?? 0;
      if (currentVersion !== input.expectedVersion) {
        fail(
          'CONFLICT',
          `该表单已被他人修改（版本 ${currentVersion}），请重新打开后再保存`,
          `This form was changed by someone else (version ${currentVersion}); reopen it before saving`,
        );
      }
      if (existing?.status === 'locked') {
        fail('FORBIDDEN', '表单已被管理员锁定，不能修改；如需更正，请联系管理员解锁', 'The form is locked by the administrator and cannot be changed; ask an administrator to unlock it');
      }
      const oldValues = existing ? this.repo.values(existing.id) : {};
      this.requireItemRoles(input, oldValues, values, user);
      const keys = new Set([...Object.keys(oldValues), ...Object.keys(values)]);
      const changes: { item: string; before: ItemValue | undefined; after: ItemValue | undefined }[] = [];
      for (const item of [...keys].sort()) {
        if (!same(oldValues[item], values[item])) changes.push({ item, before: oldValues[item], after: values[item] });
      }
      const reason = input.reason?.trim() || null;
      if (existing && changes.length > 0 && !reason && !this.openedBySystem(input)) {
        fail('REASON_REQUIRED', '修改已保存的数据需要填写修改原因', 'A reason for change is required to change saved data');
      }
      const targetStatus = input.markComplete ? 'complete' : 'in_progress';
      let status: SaveOutcome['status'] = existing?.status ?? targetStatus;
      const resetFrom = existing && changes.length > 0 && (existing.status === 'verified' || existing.status === 'signed') ? existing.status : null;
      if (!existing || changes.length > 0) status = targetStatus;
      if (existing && changes.length === 0 && existing.status === 'in_progress' && input.markComplete) status = 'complete';

      let formId: number;
      let version = currentVersion;
      if (!existing) {
        formId = Number(
          this
            .sql(
              `INSERT INTO form_instances (subject_id, visit_code, form_code, repeat_key, status, version, created_at, created_by, updated_at, updated_by)
               VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`,
            )
            .run(input.subjectId, input.visitCode, input.formCode, input.repeatKey, status, at.utc, user.id, at.utc, user.id).lastInsertRowid,
        );
        version = 1;
      } else {
        formId = existing.id;
        if (changes.length > 0 || status !== existing.status) {
          version = existing.version + 1;
          this
            .sql('UPDATE form_instances SET status = ?, version = ?, updated_at = ?, updated_by = ? WHERE id = ?')
            .run(status, version, at.utc, user.id, formId);
        }
      }
      const upsert = this.sql(
        'INSERT INTO item_values (form_id, item_code, value) VALUES (?, ?, ?) ON CONFLICT (form_id, item_code) DO UPDATE SET value = excluded.value',
      );
      const remove = this.sql('DELETE FROM item_values WHERE form_id = ? AND item_code = ?');
      const base = {
        userId: user.id,
        username: user.username,
        subjectId: subject.id,
        screeningNo: subject.screening_no,
        visitCode: input.visitCode,
        formCode: input.formCode,
        repeatKey: input.repeatKey,
      };
      const entries: AuditEntry[] = [];
      for (const change of changes) {
        if (change.after === undefined || change.after === null) remove.run(formId, change.item);
        else upsert.run(formId, change.item, encodeValue(change.after));
        entries.push({
          ...base,
          action: change.before === undefined ? 'item.create' : change.after === undefined || change.after === null ? 'item.clear' : 'item.update',
          itemCode: change.item,
          oldValue: change.before === undefined ? null : encodeValue(change.before),
          newValue: change.after === undefined ? null : encodeValue(change.after),
          reason: existing ? reason : null,
        });
      }
      if (existing && status !== existing.status) {
        entries.push({
          ...base,
          action: 'form.status',
          oldValue: existing.status,
          newValue: status,
          reason: resetFrom ? `data changed after ${resetFrom === 'signed' ? 'signature' : 'source data verification'}` : reason,
        });
      } else if (!existing) {
        entries.push({ ...base, action: 'form.status', oldValue: null, newValue: status });
      }
      if (entries.length) this.audit.append(entries, at);
      this
        .sql('DELETE FROM drafts WHERE user_id = ? AND subject_id = ? AND visit_code = ? AND form_code = ? AND repeat_key = ?')
        .run(user.id, input.subjectId, input.visitCode, input.formCode, input.repeatKey);
      Object.assign(stamps, { before: stampBefore, afterSave: this.repo.stamp(input.subjectId) });
      for (const listener of this.listeners) listener({ formId, key: input, user, warnings: result.warnings });
      if (changes.length > 0 || !existing) {
        const saved: CasebookForm = { visitCode: input.visitCode, formCode: input.formCode, repeatKey: input.repeatKey, data: values };
        const casebook = this.withdrawStaleConfirmation(input, [...others, saved], user);
        const recomputed = this.recheckDependents(input, oldValues, values, casebook, user);
        this.derived.afterChange(input.subjectId, saved, casebook, result.derived, recomputed);
      }
      return { version, status, changedItems: changes.length, warnings: result.warnings, statusReset: resetFrom };
    }).immediate();
    this.repo.afterSave(input.subjectId, input, values, stamps.before, stamps.afterSave);
    return outcome;
  }

  /**
   * The system items of a form as the back end writes them (the RESPONSE of record, rule 10): confirming stores the
   * category, steps, inputs with their source form versions and the rules version from the casebook as it is now;
   * any other save keeps the stored ones. Whatever the client sent for them is ignored.
   */
  private systemItems(input: FormKey, values: FormData, others: readonly CasebookForm[]): FormData {
    const existing = this.repo.instance(input);
    const stored = existing ? this.repo.values(existing.id) : {};
    const out: FormData = { ...values };
    const confirming = input.formCode === 'RESPONSE' && values.confirmed === true;
    const record = confirming ? responseOfRecord(others, (visit, form, repeatKey) => this.repo.instance({ subjectId: input.subjectId, visitCode: visit, formCode: form, repeatKey })?.version ?? null) : null;
    for (const f of FORMS[input.formCode].fields) {
      if (!f.system) continue;
      const v = record ? record[f.id as (typeof RECORD_ITEMS)[number]] : stored[f.id];
      out[f.id] = v === undefined ? null : v;
    }
    return out;
  }

  /**
   * Rule 10: a save that changes an input of a confirmed RESPONSE withdraws the confirmation: confirmed = false and
   * recordWithdrawal naming the change, the form back to in progress (from complete, verified or signed), audited as
   * the system's with the reason. The query is raised when RESPONSE is checked again (RESPONSE.confirmed.inputChanged).
   * A locked RESPONSE is left as it is (the query still says so). Returns the casebook with RESPONSE as now stored.
   */
  private withdrawStaleConfirmation(input: FormKey, casebook: CasebookForm[], user: User): CasebookForm[] {
    if (!feedsRenalResponse(input.visitCode, input.formCode)) return casebook;
    const at = casebook.findIndex((f) => f.formCode === 'RESPONSE' && f.visitCode === 'M6' && (f.repeatKey ?? 0) === 0);
    const response = casebook[at];
    if (!response || response.data.confirmed !== true) return casebook;
    const why = withdrawalReason(response.data, casebook);
    if (!why) return casebook;
    const key: FormKey = { subjectId: input.subjectId, visitCode: 'M6', formCode: 'RESPONSE', repeatKey: 0 };
    const row = this.repo.instance(key);
    if (!row || row.status === 'locked') return casebook;
    const reason = `确认已撤销：${why.zh} / Confirmation withdrawn: ${why.en}`;
    const data = { ...response.data, confirmed: false, recordWithdrawal: reason };
    this.systemWrite(row, key, data, 'in_progress', reason, user);
    return casebook.map((f, i) => (i === at ? { ...response, data } : f));
  }

  /**
   * A change the system makes to a saved form on its own (not the user's save): item rows and the status, a new version,
   * audit rows marked as the system's with the reason, in the current transaction.
   */
  private systemWrite(row: FormInstanceRow, key: FormKey, data: FormData, status: SaveOutcome['status'], reason: string, user: User): void {
    const before = this.repo.values(row.id);
    const at = stamp();
    const subject = this.subject(key.subjectId);
    const base = { userId: user.id, username: user.username, subjectId: subject.id, screeningNo: subject.screening_no, visitCode: key.visitCode, formCode: key.formCode, repeatKey: key.repeatKey, reason, details: { system: true } };
    const entries: AuditEntry[] = [];
    for (const item of [...new Set([...Object.keys(before), ...Object.keys(data)])].sort()) {
      const was = before[item];
      const now = data[item] ?? undefined;
      if (same(was, now)) continue;
      if (now === undefined) this.sql('DELETE FROM item_values WHERE form_id = ? AND item_code = ?').run(row.id, item);
      else this.sql('INSERT INTO item_values (form_id, item_code, value) VALUES (?, ?, ?) ON CONFLICT (form_id, item_code) DO UPDATE SET value = excluded.value').run(row.id, item, encodeValue(now));
      entries.push({ ...base, action: was === undefined ? 'item.create' : now === undefined ? 'item.clear' : 'item.update', itemCode: item, oldValue: was === undefined ? null : encodeValue(was), newValue: now === undefined ? null : encodeValue(now) });
    }
    const newStatus = row.status === 'in_progress' ? row.status : status;
    if (newStatus !== row.status) entries.push({ ...base, action: 'form.status', oldValue: row.status, newValue: newStatus });
    if (entries.length === 0) return;
    this.sql('UPDATE form_instances SET status = ?, version = ?, updated_at = ?, updated_by = ? WHERE id = ?').run(newStatus, row.version + 1, at.utc, user.id, row.id);
    this.audit.append(entries, at);
    for (const listener of this.systemWriteListeners) listener({ formId: row.id, key, user });
  }

  /**
   * The saved forms that read this one through a cross-form rule, validated again against the new casebook; returns
   * their derived values (by formKeyOf) so the store need not compute them a second time.
   */
  private recheckDependents(input: FormKey, before: FormData, after: FormData, casebook: readonly CasebookForm[], user: User): Map<string, Record<string, DerivedValue | null>> {
    const derived = new Map<string, Record<string, DerivedValue | null>>();
    if (this.recheckListeners.length === 0) return derived;
    const day = today();
    for (const dep of dependentForms({ ...input, before, after }, casebook)) {
      const ctx = buildFormContext(
        casebook.filter((f) => f !== dep),
        dep.visitCode,
        day,
        dep.repeatKey,
      );
      const r = validateForm(dep.formCode, dep.data, ctx);
      derived.set(formKeyOf(dep.visitCode, dep.formCode, dep.repeatKey ?? 0), r.derived);
      const key: FormKey = { subjectId: input.subjectId, visitCode: dep.visitCode, formCode: dep.formCode, repeatKey: dep.repeatKey };
      for (const listener of this.recheckListeners) listener({ key, user, issues: [...r.errors, ...r.warnings] });
    }
    return derived;
  }

  saveDraft(key: FormKey, data: FormData, user: User): { savedAt: string } {
    this.subject(key.subjectId);
    const at = stamp();
    this
      .sql(
        `INSERT INTO drafts (user_id, subject_id, visit_code, form_code, repeat_key, data, saved_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (user_id, subject_id, visit_code, form_code, repeat_key) DO UPDATE SET data = excluded.data, saved_at = excluded.saved_at`,
      )
      .run(user.id, key.subjectId, key.visitCode, key.formCode, key.repeatKey, JSON.stringify(data), at.utc);
    return { savedAt: at.utc };
  }

  discardDraft(key: FormKey, user: User): null {
    this
      .sql('DELETE FROM drafts WHERE user_id = ? AND subject_id = ? AND visit_code = ? AND form_code = ? AND repeat_key = ?')
      .run(user.id, key.subjectId, key.visitCode, key.formCode, key.repeatKey);
    return null;
  }
}
