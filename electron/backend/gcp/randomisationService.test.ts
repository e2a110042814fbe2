// Tests of randomisation on real SQLite files through the API: the sealed list (generate / import / status),
// randomise refusals (no consent, unconfirmed, ineligible, twice, wrong role), two connections never sharing a
// number, the RAND form guard, and blinding: no blinded response anywhere carries an allocation value.
import { afterEach, describe, expect, it } from 'vitest';
import type { FormCode } from '../../../shared/protocol/types';
import type { RandomisationStatus } from '../../../shared/api/calls/randomisation';
import type { SubjectSummary } from '../../../shared/api/calls/subjects';
import { DAY0, GOOD_FORMS, enteredBy } from '../../../shared/protocol/testing/fixtures';
import { verifyAuditChain } from '../audit/auditTrail';
import { createBackend } from '../backend';
import { generatePermutedBlocks, listDigest } from './permutedBlocks';
import { apiError, ok } from '../testing/apiResults';
import { TEST_PASSWORD, testBackend, type TestBackend } from '../testing/fixtures';

/** What the investigator's randomisation dialog sends besides the subject: their password and the confirmation. */
const CONFIRMED = { password: TEST_PASSWORD, confirmIrreversible: true } as const;

let tb: TestBackend | null = null;
afterEach(() => {
  tb?.cleanup();
  tb = null;
});

const SCREENING: FormCode[] = ['CONSENT', 'DEMOG', 'MEDHX', 'BIOPSY', 'SLEDAI', 'BILAG', 'VITALS', 'LAB', 'PREG'];

async function setup() {
  tb = await testBackend();
  const t = tb;
  const nurse = await t.login('data_entry', 'nurse');
  const doctor = await t.login('investigator', 'doctor');
  const monitor = await t.login('monitor', 'monitor');
  const pharmacist = await t.login('pharmacist', 'pharma');
  const admin = await t.login('admin', 'admin2');
  const save = (subjectId: number, code: FormCode, data = GOOD_FORMS[code].data, key = enteredBy(code) === 'investigator' ? doctor.key : nurse.key) =>
    ok(t.call('forms.save', { subjectId, visitCode: GOOD_FORMS[code].visit, formCode: code, repeatKey: 0, data, expectedVersion: 0, markComplete: true }, key));
  /** A subject with the whole screening saved; ELIG confirmed unless told otherwise. */
  const screened = async (options: { confirm?: boolean; forms?: FormCode[]; lab?: Record<string, unknown> } = {}) => {
    const s = await ok<SubjectSummary>(t.call('subjects.create', {}, nurse.key));
    for (const code of options.forms ?? SCREENING) await save(s.id, code, code === 'LAB' && options.lab ? { ...GOOD_FORMS.LAB.data, ...options.lab } as never : GOOD_FORMS[code].data);
    if (options.confirm !== false && (options.forms ?? SCREENING).includes('CONSENT')) await save(s.id, 'ELIG', GOOD_FORMS.ELIG.data, doctor.key);
    return s.id;
  };
  return { t, nurse, doctor, monitor, pharmacist, admin, save, screened };
}

describe('sealed list', () => {
  it('the pharmacist generates a list: status shows size, used and the digest; the seed is stored nowhere', async () => {
    const { t, nurse, pharmacist } = await setup();
    const st = await ok<RandomisationStatus>(t.call('randomisation.generateList', { seed: 'kunming-2012', size: 24, password: TEST_PASSWORD }, pharmacist.key));
    expect(st.present).toBe(true);
    expect(st.size).toBeGreaterThanOrEqual(24);
    expect(st.size).toBeLessThanOrEqual(29);
    expect(st.used).toBe(0);
    expect(st.remaining).toBe(st.size);
    // The list is identified by a keyed commitment: the list key (in the vault) turns it into HMAC-SHA256 of the list.
    expect(st.listCommitment).toMatch(/^[0-9a-f]{64}$/);
    const table = await ok<{ randNo: string; kitNo: string; blockNo: number; allocation: 'MSC' | 'PLACEBO' }[]>(t.call('randomisation.allocations', { password: TEST_PASSWORD }, pharmacist.key));
    expect(table.map(({ randNo, kitNo, blockNo, allocation }) => ({ randNo, kitNo, blockNo, allocation }))).toEqual(generatePermutedBlocks('kunming-2012', 24));
    expect(st.listCommitment).not.toBe(listDigest(generatePermutedBlocks('kunming-2012', 24)));
    expect(st).not.toHaveProperty('seedSha256');
    expect(table.filter((r) => r.allocation === 'MSC')).toHaveLength((2 * st.size) / 3);
    const forNurse = await ok<RandomisationStatus>(t.call('randomisation.status', {}, nurse.key));
    expect(forNurse).toMatchObject({ present: true, size: st.size, used: 0, listCommitment: null });
    const audit = t.backend.services.db.prepare("SELECT details FROM audit_log WHERE action = 'randomisation'").pluck().all() as string[];
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!)).toMatchObject({ size: st.size, event: 'list generated', nonce: expect.stringMatching(/^[0-9a-f]{32}$/) });
    // Not in the audit trail, the settings or anywhere else in the file.
    const dump = JSON.stringify(t.backend.services.db.prepare('SELECT * FROM audit_log').all()) + JSON.stringify(t.backend.services.db.prepare('SELECT * FROM settings').all());
    expect(dump).not.toContain('kunming-2012');
  });

  it('the commitment only for the pharmacist (and the command line on the file), never for an administrator', async () => {
    const { t, admin, pharmacist } = await setup();
    const made = await ok<RandomisationStatus>(t.call('randomisation.generateList', { seed: 'kunming-2012', size: 6, password: TEST_PASSWORD }, pharmacist.key));
    // A 6-number list has few possible orders: its digest would let a blinded administrator try them all.
    expect(await ok<RandomisationStatus>(t.call('randomisation.status', {}, admin.key))).toMatchObject({ size: made.size, listCommitment: null });
    expect(await ok<RandomisationStatus>(t.call('randomisation.status', {}, pharmacist.key))).toMatchObject({ listCommitment: made.listCommitment });
    const cli = { id: 0, username: 'os-user', displayName: 'os-user', role: 'admin' } as const;
    expect(t.backend.services.randomisation.status(cli).listCommitment).toBe(made.listCommitment);
  });

  it('only the pharmacist may generate or import; the admin and other roles get FORBIDDEN', async () => {
    const { t, doctor, admin } = await setup();
    for (const key of [doctor.key, admin.key]) {
      expect((await apiError(t.call('randomisation.generateList', { seed: 'abcdefgh', size: 6, password: TEST_PASSWORD }, key))).code).toBe('FORBIDDEN');
      expect((await apiError(t.call('randomisation.importList', { csv: 'rand_no,kit_no,allocation\nR001,K1,MSC', password: TEST_PASSWORD }, key))).code).toBe('FORBIDDEN');
    }
  });

  it('imports a CSV list; bad lines are reported with their line numbers and nothing is imported', async () => {
    const { t, pharmacist } = await setup();
    const bad = 'rand_no,kit_no,allocation\nR001,K-1,MSC\nR001,K-2,PLACEBO\nR003,K 3,msc\nR004,K-4,ACTIVE\n';
    const e = await apiError(t.call('randomisation.importList', { csv: bad, password: TEST_PASSWORD }, pharmacist.key));
    expect(e.code).toBe('VALIDATION');
    expect(e.message.en).toContain('3 error(s)');
    expect(e.message.en).toContain('Line 3');
    expect(e.message.zh).toContain('第 3 行');
    const r = (await t.call('randomisation.importList', { csv: bad, password: TEST_PASSWORD }, pharmacist.key)) as { error: { issues: { message: { en: string } }[] } };
    expect(r.error.issues.map((i) => i.message.en)).toEqual([
      expect.stringContaining('Line 3: randomisation number R001 repeats line 2'),
      expect.stringContaining('Line 4: kit number "K 3"'),
      expect.stringContaining('Line 5: allocation "ACTIVE"'),
    ]);
    expect(t.backend.services.db.prepare('SELECT COUNT(*) FROM randomisation_list').pluck().get()).toBe(0);
    expect((await apiError(t.call('randomisation.importList', { csv: 'rand,kit\nR001,K1', password: TEST_PASSWORD }, pharmacist.key))).message.en).toContain('header');
    const st = await ok<RandomisationStatus>(
      t.call('randomisation.importList', { csv: '\uFEFFRand_No,Kit_No,Allocation\r\nR001,K-1,MSC\r\nR002,K-2,placebo\r\n"R003","K-3","MSC"\r\n', password: TEST_PASSWORD }, pharmacist.key),
    );
    expect(st).toMatchObject({ present: true, source: 'imported', size: 3, used: 0 });
    const table = await ok<{ randNo: string; allocation: string }[]>(t.call('randomisation.allocations', { password: TEST_PASSWORD }, pharmacist.key));
    expect(table.find((r) => r.randNo === 'R002')?.allocation).toBe('PLACEBO');
  });

  it('refuses to replace the list once a subject is randomised', async () => {
    const { t, pharmacist, doctor, screened } = await setup();
    await ok(t.call('randomisation.generateList', { seed: 'first-seed', size: 6, password: TEST_PASSWORD }, pharmacist.key));
    await ok(t.call('randomisation.generateList', { seed: 'second-seed', size: 9, password: TEST_PASSWORD }, pharmacist.key)); // still unused: replaced
    const id = await screened();
    await ok(t.call('randomisation.randomise', { ...CONFIRMED, subjectId: id, date: DAY0 }, doctor.key));
    const e = await apiError(t.call('randomisation.generateList', { seed: 'third-seed', size: 9, password: TEST_PASSWORD }, pharmacist.key));
    expect(e.code).toBe('CONFLICT');
    expect((await apiError(t.call('randomisation.importList', { csv: 'rand_no,kit_no,allocation\nR001,K1,MSC', password: TEST_PASSWORD }, pharmacist.key))).code).toBe('CONFLICT');
  });
});

describe('randomise', () => {
  it('assigns the next number in order, writes subject, Day 0 and the RAND form (numbers only), audited', async () => {
    const { t, pharmacist, doctor, nurse, screened } = await setup();
    await ok(t.call('randomisation.generateList', { seed: 'order-seed', size: 12, password: TEST_PASSWORD }, pharmacist.key));
    const a = await screened();
    const b = await screened();
    const ra = await ok<{ randNo: string; kitNo: string; day0Date: string }>(t.call('randomisation.randomise', { ...CONFIRMED, subjectId: a, date: DAY0 }, doctor.key));
    // Without a date, Day 0 is today: the fixture's screening (2024) is then too old (amendment 1, rule 1).
    const tooOld = await t.call('randomisation.randomise', { ...CONFIRMED, subjectId: b }, doctor.key);
    expect(tooOld).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect((tooOld as { error: { message: { zh: string } } }).error.message.zh).toContain('筛选期表单须在第 −28 至 −1 天内');
    const rb = await ok<{ randNo: string; kitNo: string; day0Date: string }>(t.call('randomisation.randomise', { ...CONFIRMED, subjectId: b, date: DAY0 }, doctor.key));
    expect(ra).toEqual({ randNo: 'R001', kitNo: 'K-1001', day0Date: DAY0 });
    expect(rb.randNo).toBe('R002');
    const got = await ok<{ subject: SubjectSummary; visitDates: { visitCode: string; visitDate: string | null }[] }>(t.call('subjects.get', { subjectId: a }, nurse.key));
    expect(got.subject).toMatchObject({ randNo: 'R001', kitNo: 'K-1001', status: 'randomised' });
    expect(got.visitDates.find((v) => v.visitCode === 'D0')?.visitDate).toBe(DAY0);
    const rand = await ok<{ data: Record<string, unknown>; status: string }>(
      t.call('forms.get', { subjectId: a, visitCode: 'D0', formCode: 'RAND', repeatKey: 0 }, nurse.key),
    );
    expect(rand.data).toEqual({ randDate: DAY0, randNo: 'R001', kitNo: 'K-1001' });
    expect(rand.status).toBe('complete');
    const db = t.backend.services.db;
    expect(db.prepare("SELECT COUNT(*) FROM item_values WHERE item_code = 'allocation'").pluck().get()).toBe(0);
    expect(db.prepare("SELECT COUNT(*) FROM audit_log WHERE action = 'randomisation' AND subject_id = ?").pluck().get(a)).toBe(1);
    expect(db.prepare('SELECT subject_id FROM randomisation_list WHERE rand_no = ?').pluck().get('R001')).toBe(a);
    expect(verifyAuditChain(db).ok).toBe(true);
  });

  it('refuses without consent, unconfirmed, ineligible, twice, for a nurse, and with no list', async () => {
    const { t, pharmacist, doctor, nurse, screened } = await setup();
    const ready = await screened();
    const noList = await apiError(t.call('randomisation.randomise', { ...CONFIRMED, subjectId: ready, date: DAY0 }, doctor.key));
    expect(noList.code).toBe('CONFLICT');
    expect(noList.message.zh).toContain('随机表');
    await ok(t.call('randomisation.generateList', { seed: 'refusal-seed', size: 6, password: TEST_PASSWORD }, pharmacist.key));
    const blank = await ok<SubjectSummary>(t.call('subjects.create', {}, nurse.key));
    expect((await apiError(t.call('randomisation.randomise', { ...CONFIRMED, subjectId: blank.id }, doctor.key))).code).toBe('CONSENT_REQUIRED');
    const unconfirmed = await screened({ confirm: false });
    const e1 = await apiError(t.call('randomisation.randomise', { ...CONFIRMED, subjectId: unconfirmed }, doctor.key));
    expect(e1.code).toBe('VALIDATION');
    expect(e1.message.en).toContain('not confirmed');
    const ineligible = await screened({ lab: { creatinine: 300 } });
    const e2 = await apiError(t.call('randomisation.randomise', { ...CONFIRMED, subjectId: ineligible }, doctor.key));
    expect(e2.code).toBe('VALIDATION');
    expect(e2.message.en).toContain('criteria not met');
    expect((await apiError(t.call('randomisation.randomise', { ...CONFIRMED, subjectId: ready }, nurse.key))).code).toBe('FORBIDDEN');
    await ok(t.call('randomisation.randomise', { ...CONFIRMED, subjectId: ready, date: DAY0 }, doctor.key));
    const twice = await apiError(t.call('randomisation.randomise', { ...CONFIRMED, subjectId: ready, date: DAY0 }, doctor.key));
    expect(twice.code).toBe('CONFLICT');
    const db = t.backend.services.db;
    expect(db.prepare('SELECT COUNT(subject_id) FROM randomisation_list').pluck().get()).toBe(1);
    expect(db.prepare("SELECT COUNT(*) FROM subjects WHERE status = 'randomised'").pluck().get()).toBe(1);
  });

  it('refuses when the list is used up, leaving the subject unrandomised', async () => {
    const { t, pharmacist, doctor, screened } = await setup();
    await ok(t.call('randomisation.importList', { csv: 'rand_no,kit_no,allocation\nR001,K-1,MSC', password: TEST_PASSWORD }, pharmacist.key));
    await ok(t.call('randomisation.randomise', { ...CONFIRMED, subjectId: await screened(), date: DAY0 }, doctor.key));
    const second = await screened();
    const e = await apiError(t.call('randomisation.randomise', { ...CONFIRMED, subjectId: second, date: DAY0 }, doctor.key));
    expect(e.code).toBe('CONFLICT');
    expect(e.message.en).toContain('used up');
    expect(t.backend.services.db.prepare('SELECT rand_no, status FROM subjects WHERE id = ?').get(second)).toEqual({ rand_no: null, status: 'screening' });
  });

  it('takes numbers in numeric order (R999 before R1000) and demo data extends the list beyond R999', async () => {
    const { t, pharmacist, doctor, screened } = await setup();
    await ok(t.call('randomisation.importList', { csv: 'rand_no,kit_no,allocation\nR1000,K-2000,MSC\nR999,K-1999,PLACEBO', password: TEST_PASSWORD }, pharmacist.key));
    const first = await ok<{ randNo: string }>(t.call('randomisation.randomise', { ...CONFIRMED, subjectId: await screened(), date: DAY0 }, doctor.key));
    expect(first.randNo).toBe('R999');
    const second = await ok<{ randNo: string; kitNo: string }>(t.call('randomisation.randomise', { ...CONFIRMED, subjectId: await screened(), date: DAY0 }, doctor.key));
    expect(second).toMatchObject({ randNo: 'R1000', kitNo: 'K-2000' });
    const s = t.backend.services;
    s.randomisation.ensureFreeRows('demo-seed', 5, pharmacist.user, TEST_PASSWORD); // none free: a segment of at least 5 is appended
    const rows = s.db.prepare('SELECT rand_no FROM randomisation_list ORDER BY length(rand_no), rand_no').pluck().all() as string[];
    expect(rows.slice(0, 2)).toEqual(['R999', 'R1000']);
    expect(rows.length).toBeGreaterThanOrEqual(7);
    expect(rows[2]).toBe('R1001'); // the appended segment continues after the highest number already there
    expect(s.db.prepare("SELECT COUNT(*) FROM audit_log WHERE action = 'randomisation' AND item_code = 'list'").pluck().get()).toBe(2);
  });

  it('two connections on one file randomising interleaved never share a number', async () => {
    const { t, pharmacist, screened } = await setup();
    await ok(t.call('randomisation.generateList', { seed: 'two-connections', size: 20, password: TEST_PASSWORD }, pharmacist.key));
    const ids: number[] = [];
    for (let i = 0; i < 10; i++) ids.push(await screened());
    const other = createBackend({ dbFile: t.dbFile, transport: 'browser', appVersion: 'test' });
    try {
      const doctor1 = await t.login('investigator', 'doc-a');
      const login = await other.dispatch('auth.login', { username: 'doctor', password: 'correct-horse-42' }, 'k2');
      expect(login.ok).toBe(true);
      // Each subject is randomised from both connections at once: exactly one wins, the other gets CONFLICT.
      const results = await Promise.all(
        ids.flatMap((subjectId) => [
          t.call('randomisation.randomise', { ...CONFIRMED, subjectId, date: DAY0 }, doctor1.key),
          other.dispatch('randomisation.randomise', { ...CONFIRMED, subjectId, date: DAY0 }, 'k2'),
        ]),
      );
      const won = results.filter((r) => r.ok).map((r) => (r as { value: { randNo: string } }).value.randNo);
      expect(won).toHaveLength(10);
      expect(new Set(won).size).toBe(10);
      expect(results.filter((r) => !r.ok).every((r) => (r as { error: { code: string } }).error.code === 'CONFLICT')).toBe(true);
      const db = t.backend.services.db;
      expect(db.prepare('SELECT COUNT(DISTINCT rand_no) FROM subjects WHERE rand_no IS NOT NULL').pluck().get()).toBe(10);
      expect(db.prepare('SELECT COUNT(subject_id) FROM randomisation_list').pluck().get()).toBe(10);
      expect(verifyAuditChain(db).ok).toBe(true);
    } finally {
      other.close();
    }
  });

  it('a RAND form cannot be typed in with other numbers or an allocation once a list exists', async () => {
    const { t, pharmacist, doctor, nurse, screened } = await setup();
    await ok(t.call('randomisation.generateList', { seed: 'guard-seed', size: 6, password: TEST_PASSWORD }, pharmacist.key));
    const id = await screened();
    const forged = await apiError(
      t.call('forms.save', { subjectId: id, visitCode: 'D0', formCode: 'RAND', repeatKey: 0, data: GOOD_FORMS.RAND.data, expectedVersion: 0, markComplete: true }, doctor.key),
    );
    expect(forged.code).toBe('FORBIDDEN');
    await ok(t.call('randomisation.randomise', { ...CONFIRMED, subjectId: id, date: DAY0 }, doctor.key));
    const withArm = await apiError(
      t.call(
        'forms.save',
        { subjectId: id, visitCode: 'D0', formCode: 'RAND', repeatKey: 0, data: { randDate: DAY0, randNo: 'R001', kitNo: 'K-1001', allocation: 'MSC' }, expectedVersion: 1, markComplete: true, reason: 'fix' },
        nurse.key,
      ),
    );
    expect(withArm.code).toBe('FORBIDDEN');
    expect(t.backend.services.db.prepare("SELECT COUNT(*) FROM item_values WHERE item_code = 'allocation'").pluck().get()).toBe(0);
  });
});

/** Every string anywhere in a JSON value. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

describe('blinding', () => {
  it('after several randomisations no blinded response carries MSC or PLACEBO; the pharmacist sees them', async () => {
    const { t, admin, doctor, nurse, monitor, pharmacist, screened } = await setup();
    await ok(t.call('randomisation.generateList', { seed: 'blinding-seed', size: 6, password: TEST_PASSWORD }, pharmacist.key));
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) {
      const id = await screened();
      await ok(t.call('randomisation.randomise', { ...CONFIRMED, subjectId: id, date: DAY0 }, doctor.key));
      ids.push(id);
    }
    const allocationWord = /\b(MSC|PLACEBO)\b/i;
    for (const who of [admin, doctor, nurse, monitor]) {
      const replies: unknown[] = [
        await t.call('subjects.list', {}, who.key),
        await t.call('randomisation.status', {}, who.key),
        await t.call('randomisation.allocations', { password: TEST_PASSWORD }, who.key),
      ];
      for (const subjectId of ids) {
        replies.push(await t.call('subjects.get', { subjectId }, who.key));
        replies.push(await t.call('clinical.casebook', { subjectId }, who.key));
        replies.push(await t.call('forms.get', { subjectId, visitCode: 'D0', formCode: 'RAND', repeatKey: 0 }, who.key));
        replies.push(await t.call('audit.forForm', { subjectId, visitCode: 'D0', formCode: 'RAND', repeatKey: 0 }, who.key));
      }
      for (const reply of replies) {
        const leaked = strings(reply).filter((s) => allocationWord.test(s) && !/hUC-MSC|间充质/.test(s));
        expect(leaked, `${who.user.role}: ${JSON.stringify(reply).slice(0, 300)}`).toEqual([]);
      }
    }
    const table = await ok<{ randNo: string; allocation: string; screeningNo: string | null }[]>(t.call('randomisation.allocations', { password: TEST_PASSWORD }, pharmacist.key));
    expect(table.length).toBeGreaterThanOrEqual(6);
    expect(table.filter((r) => r.screeningNo !== null)).toHaveLength(4);
    expect(new Set(table.map((r) => r.allocation))).toEqual(new Set(['MSC', 'PLACEBO']));
  });
});
