// Form lifecycle after data entry: item-level source data verification by the monitor, e-signature by the
// investigator (password re-entered, fixed meaning stored with form version and UTC + Shanghai time), lock/unlock
// by the admin. complete → verified → signed → locked; a data change resets verified/signed (FormService + onSave here).
import type { User } from '../../../shared/api/calls/common';
import { SIGNATURE_MEANINGS, type FormLifecycle } from '../../../shared/api/calls/lifecycle';
import { FORMS, formsForVisit, isFormCode } from '../../../shared/protocol/study';
import type { AuditEntry, AuditTrail } from '../audit/auditTrail';
import { stamp } from '../audit/clock';
import type { Db } from '../db/connection';
import { fail } from '../errors';
import type { FormInstanceRow, FormKey } from '../services/casebookRepository';
import type { FormService } from '../services/formService';
import type { UserService } from '../services/userService';
import { demogBySubject } from '../services/subjectDemog';
import { formExpected } from '../../../shared/protocol/visitStatus';
import { formLabel, isAllocationItem, itemLabel } from './itemLabels';
import { requireRole } from './roleGuard';

type Status = FormInstanceRow['status'];
export type SignScope =
  | { scope: 'form'; formKey: FormKey }
  | { scope: 'visit'; subjectId: number; visitCode: FormKey['visitCode'] }
  | { scope: 'casebook'; subjectId: number };
export type LockScope = { scope: 'form'; formKey: FormKey } | { scope: 'casebook'; subjectId: number };

interface SignatureRow {
  scope: 'form' | 'visit' | 'casebook';
  username: string;
  display_name: string;
  meaning_zh: string;
  meaning_en: string;
  form_version: number | null;
  signed_at_utc: string;
  signed_at_local: string;
}

const STATUS_LABEL: Record<Status, { zh: string; en: string }> = {
  in_progress: { zh: '未完成', en: 'in progress' },
  complete: { zh: '已完成', en: 'complete' },
  verified: { zh: '已核查', en: 'verified' },
  signed: { zh: '已签名', en: 'signed' },
  locked: { zh: '已锁定', en: 'locked' },
};

const formName = (r: Pick<FormInstanceRow, 'visit_code' | 'form_code' | 'repeat_key'>) => {
  const label = formLabel(r.form_code);
  const repeat = r.repeat_key > 0 ? ` #${r.repeat_key}` : '';
  return { zh: `${r.visit_code} ${label.zh}${repeat}`, en: `${r.visit_code} ${label.en}${repeat}` };
};

export class LifecycleService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditTrail,
    private readonly forms: FormService,
    private readonly users: UserService,
  ) {}

  /** Subscribes to form saves: an item whose value changed since it was verified loses its SDV (same transaction). */
  attach(forms: FormService): void {
    // Item-level SDV of a value that changed is withdrawn with the save (prepared once: this runs on every save).
    const withdrawChangedSdv = this.db.prepare(
      `DELETE FROM sdv_items WHERE form_id = ? AND value IS NOT (SELECT v.value FROM item_values v WHERE v.form_id = sdv_items.form_id AND v.item_code = sdv_items.item_code)`,
    );
    forms.onSave(({ formId }) => {
      withdrawChangedSdv.run(formId);
    });
    // A form the system changed (a withdrawn confirmation) loses the SDV of what changed too.
    forms.onSystemWrite(({ formId }) => {
      withdrawChangedSdv.run(formId);
    });
  }

  private subject(subjectId: number): { id: number; screening_no: string } {
    return (
      (this.db.prepare('SELECT id, screening_no FROM subjects WHERE id = ?').get(subjectId) as { id: number; screening_no: string } | undefined) ??
      fail('NOT_FOUND', `受试者 ${subjectId} 不存在`, `Subject ${subjectId} not found`)
    );
  }

  private instance(key: FormKey): FormInstanceRow {
    this.subject(key.subjectId);
    return this.forms.repo.instance(key) ?? fail('NOT_FOUND', '该表单尚未保存', 'This form has not been saved yet');
  }

  /** Items SDV covers: those holding a value, except allocation items (the monitor is blinded), in the form's order. */
  private itemsWithValue(formId: number, formCode: string): string[] {
    const codes = this.db.prepare('SELECT item_code FROM item_values WHERE form_id = ? ORDER BY item_code').pluck().all(formId) as string[];
    const order = isFormCode(formCode) ? [...FORMS[formCode].fields.map((f) => f.id), ...(FORMS[formCode].derived ?? []).map((d) => d.id)] : [];
    const rank = (c: string) => (order.includes(c) ? order.indexOf(c) : order.length);
    return codes.filter((c) => !isAllocationItem(formCode, c)).sort((a, b) => rank(a) - rank(b));
  }

  private queriedItems(key: FormKey): string[] {
    return this.db
      .prepare(
        `SELECT DISTINCT item_code FROM queries WHERE subject_id = ? AND visit_code = ? AND form_code = ? AND repeat_key = ? AND status <> 'closed'
          ORDER BY item_code`,
      )
      .pluck()
      .all(key.subjectId, key.visitCode, key.formCode, key.repeatKey) as string[];
  }

  private unresolvedQueries(key: FormKey): number {
    return this.db
      .prepare(
        `SELECT COUNT(*) FROM queries WHERE subject_id = ? AND visit_code = ? AND form_code = ? AND repeat_key = ? AND status <> 'closed'`,
      )
      .pluck()
      .get(key.subjectId, key.visitCode, key.formCode, key.repeatKey) as number;
  }

  forForm(key: FormKey): FormLifecycle {
    this.subject(key.subjectId);
    const row = this.forms.repo.instance(key);
    if (!row) {
      return { exists: false, status: null, version: 0, itemsWithValue: [], itemLabels: {}, verifiedItems: [], unresolvedQueries: 0, queriedItems: [], signatures: [], lock: null };
    }
    const verified = this.db
      .prepare(
        `SELECT s.item_code AS itemCode, u.username, s.verified_at AS verifiedAt FROM sdv_items s JOIN users u ON u.id = s.verified_by
          WHERE s.form_id = ? ORDER BY s.item_code`,
      )
      .all(row.id) as FormLifecycle['verifiedItems'];
    const signatures = this.db
      .prepare(
        `SELECT * FROM signatures WHERE subject_id = ? AND visit_code = ? AND form_code = ? AND repeat_key = ? ORDER BY id DESC`,
      )
      .all(key.subjectId, key.visitCode, key.formCode, key.repeatKey) as SignatureRow[];
    const lockRow =
      row.status === 'locked'
        ? (this.db
            .prepare(
              `SELECT username, at_utc, reason FROM audit_log WHERE action = 'form.status' AND subject_id = ? AND visit_code = ?
                 AND form_code = ? AND repeat_key = ? AND new_value = 'locked' ORDER BY seq DESC LIMIT 1`,
            )
            .get(key.subjectId, key.visitCode, key.formCode, key.repeatKey) as { username: string | null; at_utc: string; reason: string | null } | undefined)
        : undefined;
    const items = this.itemsWithValue(row.id, row.form_code);
    return {
      exists: true,
      status: row.status,
      version: row.version,
      itemsWithValue: items,
      itemLabels: Object.fromEntries(items.map((c) => [c, itemLabel(row.form_code, c)])),
      verifiedItems: verified.filter((v) => !isAllocationItem(row.form_code, v.itemCode)),
      unresolvedQueries: this.unresolvedQueries(key),
      queriedItems: this.queriedItems(key),
      signatures: signatures.map((s) => ({
        scope: s.scope,
        username: s.username,
        displayName: s.display_name,
        meaning: { zh: s.meaning_zh, en: s.meaning_en },
        formVersion: s.form_version,
        signedAtUtc: s.signed_at_utc,
        signedAtLocal: s.signed_at_local,
        current: s.form_version === row.version && (row.status === 'signed' || row.status === 'locked'),
      })),
      lock: lockRow ? { username: lockRow.username, atUtc: lockRow.at_utc, reason: lockRow.reason } : null,
    };
  }

  /** Who and which form, for the audit rows of an SDV step. */
  private auditBase(key: FormKey, subject: { id: number; screening_no: string }, user: User) {
    return {
      userId: user.id,
      username: user.username,
      subjectId: subject.id,
      screeningNo: subject.screening_no,
      visitCode: key.visitCode,
      formCode: key.formCode,
      repeatKey: key.repeatKey,
    };
  }

  private verifiedCodes(formId: number): Set<string> {
    return new Set(this.db.prepare('SELECT item_code FROM sdv_items WHERE form_id = ?').pluck().all(formId) as string[]);
  }

  private setStatus(row: FormInstanceRow, status: Status, user: User, screeningNo: string, reason: string | null, entries: AuditEntry[]): void {
    this.db.prepare('UPDATE form_instances SET status = ? WHERE id = ?').run(status, row.id);
    entries.push({
      userId: user.id,
      username: user.username,
      action: 'form.status',
      subjectId: row.subject_id,
      screeningNo,
      visitCode: row.visit_code,
      formCode: row.form_code,
      repeatKey: row.repeat_key,
      oldValue: row.status,
      newValue: status,
      reason,
    });
  }

  /**
   * SDV of single items by the monitor. Allowed on complete, verified or signed forms (not in progress, not locked);
   * items must hold a value and have no open or answered query. A complete form becomes 'verified' once every item with a value is verified.
   */
  verifyItems(key: FormKey, itemCodes: readonly string[], user: User): FormLifecycle {
    requireRole(user, ['monitor']);
    const at = stamp();
    this.db.transaction(() => {
      const row = this.instance(key);
      const subject = this.subject(key.subjectId);
      if (row.status === 'in_progress') fail('CONFLICT', '表单尚未完成，不能核查', 'The form is not complete yet and cannot be verified');
      if (row.status === 'locked') fail('CONFLICT', '表单已锁定，不能核查', 'The form is locked and cannot be verified');
      const withValue = new Set(this.itemsWithValue(row.id, row.form_code));
      const unknown = itemCodes.filter((c) => !withValue.has(c));
      if (unknown.length > 0) {
        fail('VALIDATION', `以下数据项没有可核查的值：${unknown.join('、')}`, `These items hold no value to verify: ${unknown.join(', ')}`);
      }
      const queried = new Set(this.queriedItems(key));
      const blocked = itemCodes.filter((c) => queried.has(c));
      if (blocked.length > 0) {
        fail('CONFLICT', `以下数据项有未解决的质疑，关闭后才能核查：${blocked.join('、')}`, `These items have unresolved queries; close them before verifying: ${blocked.join(', ')}`);
      }
      const already = this.verifiedCodes(row.id);
      const fresh = [...new Set(itemCodes)].filter((c) => !already.has(c));
      if (fresh.length === 0) fail('CONFLICT', '所选数据项均已核查', 'The selected items are already verified');
      const insert = this.db.prepare(
        `INSERT INTO sdv_items (form_id, item_code, value, verified_by, verified_at)
         SELECT form_id, item_code, value, ?, ? FROM item_values WHERE form_id = ? AND item_code = ?`,
      );
      const base = this.auditBase(key, subject, user);
      const entries: AuditEntry[] = fresh.map((item) => ({ ...base, action: 'sdv', itemCode: item, newValue: 'verified', details: { formVersion: row.version } }));
      for (const item of fresh) insert.run(user.id, at.utc, row.id, item);
      const now = this.verifiedCodes(row.id);
      if (row.status === 'complete' && [...withValue].every((c) => now.has(c))) this.setStatus(row, 'verified', user, subject.screening_no, null, entries);
      this.audit.append(entries, at);
    }).immediate();
    return this.forForm(key);
  }

  /** Withdraws SDV of items (audited with the reason); a verified form returns to complete. Not on a locked form. */
  unverifyItems(key: FormKey, itemCodes: readonly string[], reason: string, user: User): FormLifecycle {
    requireRole(user, ['monitor']);
    const at = stamp();
    this.db.transaction(() => {
      const row = this.instance(key);
      const subject = this.subject(key.subjectId);
      if (row.status === 'locked') fail('CONFLICT', '表单已锁定，不能撤销核查', 'The form is locked; verification cannot be withdrawn');
      const verified = this.verifiedCodes(row.id);
      const codes = [...new Set(itemCodes)];
      const notVerified = codes.filter((c) => !verified.has(c));
      if (notVerified.length > 0) {
        fail('CONFLICT', `以下数据项尚未核查：${notVerified.join('、')}`, `These items are not verified: ${notVerified.join(', ')}`);
      }
      const remove = this.db.prepare('DELETE FROM sdv_items WHERE form_id = ? AND item_code = ?');
      const base = this.auditBase(key, subject, user);
      const entries: AuditEntry[] = codes.map((item) => ({ ...base, action: 'sdv', itemCode: item, oldValue: 'verified', newValue: null, reason }));
      for (const item of codes) remove.run(row.id, item);
      if (row.status === 'verified') this.setStatus(row, 'complete', user, subject.screening_no, reason, entries);
      this.audit.append(entries, at);
    }).immediate();
    return this.forForm(key);
  }

  /** SDV of the whole form: only a complete form with no open or answered queries (resolve them first). */
  verifyForm(key: FormKey, user: User): FormLifecycle {
    requireRole(user, ['monitor']);
    const row = this.instance(key);
    if (row.status !== 'complete') {
      fail('CONFLICT', `只能核查“已完成”的表单（当前：${STATUS_LABEL[row.status].zh}）`, `Only a complete form can be verified (now: ${STATUS_LABEL[row.status].en})`);
    }
    const open = this.unresolvedQueries(key);
    if (open > 0) fail('CONFLICT', `该表单还有 ${open} 个未解决的质疑，请先关闭`, `This form has ${open} unresolved quer${open === 1 ? 'y' : 'ies'}; close them first`);
    const verified = this.verifiedCodes(row.id);
    const remaining = this.itemsWithValue(row.id, row.form_code).filter((c) => !verified.has(c));
    if (remaining.length > 0) return this.verifyItems(key, remaining, user);
    // Every item is already verified (e.g. the only change since was clearing an item): the form itself is confirmed.
    const subject = this.subject(key.subjectId);
    const at = stamp();
    this.db.transaction(() => {
      const entries: AuditEntry[] = [];
      this.setStatus(row, 'verified', user, subject.screening_no, null, entries);
      this.audit.append(entries, at);
    }).immediate();
    return this.forForm(key);
  }

  /** The forms a signature covers, checked: each must be complete or verified; already signed ones are skipped. */
  private formsToSign(scope: SignScope): FormInstanceRow[] {
    let rows: FormInstanceRow[];
    if (scope.scope === 'form') {
      rows = [this.instance(scope.formKey)];
    } else {
      this.subject(scope.subjectId);
      rows = (
        scope.scope === 'visit'
          ? this.db.prepare('SELECT * FROM form_instances WHERE subject_id = ? AND visit_code = ? ORDER BY id').all(scope.subjectId, scope.visitCode)
          : this.db.prepare('SELECT * FROM form_instances WHERE subject_id = ? ORDER BY id').all(scope.subjectId)
      ) as FormInstanceRow[];
      if (scope.scope === 'visit') {
        const demog = demogBySubject(this.db, [scope.subjectId]).get(scope.subjectId);
        const expected = formsForVisit(scope.visitCode).map((f) => f.code).filter((c) => formExpected(c, demog));
        const missing = expected.filter((c) => !rows.some((r) => r.form_code === c));
        if (missing.length > 0) {
          const names = missing.map((c) => formLabel(c));
          fail('CONFLICT', `该访视还有未录入的表单：${names.map((n) => n.zh).join('、')}`, `Forms of this visit not entered yet: ${names.map((n) => n.en).join(', ')}`);
        }
      }
      if (rows.length === 0) fail('CONFLICT', '没有可签名的表单', 'There are no forms to sign');
    }
    const blocking = rows.filter((r) => r.status === 'in_progress' || r.status === 'locked');
    if (blocking.length > 0) {
      const list = blocking.map((r) => ({ name: formName(r), status: STATUS_LABEL[r.status] }));
      fail(
        'CONFLICT',
        `只能签名已完成或已核查的表单：${list.map((b) => `${b.name.zh}（${b.status.zh}）`).join('、')}`,
        `Only complete or verified forms can be signed: ${list.map((b) => `${b.name.en} (${b.status.en})`).join(', ')}`,
      );
    }
    const toSign = rows.filter((r) => r.status !== 'signed');
    if (toSign.length === 0) fail('CONFLICT', '这些表单均已签名', 'These forms are already signed');
    return toSign;
  }

  /**
   * E-signature: re-checks the investigator's password first (REAUTH_FAILED stores nothing and keeps the session),
   * then in one transaction stores one signature row per form (scope, form version, meaning, UTC + local time),
   * sets each form 'signed' and audits 'signature' + 'form.status'.
   */
  async sign(scope: SignScope, password: string, meaningCode: keyof typeof SIGNATURE_MEANINGS, user: User): Promise<{ signedForms: number }> {
    requireRole(user, ['investigator']);
    this.formsToSign(scope); // refuse early, before asking scrypt
    await this.users.reauthenticate(user, password);
    const meaning = SIGNATURE_MEANINGS[meaningCode];
    const at = stamp();
    const signer = this.db.prepare('SELECT display_name FROM users WHERE id = ?').pluck().get(user.id) as string;
    return this.db.transaction(() => {
      const rows = this.formsToSign(scope); // again inside the transaction: nothing changed in between
      const subject = this.subject(rows[0]!.subject_id);
      const insert = this.db.prepare(
        `INSERT INTO signatures (scope, subject_id, visit_code, form_code, repeat_key, form_version, user_id, username, display_name,
                                 meaning_zh, meaning_en, signed_at_utc, signed_at_local)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const entries: AuditEntry[] = [];
      for (const row of rows) {
        insert.run(scope.scope, row.subject_id, row.visit_code, row.form_code, row.repeat_key, row.version, user.id, user.username, signer, meaning.zh, meaning.en, at.utc, at.local);
        entries.push({
          userId: user.id,
          username: user.username,
          action: 'signature',
          subjectId: row.subject_id,
          screeningNo: subject.screening_no,
          visitCode: row.visit_code,
          formCode: row.form_code,
          repeatKey: row.repeat_key,
          newValue: meaning.en,
          details: { scope: scope.scope, formVersion: row.version, meaningZh: meaning.zh, signedAtLocal: at.local },
        });
        this.setStatus(row, 'signed', user, subject.screening_no, null, entries);
      }
      this.audit.append(entries, at);
      return { signedForms: rows.length };
    }).immediate();
  }

  private scopeRows(scope: LockScope): FormInstanceRow[] {
    if (scope.scope === 'form') return [this.instance(scope.formKey)];
    this.subject(scope.subjectId);
    return this.db.prepare('SELECT * FROM form_instances WHERE subject_id = ? ORDER BY id').all(scope.subjectId) as FormInstanceRow[];
  }

  /** Locks every form of the scope that is not locked yet; saves are then refused until unlocked. */
  lock(scope: LockScope, reason: string, user: User): { forms: number } {
    requireRole(user, ['admin']);
    const at = stamp();
    return this.db.transaction(() => {
      const rows = this.scopeRows(scope).filter((r) => r.status !== 'locked');
      if (rows.length === 0) fail('CONFLICT', '没有可锁定的表单（均已锁定或尚无数据）', 'Nothing to lock (already locked or no data yet)');
      const subject = this.subject(rows[0]!.subject_id);
      const entries: AuditEntry[] = [];
      for (const row of rows) this.setStatus(row, 'locked', user, subject.screening_no, reason, entries);
      this.audit.append(entries, at);
      return { forms: rows.length };
    }).immediate();
  }

  /** Unlocks: each form returns to the status it had just before its lock (read from its audit rows). */
  unlock(scope: LockScope, reason: string, user: User): { forms: number } {
    requireRole(user, ['admin']);
    const at = stamp();
    const before = this.db.prepare(
      `SELECT old_value FROM audit_log WHERE action = 'form.status' AND subject_id = ? AND visit_code = ? AND form_code = ?
          AND repeat_key = ? AND new_value = 'locked' ORDER BY seq DESC LIMIT 1`,
    );
    return this.db.transaction(() => {
      const rows = this.scopeRows(scope).filter((r) => r.status === 'locked');
      if (rows.length === 0) fail('CONFLICT', '没有已锁定的表单', 'Nothing is locked');
      const subject = this.subject(rows[0]!.subject_id);
      const entries: AuditEntry[] = [];
      for (const row of rows) {
        const previous = before.pluck().get(row.subject_id, row.visit_code, row.form_code, row.repeat_key) as Status | undefined;
        const status: Status = previous && previous !== 'locked' ? previous : 'complete';
        this.setStatus(row, status, user, subject.screening_no, reason, entries);
      }
      this.audit.append(entries, at);
      return { forms: rows.length };
    }).immediate();
  }
}
