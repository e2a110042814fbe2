// The sealed randomisation list: generate from a recorded seed or import, status without arm counts for blinded
// roles, and randomising an eligible, confirmed, consented subject to the next unused list row in one transaction.
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
import { ALLOCATION_METHOD, generatePermutedBlocks, listDigest, type Allocation, type ListEntry } from './permutedBlocks';
import { parseListCsv } from './randomisationListCsv';
import { isBlinded, requireRole } from './roleGuard';

/** What settings record about the list (key 'randomisation.list'). The seed is used once and stored nowhere. */
export interface ListRecord {
  source: 'generated' | 'imported';
  algorithm: string;
  size: number;
  listSha256: string;
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
  listSha256: string | null;
  createdAt: string | null;
  createdBy: string | null;
  /** Counts by arm: only for the unblinded role, null for everyone else. */
  byArm: { msc: number; placebo: number; usedMsc: number; usedPlacebo: number } | null;
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

export class RandomisationService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditTrail,
    private readonly forms: FormService,
    private readonly users: UserService,
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

  /** Replaces the (still unused) list with `entries`, in one transaction. */
  private store(entries: ListEntry[], user: User, source: ListRecord['source']): RandomisationStatus {
    this.db
      .transaction(() => {
        this.refuseIfStarted();
        this.writeRows(entries, user, { source, event: source === 'generated' ? 'list generated' : 'list imported', replace: true });
      })
      .immediate();
    return this.status(user);
  }

  /**
   * Writes list rows (replacing the list, or appending to it) and records what the list now is: source, size and the
   * SHA-256 of the whole list in rand_no order in settings, and an audit row. Call inside a transaction.
   */
  private writeRows(entries: ListEntry[], user: User, how: { source: ListRecord['source']; event: string; replace: boolean }): void {
    const at = stamp();
    const old = this.record();
    if (how.replace) this.db.prepare('DELETE FROM randomisation_list').run();
    const insert = this.db.prepare('INSERT INTO randomisation_list (rand_no, kit_no, block_no, allocation) VALUES (?, ?, ?, ?)');
    for (const e of entries) insert.run(e.randNo, e.kitNo, e.blockNo, e.allocation);
    const all = (
      this.db.prepare(`SELECT rand_no, kit_no, block_no, allocation FROM randomisation_list ${BY_NUMBER}`).all() as {
        rand_no: string;
        kit_no: string;
        block_no: number;
        allocation: Allocation;
      }[]
    ).map((r) => ({ randNo: r.rand_no, kitNo: r.kit_no, blockNo: r.block_no, allocation: r.allocation }));
    const record: ListRecord = {
      source: how.source,
      algorithm: how.source === 'generated' ? ALLOCATION_METHOD : 'imported CSV',
      size: all.length,
      listSha256: listDigest(all),
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
        oldValue: old?.listSha256 ?? null,
        newValue: record.listSha256,
        // Never the seed (it reproduces the list). Rows of this action are withheld from blinded roles, and exports redact
        // them; the random nonce the audit trail adds keeps their exported hash from testing a guess.
        details: { event: how.event, algorithm: record.algorithm, size: entries.length },
      },
      at,
    );
  }

  /** `user` may be the command line's stand-in administrator (id 0, recorded without a user id). */
  generateList(seed: string, size: number, user: User): RandomisationStatus {
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
    return this.store(entries, user, 'generated');
  }

  importList(csv: string, user: User): RandomisationStatus {
    requireRole(user, ['pharmacist']);
    this.refuseIfStarted();
    return this.store(parseListCsv(csv), user, 'imported');
  }

  status(user: User): RandomisationStatus {
    const record = this.record();
    // The digest lets someone test a guessed list offline (a short list has few possible orders): only for those who
    // hold the list already: the pharmacist and the command line's operator (id 0: it runs on the database file).
    const seesDigests = user.role === 'pharmacist' || (user.role === 'admin' && user.id === 0);
    const counts = this.db
      .prepare(
        `SELECT COUNT(*) AS size, COUNT(subject_id) AS used,
           SUM(allocation = 'MSC') AS msc, SUM(allocation = 'PLACEBO') AS placebo,
           SUM(allocation = 'MSC' AND subject_id IS NOT NULL) AS usedMsc, SUM(allocation = 'PLACEBO' AND subject_id IS NOT NULL) AS usedPlacebo
         FROM randomisation_list`,
      )
      .get() as { size: number; used: number; msc: number | null; placebo: number | null; usedMsc: number | null; usedPlacebo: number | null };
    return {
      present: counts.size > 0,
      source: record?.source ?? null,
      algorithm: record?.algorithm ?? null,
      size: counts.size,
      used: counts.used,
      remaining: counts.size - counts.used,
      listSha256: seesDigests ? (record?.listSha256 ?? null) : null,
      createdAt: record?.createdAt ?? null,
      createdBy: record?.createdBy ?? null,
      byArm: isBlinded(user)
        ? null
        : { msc: counts.msc ?? 0, placebo: counts.placebo ?? 0, usedMsc: counts.usedMsc ?? 0, usedPlacebo: counts.usedPlacebo ?? 0 },
    };
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

  /** The whole list with assignments: the unblinded pharmacist only. */
  allocations(user: User): AllocationRow[] {
    requireRole(user, ['pharmacist']);
    return (
      this.db
        .prepare(
          `SELECT l.rand_no, l.kit_no, l.block_no, l.allocation, l.subject_id, s.screening_no, l.assigned_at
           FROM randomisation_list l LEFT JOIN subjects s ON s.id = l.subject_id ${BY_NUMBER.replace(/rand_no/g, 'l.rand_no')}`,
        )
        .all() as { rand_no: string; kit_no: string; block_no: number; allocation: Allocation; subject_id: number | null; screening_no: string | null; assigned_at: string | null }[]
    ).map((r) => ({
      randNo: r.rand_no,
      kitNo: r.kit_no,
      blockNo: r.block_no,
      allocation: r.allocation,
      subjectId: r.subject_id,
      screeningNo: r.screening_no,
      assignedAt: r.assigned_at,
    }));
  }

  /** The allocation of a randomised subject, for emergency unblinding (callers check role and re-authentication). */
  allocationOf(subjectId: number): { randNo: string; allocation: Allocation } | null {
    const row = this.db.prepare('SELECT rand_no, allocation FROM randomisation_list WHERE subject_id = ?').get(subjectId) as
      | { rand_no: string; allocation: Allocation }
      | undefined;
    return row ? { randNo: row.rand_no, allocation: row.allocation } : null;
  }

  /**
   * Demo data only: makes sure at least `needed` unused rows exist, generating a first list from `seed` or appending
   * a further sealed segment (seeded from `seed` and its first number) after the rows already there.
   */
  ensureFreeRows(seed: string, needed: number, user: User): void {
    requireRole(user, ['pharmacist']);
    const free = this.db.prepare('SELECT COUNT(*) FROM randomisation_list WHERE subject_id IS NULL').pluck().get() as number;
    if (free >= needed) return;
    const size = this.db.prepare('SELECT COUNT(*) FROM randomisation_list').pluck().get() as number;
    if (size === 0) {
      const entries = generatePermutedBlocks(seed, needed);
      this.db.transaction(() => this.writeRows(entries, user, { source: 'generated', event: 'list generated', replace: false }))();
      return;
    }
    const lastBlock = this.db.prepare('SELECT MAX(block_no) FROM randomisation_list').pluck().get() as number;
    const lastNumber = this.db.prepare('SELECT MAX(CAST(substr(rand_no, 2) AS INTEGER)) FROM randomisation_list').pluck().get() as number;
    const segmentSeed = `${seed}#${lastNumber + 1}`;
    const entries = generatePermutedBlocks(segmentSeed, needed - free, { firstNumber: lastNumber + 1, firstBlock: lastBlock + 1 });
    this.db.transaction(() => this.writeRows(entries, user, { source: 'generated', event: 'list extended (demo)', replace: false }))();
  }
}
