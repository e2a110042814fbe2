// The sealed randomisation list: generated from a seed (used once) or imported by the pharmacist and kept in the
// allocation vault (allocationVault.ts: arms only for key holders, with their password); status without arms for
// anyone; randomising an eligible, confirmed, consented subject to the next unused number in one transaction.
import { randomBytes } from 'node:crypto';
import type { User } from '../../../shared/api/calls/common';
import { booleanValue } from '../../../shared/protocol/formValues';
import { buildFormContext, findForm } from '../../../shared/protocol/casebook';
import { consentGate } from '../../../shared/protocol/consentGate';
import { ELIGIBILITY_CRITERIA, evaluateEligibility } from '../../../shared/rules';
import type { AuditEntry, AuditTrail } from '../audit/auditTrail';
import { stamp } from '../audit/clock';
import type { Db } from '../db/connection';
import { readSetting, writeSetting } from '../db/settings';
import { fail } from '../errors';
import type { FormService } from '../services/formService';
import type { UserService } from '../services/userService';
import { AllocationVault, type AccessHolder, type AccessPurpose, type VaultPayload } from './allocationVault';
import { ALLOCATION_METHOD, generatePermutedBlocks, randNumberOrder, type Allocation, type ListEntry } from './permutedBlocks';
import { parseListCsv } from './randomisationListCsv';
import { requireRole } from './roleGuard';

/**
 * What settings record about the list (key 'randomisation.list'): never an arm. The seed is used once and stored
 * nowhere; the list is identified by a keyed commitment (HMAC under the list key), which tests no guess.
 */
export interface ListRecord {
  source: 'generated' | 'imported';
  algorithm: string;
  size: number;
  listCommitment: string;
  createdAt: string;
  createdBy: string;
}

export interface RandomisationStatus {
  present: boolean;
  source: 'generated' | 'imported' | null;
  algorithm: string | null;
  size: number;
  used: number;
  remaining: number;
  listCommitment: string | null;
  createdAt: string | null;
  createdBy: string | null;
}

export interface Randomised {
  randNo: string;
  kitNo: string;
  day0Date: string;
}

export interface AllocationRow {
  randNo: string;
  kitNo: string;
  blockNo: number;
  allocation: Allocation;
  subjectId: number | null;
  screeningNo: string | null;
  assignedAt: string | null;
}

const SETTINGS_KEY = 'randomisation.list';
/** Short seeds could be guessed by trying them against the algorithm. */
export const MIN_SEED_LENGTH = 8;
/** Numeric order of randomisation numbers (R999 before R1000). */
const BY_NUMBER = 'ORDER BY length(rand_no), rand_no';
const byNumber = (entries: readonly ListEntry[]) => [...entries].sort(randNumberOrder);

export class RandomisationService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditTrail,
    private readonly forms: FormService,
    private readonly users: UserService,
    private readonly vault: AllocationVault,
  ) {
    forms.onSave(({ formId, key }) => {
      if (key.formCode === 'RAND') this.guardRandForm(formId, key.subjectId);
    });
  }

  private record(): ListRecord | null {
    const text = readSetting(this.db, SETTINGS_KEY);
    return text ? (JSON.parse(text) as ListRecord) : null;
  }

  private refuseIfStarted(): void {
    const used = this.db.prepare('SELECT COUNT(*) FROM randomisation_list WHERE subject_id IS NOT NULL').pluck().get() as number;
    const randomised = this.db.prepare('SELECT COUNT(*) FROM subjects WHERE rand_no IS NOT NULL').pluck().get() as number;
    if (used > 0 || randomised > 0) {
      fail('CONFLICT', '已有受试者随机，随机表已封存，不能更换', 'Subjects have been randomised: the sealed list can no longer be replaced');
    }
  }

  /**
   * A new list (replacing one still unused): a new list key, the entries sealed under it, the key wrapped under the
   * pharmacist's own password (the first holder, named by making the list), a recovery copy for the sponsor's key if
   * one is installed, the numbers in randomisation_list; one transaction. Other holders of an older list lose it.
   */
  private async store(entries: ListEntry[], user: User, password: string, source: ListRecord['source']): Promise<RandomisationStatus> {
    await this.users.reauthenticate(user, password);
    const listKey = randomBytes(32);
    const payload: VaultPayload = { entries: byNumber(entries) };
    const recovery = await this.vault.recoveryCopy(listKey, payload);
    this.db
      .transaction(() => {
        this.refuseIfStarted();
        this.db.prepare('DELETE FROM allocation_access').run();
        this.db.prepare('DELETE FROM legacy_allocations').run();
        this.vault.wrapFor(user, password, 'pharmacist', listKey, user.username);
        this.writeRows(payload, listKey, recovery, user, { source, event: source === 'generated' ? 'list generated' : 'list imported', replace: true });
      })
      .immediate();
    return this.status(user);
  }

  /**
   * Writes the numbers (replacing the list, or appending to it) and the sealed payload, and records what the list now
   * is: source, size and the keyed commitment (settings and an audit row, whose details the nonce makes unguessable).
   * Call inside a transaction.
   */
  private writeRows(
    payload: VaultPayload,
    listKey: Buffer,
    recovery: { armored: string; fingerprint: string } | null,
    user: User,
    how: { source: ListRecord['source']; event: string; replace: boolean; added?: ListEntry[] },
  ): void {
    const at = stamp();
    const old = this.record();
    if (how.replace) this.db.prepare('DELETE FROM randomisation_list').run();
    const insert = this.db.prepare('INSERT INTO randomisation_list (rand_no, kit_no) VALUES (?, ?)');
    for (const e of how.added ?? payload.entries) insert.run(e.randNo, e.kitNo);
    const commit = this.vault.write(listKey, payload, recovery);
    const record: ListRecord = {
      source: how.source,
      algorithm: how.source === 'generated' ? ALLOCATION_METHOD : 'imported CSV',
      size: payload.entries.length,
      listCommitment: commit,
      createdAt: at.utc,
      createdBy: user.username,
    };
    writeSetting(this.db, SETTINGS_KEY, JSON.stringify(record));
    this.audit.append(
      {
        userId: user.id > 0 ? user.id : null,
        username: user.username,
        action: 'randomisation',
        itemCode: 'list',
        oldValue: old?.listCommitment ?? null,
        newValue: commit,
        // Never the seed (it reproduces the list). Rows of this action are withheld from blinded roles, and exports redact
        // them; the random nonce the audit trail adds keeps their exported hash from testing a guess.
        details: { event: how.event, algorithm: record.algorithm, size: payload.entries.length, recoveryCopyFor: recovery?.fingerprint ?? null },
      },
      at,
    );
  }

  /** The unblinded pharmacist, re-entering their password (it wraps the new list's key). */
  async generateList(seed: string, size: number, user: User, password: string): Promise<RandomisationStatus> {
    requireRole(user, ['pharmacist']);
    this.refuseIfStarted();
    if (seed.trim().length < MIN_SEED_LENGTH) {
      fail('VALIDATION', `种子至少 ${MIN_SEED_LENGTH} 个字符`, `The seed needs at least ${MIN_SEED_LENGTH} characters`);
    }
    let entries: ListEntry[];
    try {
      entries = generatePermutedBlocks(seed, size);
    } catch (e) {
      return fail('VALIDATION', `无法生成随机表：${(e as Error).message}`, `Cannot generate the list: ${(e as Error).message}`);
    }
    return this.store(entries, user, password, 'generated');
  }

  /** An independent statistician's sealed list (CSV), imported by the pharmacist. */
  async importList(csv: string, user: User, password: string): Promise<RandomisationStatus> {
    requireRole(user, ['pharmacist']);
    this.refuseIfStarted();
    return this.store(parseListCsv(csv), user, password, 'imported');
  }

  /** Numbers used and left, for every role; never an arm (arms only come out of the vault with a holder's password). */
  status(user: User): RandomisationStatus {
    const record = this.record();
    const counts = this.db.prepare('SELECT COUNT(*) AS size, COUNT(subject_id) AS used FROM randomisation_list').get() as { size: number; used: number };
    return {
      present: counts.size > 0,
      source: record?.source ?? null,
      algorithm: record?.algorithm ?? null,
      size: counts.size,
      used: counts.used,
      remaining: counts.size - counts.used,
      listCommitment: user.role === 'pharmacist' || (user.role === 'admin' && user.id === 0) ? (record?.listCommitment ?? null) : null,
      createdAt: record?.createdAt ?? null,
      createdBy: record?.createdBy ?? null,
    };
  }

  /**
   * Opens the list for a holder with their password (the vault's key check is the password check; a wrong one counts
   * toward the lockout). A list from before the vault is sealed here, by the first pharmacist who opens it.
   */
  private async unlock(user: User, password: string, purposes: readonly AccessPurpose[]): Promise<{ listKey: Buffer; payload: VaultPayload }> {
    await this.users.reauthenticate(user, password);
    if (!this.vault.exists() && this.vault.legacyRows() > 0 && user.role === 'pharmacist') return this.sealLegacy(user, password);
    const listKey = this.vault.unlock(user, password, purposes);
    return { listKey, payload: this.vault.read(listKey) };
  }

  /** Seals a plaintext list from before schema 5 under a new key for this pharmacist, and drops the plaintext. */
  private async sealLegacy(user: User, password: string): Promise<{ listKey: Buffer; payload: VaultPayload }> {
    const legacy = this.db
      .prepare(`SELECT l.rand_no, n.kit_no, l.block_no, l.allocation FROM legacy_allocations l JOIN randomisation_list n USING (rand_no)`)
      .all() as { rand_no: string; kit_no: string; block_no: number; allocation: Allocation }[];
    const payload: VaultPayload = { entries: byNumber(legacy.map((r) => ({ randNo: r.rand_no, kitNo: r.kit_no, blockNo: r.block_no, allocation: r.allocation }))) };
    const listKey = randomBytes(32);
    const recovery = await this.vault.recoveryCopy(listKey, payload);
    this.db
      .transaction(() => {
        this.vault.wrapFor(user, password, 'pharmacist', listKey, user.username);
        const commit = this.vault.write(listKey, payload, recovery);
        const record = this.record();
        if (record) writeSetting(this.db, SETTINGS_KEY, JSON.stringify({ ...record, listCommitment: commit }));
        this.db.pragma('secure_delete = ON');
        this.db.prepare('DELETE FROM legacy_allocations').run();
        this.audit.append({ userId: user.id, username: user.username, action: 'randomisation', itemCode: 'list', newValue: commit, details: { event: 'plaintext list sealed in the vault', size: payload.entries.length } });
      })
      .immediate();
    return { listKey, payload };
  }

  /**
   * Gives another person a key to the list: a pharmacist (the unblinded role) or an investigator (emergency
   * unblinding). Both are present: the holder re-enters their password, the grantee types theirs (it wraps their
   * copy, so the administrator, who only ever sets passwords its owner must change, never learns one). Audited.
   */
  async grantAccess(user: User, password: string, grantee: { username: string; password: string }): Promise<AccessHolder[]> {
    requireRole(user, ['pharmacist']);
    const { listKey } = await this.unlock(user, password, ['pharmacist']);
    const target = await this.users.authenticateForGrant(grantee.username, grantee.password);
    const purpose: AccessPurpose | null = target.role === 'pharmacist' ? 'pharmacist' : target.role === 'investigator' ? 'emergency' : null;
    if (!purpose) fail('FORBIDDEN', '只有非盲药师和研究者可以持有随机表密钥', 'Only pharmacists and investigators may hold a key to the list');
    if (target.id === user.id) fail('CONFLICT', '您已持有随机表密钥', 'You already hold a key to the list');
    this.db
      .transaction(() => {
        this.vault.wrapFor(target, grantee.password, purpose!, listKey, user.username);
        this.audit.append({
          userId: user.id,
          username: user.username,
          action: 'access.grant',
          itemCode: 'allocation',
          newValue: target.username,
          details: { role: target.role, purpose, grantedBy: user.username, granteePresent: true },
        });
      })
      .immediate();
    return this.vault.holders();
  }

  /** The sponsor's recovery copy (OpenPGP, armored), or null. */
  recoveryCopy(): string | null {
    return this.vault.recoveryArmored();
  }

  /** Who holds a key to the list, and the sponsor recovery copy's key: the pharmacist's screen and the export manifest. */
  access(): { holders: AccessHolder[]; recoveryFingerprint: string | null } {
    return { holders: this.vault.holders(), recoveryFingerprint: this.vault.recoveryFingerprint() };
  }

  /** The key of the list for someone who holds one, e.g. for emergency unblinding of one subject (caller audits). */
  async openFor(user: User, password: string, purposes: readonly AccessPurpose[]): Promise<VaultPayload> {
    return (await this.unlock(user, password, purposes)).payload;
  }

  /** The checks before randomising: consent on file, eligibility confirmed by the investigator, every criterion met. */
  private checkReady(subjectId: number): void {
    const casebook = this.forms.repo.casebook(subjectId);
    const gate = consentGate('RAND', buildFormContext(casebook, 'D0'));
    if (!gate.allowed) fail('CONSENT_REQUIRED', gate.reason?.zh ?? '请先录入知情同意', gate.reason?.en ?? 'Record informed consent first');
    const elig = findForm(casebook, 'ELIG');
    if (!elig || booleanValue(elig.data, 'confirmed') !== true) {
      fail('VALIDATION', '拒绝随机：研究者尚未在入选/排除标准表中确认', 'Randomisation refused: the investigator has not confirmed eligibility (ELIG form)');
    }
    const result = evaluateEligibility(casebook);
    if (result.eligible !== true) {
      const bad = result.criteria.filter((c) => c.status !== 'met');
      const label = (id: string) => ELIGIBILITY_CRITERIA.find((c) => c.id === id)?.label ?? { zh: id, en: id };
      fail(
        'VALIDATION',
        `拒绝随机：以下标准不符合或缺少数据：${bad.map((c) => label(c.id).zh).join('；')}`,
        `Randomisation refused: criteria not met or missing: ${bad.map((c) => label(c.id).en).join('; ')}`,
      );
    }
  }

  /**
   * Randomising through the app: the investigator only, who has confirmed it cannot be undone and re-enters their own
   * password (a wrong one counts toward the lockout, like a signature). The checks run before the password.
   */
  async randomiseConfirmed(subjectId: number, password: string, user: User, date?: string): Promise<Randomised> {
    requireRole(user, ['investigator']);
    this.checkRandomisable(subjectId);
    await this.users.reauthenticate(user, password);
    return this.randomise(subjectId, user, date);
  }

  private checkRandomisable(subjectId: number): void {
    const subject = this.db.prepare('SELECT id, status, rand_no FROM subjects WHERE id = ?').get(subjectId) as
      | { id: number; status: string; rand_no: string | null }
      | undefined;
    if (!subject) fail('NOT_FOUND', `受试者 ${subjectId} 不存在`, `Subject ${subjectId} not found`);
    if (subject!.rand_no) fail('CONFLICT', `该受试者已随机（随机号 ${subject!.rand_no}），不能再次随机`, `This subject is already randomised (${subject!.rand_no})`);
    if (subject!.status !== 'screening') fail('CONFLICT', '只有筛选中的受试者可以随机', 'Only a subject in screening can be randomised');
    this.checkReady(subjectId);
  }

  /** Randomises a subject (the investigator, after randomiseConfirmed's password check): refuses unless ready and not yet randomised. */
  randomise(subjectId: number, user: User, date?: string): Randomised {
    requireRole(user, ['investigator']);
    this.checkRandomisable(subjectId);
    return this.assignNext(subjectId, date ?? stamp().local.slice(0, 10), user);
  }

  /**
   * Assigns the next unused list row (in randomisation-number order) inside one IMMEDIATE transaction: list row,
   * subject numbers and status, Day 0 visit date, the RAND form through FormService (numbers only, never the
   * allocation) and an audit row. Also used for demo data, whose eligibility the RAND form's own checks enforce.
   */
  assignNext(subjectId: number, date: string, user: User): Randomised {
    return this.db
      .transaction((): Randomised => {
        const subject = this.db.prepare('SELECT screening_no, rand_no FROM subjects WHERE id = ?').get(subjectId) as
          | { screening_no: string; rand_no: string | null }
          | undefined;
        if (!subject) return fail('NOT_FOUND', `受试者 ${subjectId} 不存在`, `Subject ${subjectId} not found`);
        const already = this.db.prepare('SELECT rand_no FROM randomisation_list WHERE subject_id = ?').pluck().get(subjectId);
        if (subject.rand_no || already) fail('CONFLICT', '该受试者已随机，不能再次随机', 'This subject is already randomised');
        const row = this.db
          .prepare(`SELECT rand_no, kit_no FROM randomisation_list WHERE subject_id IS NULL ${BY_NUMBER} LIMIT 1`)
          .get() as { rand_no: string; kit_no: string } | undefined;
        if (!row) {
          const size = this.db.prepare('SELECT COUNT(*) FROM randomisation_list').pluck().get() as number;
          fail(
            'CONFLICT',
            size === 0 ? '尚未生成或导入随机表，请联系管理员' : '随机表已用完，请联系管理员',
            size === 0 ? 'No randomisation list yet: ask the administrator to generate or import it' : 'The randomisation list is used up: contact the administrator',
          );
        }
        const at = stamp();
        this.db.prepare('UPDATE randomisation_list SET subject_id = ?, assigned_at = ? WHERE rand_no = ?').run(subjectId, at.utc, row!.rand_no);
        this.db.prepare("UPDATE subjects SET rand_no = ?, kit_no = ?, status = 'randomised' WHERE id = ?").run(row!.rand_no, row!.kit_no, subjectId);
        const oldDate = this.db.prepare("SELECT visit_date FROM visits WHERE subject_id = ? AND visit_code = 'D0'").pluck().get(subjectId) as
          | string
          | null
          | undefined;
        this.db
          .prepare("INSERT INTO visits (subject_id, visit_code, visit_date) VALUES (?, 'D0', ?) ON CONFLICT DO UPDATE SET visit_date = excluded.visit_date")
          .run(subjectId, date);
        const base = { userId: user.id, username: user.username, subjectId, screeningNo: subject.screening_no, visitCode: 'D0' };
        const entries: AuditEntry[] = [
          { ...base, action: 'randomisation', formCode: 'RAND', itemCode: 'randNo', newValue: row!.rand_no, details: { event: 'subject randomised', kitNo: row!.kit_no } },
        ];
        if (oldDate !== date) entries.push({ ...base, action: 'visit.date', itemCode: 'visitDate', oldValue: oldDate ?? null, newValue: date });
        this.audit.append(entries, at);
        const existing = this.forms.repo.instance({ subjectId, visitCode: 'D0', formCode: 'RAND', repeatKey: 0 });
        this.forms.save(
          {
            subjectId,
            visitCode: 'D0',
            formCode: 'RAND',
            repeatKey: 0,
            data: { randDate: date, randNo: row!.rand_no, kitNo: row!.kit_no },
            expectedVersion: existing?.version ?? 0,
            markComplete: true,
            ...(existing ? { reason: 'randomisation from the sealed list' } : {}),
          },
          user,
        );
        return { randNo: row!.rand_no, kitNo: row!.kit_no, day0Date: date };
      })
      .immediate();
  }

  /** A RAND form may carry only the numbers the list assigned (once a list exists) and never the allocation. */
  private guardRandForm(formId: number, subjectId: number): void {
    const values = new Map(
      (this.db.prepare('SELECT item_code, value FROM item_values WHERE form_id = ?').all(formId) as { item_code: string; value: string }[]).map(
        (r) => [r.item_code, JSON.parse(r.value) as unknown],
      ),
    );
    if (values.has('allocation')) fail('FORBIDDEN', '分组不能录入病例表', 'The allocation must not be entered in the casebook');
    const listed = this.db.prepare('SELECT COUNT(*) FROM randomisation_list').pluck().get() as number;
    if (listed === 0) return;
    const subject = this.db.prepare('SELECT rand_no, kit_no FROM subjects WHERE id = ?').get(subjectId) as { rand_no: string | null; kit_no: string | null };
    if (values.get('randNo') !== subject.rand_no || values.get('kitNo') !== subject.kit_no) {
      fail('FORBIDDEN', '随机号和药物编号只能由系统在随机时分配', 'Randomisation and kit numbers are assigned by the system at randomisation only');
    }
  }

  /**
   * The whole list with arms and assignments: the unblinded pharmacist, with their password; a sponsor key installed
   * since the list was made gets its recovery copy now (the key is open).
   */
  async allocations(user: User, password: string): Promise<AllocationRow[]> {
    requireRole(user, ['pharmacist']);
    const { listKey, payload } = await this.unlock(user, password, ['pharmacist']);
    const sponsor = this.db.prepare("SELECT fingerprint FROM export_keys WHERE role = 'sponsor'").pluck().get() as string | undefined;
    if (sponsor && this.vault.recoveryFingerprint() !== sponsor) {
      const recovery = await this.vault.recoveryCopy(listKey, payload);
      if (recovery) this.db.transaction(() => this.vault.storeRecovery(recovery)).immediate();
    }
    const assigned = new Map(
      (
        this.db.prepare('SELECT l.rand_no, l.subject_id, s.screening_no, l.assigned_at FROM randomisation_list l LEFT JOIN subjects s ON s.id = l.subject_id').all() as {
          rand_no: string;
          subject_id: number | null;
          screening_no: string | null;
          assigned_at: string | null;
        }[]
      ).map((r) => [r.rand_no, r]),
    );
    return payload.entries.map((e) => {
      const a = assigned.get(e.randNo);
      return { ...e, subjectId: a?.subject_id ?? null, screeningNo: a?.screening_no ?? null, assignedAt: a?.assigned_at ?? null };
    });
  }

  /** The number and arm of a randomised subject, from an opened list (emergency unblinding). */
  allocationOf(subjectId: number, payload: VaultPayload): { randNo: string; allocation: Allocation } | null {
    const randNo = this.db.prepare('SELECT rand_no FROM randomisation_list WHERE subject_id = ?').pluck().get(subjectId) as string | undefined;
    const allocation = randNo ? AllocationVault.armOf(payload, randNo) : null;
    return randNo && allocation ? { randNo, allocation } : null;
  }

  /** Whether a subject has a number from the list (before asking anyone's password to reveal it). */
  isRandomised(subjectId: number): boolean {
    return Boolean(this.db.prepare('SELECT 1 FROM randomisation_list WHERE subject_id = ?').get(subjectId));
  }

  /**
   * Demo data only: the arms of the list as it stands, opened once with the demo pharmacist's password (the demo's
   * pharmacy prepares each bag from it: a placebo bag holds no cells).
   */
  demoArms(user: User, password: string): Map<string, Allocation> {
    requireRole(user, ['pharmacist']);
    const payload = this.vault.read(this.vault.unlock(user, password, ['pharmacist']));
    return new Map(payload.entries.map((e) => [e.randNo, e.allocation]));
  }

  /**
   * Demo data only: makes sure at least `needed` unused rows exist, generating a first list from `seed` or appending
   * a further sealed segment (seeded from `seed` and its first number) after the rows already there. `user` is the
   * demo's pharmacist with their password (the list key is wrapped for, or opened with, it).
   */
  ensureFreeRows(seed: string, needed: number, user: User, password: string): void {
    requireRole(user, ['pharmacist']);
    const free = this.db.prepare('SELECT COUNT(*) FROM randomisation_list WHERE subject_id IS NULL').pluck().get() as number;
    if (free >= needed) return;
    const size = this.db.prepare('SELECT COUNT(*) FROM randomisation_list').pluck().get() as number;
    if (size === 0) {
      const entries = generatePermutedBlocks(seed, needed);
      const listKey = randomBytes(32);
      this.db.transaction(() => {
        this.vault.wrapFor(user, password, 'pharmacist', listKey, user.username);
        this.writeRows({ entries }, listKey, null, user, { source: 'generated', event: 'list generated', replace: false });
      })();
      return;
    }
    const listKey = this.vault.unlock(user, password, ['pharmacist']);
    const payload = this.vault.read(listKey);
    const lastBlock = Math.max(0, ...payload.entries.map((e) => e.blockNo));
    const lastNumber = this.db.prepare('SELECT MAX(CAST(substr(rand_no, 2) AS INTEGER)) FROM randomisation_list').pluck().get() as number;
    const segmentSeed = `${seed}#${lastNumber + 1}`;
    const added = generatePermutedBlocks(segmentSeed, needed - free, { firstNumber: lastNumber + 1, firstBlock: lastBlock + 1 });
    this.db.transaction(() =>
      this.writeRows({ entries: byNumber([...payload.entries, ...added]) }, listKey, null, user, { source: 'generated', event: 'list extended (demo)', replace: false, added }),
    )();
  }
}
