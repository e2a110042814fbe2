// Amendment 1 through the real back end and a real SQLite file: the ward's today, who may set which item, the
// pharmacist's PHARM and what blinded roles read of it, and saved forms checked again when a form they read changes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FormCode, FormData } from '../../../shared/protocol/types';
import { DAY0, GOOD_FORMS, SLEDAI_ALL_ABSENT } from '../../../shared/protocol/testing/fixtures';
import { addDays } from '../../../shared/rules/dates';
import { ok } from '../testing/apiResults';
import type { TestBackend } from '../testing/fixtures';
import { openWard, type SessionKey, type Ward } from '../testing/ward';

let w: Ward;
let t: TestBackend;
let nurse: SessionKey;
let doctor: SessionKey;
let pharmacist: SessionKey;
let monitor: SessionKey;
let subjectId: number;
let key: Ward['key'];
let version: Ward['version'];
let save: Ward['save'];
let screenedAndRandomised: Ward['screenedAndRandomised'];

const day = (n: number) => addDays(DAY0, n)!;
const queries = (formCode: FormCode, status = 'open') =>
  t.backend.services.db.prepare('SELECT visit_code, check_id, status FROM queries WHERE subject_id = ? AND form_code = ? AND status = ?').all(subjectId, formCode, status) as { visit_code: string; check_id: string }[];

beforeEach(async () => {
  // The ward's clock: 2024-09-01 10:00 in Beijing.
  w = await openWard();
  ({ t, nurse, doctor, subjectId, key, version, save, screenedAndRandomised } = w);
  pharmacist = await t.login('pharmacist', 'pharma');
  monitor = await t.login('monitor', 'monitor');
});

afterEach(() => w.close());

describe('no date after the ward’s today (the finding: consent 17 days ahead was saved as complete)', () => {
  it('refuses a consent dated 17 days after today, and saves one dated today', async () => {
    const ahead = await t.call('forms.save', { ...key('SCR', 'CONSENT'), data: { ...GOOD_FORMS.CONSENT.data, consentDate: '2024-09-18' }, expectedVersion: 0 }, nurse.key);
    expect(ahead).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(JSON.stringify(ahead)).toContain('2024-09-18 晚于今天 2024-09-01');
    expect(version('SCR', 'CONSENT')).toBe(0);
    await ok(save('SCR', 'CONSENT', { ...GOOD_FORMS.CONSENT.data, consentDate: '2024-09-01' }, nurse));
  });
});

describe('items only the investigator may set (the finding: a nurse ticked both confirmations)', () => {
  it('a nurse ticking the eligibility or the response confirmation is FORBIDDEN and saves nothing; the investigator may', async () => {
    await screenedAndRandomised();
    await ok(save('SCR', 'ELIG', { ...GOOD_FORMS.ELIG.data, comment: '已核对' }, doctor, 0, '补充备注'));
    const elig = await save('SCR', 'ELIG', { ...GOOD_FORMS.ELIG.data, confirmed: false, comment: '已核对' }, nurse, 0, '护士修改');
    expect(elig).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(JSON.stringify(elig)).toContain('只能由研究者填写或修改');
    const response = await save('M6', 'RESPONSE', { assessmentDate: day(180), confirmed: true }, nurse);
    expect(response).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(version('M6', 'RESPONSE')).toBe(0);
    const bilag = await save('SCR', 'BILAG', { ...GOOD_FORMS.BILAG.data, renalGrade: 'B' }, nurse, 0, '护士修改');
    expect(bilag).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('the pharmacy part of the infusion (rule 4)', () => {
  const pharm = { ...GOOD_FORMS.PHARM.data, productType: 'PLACEBO', productLot: 'PLB-2401', cellsInBag: 0, viabilityPercent: 'not_applicable' };
  it('only the pharmacist saves PHARM; the pharmacist saves nothing else', async () => {
    await screenedAndRandomised();
    expect(await save('D0', 'PHARM', pharm, nurse)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await save('D0', 'PHARM', pharm, doctor)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await ok(save('D0', 'PHARM', pharm, pharmacist));
    expect(await save('D0', 'VITALS', { ...GOOD_FORMS.VITALS.data, heightCm: null, assessmentDate: DAY0 }, pharmacist)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
  it('blinded roles read the kit, date and release decision, never the product, lot, count or viability; the pharmacist reads all', async () => {
    await screenedAndRandomised();
    await ok(save('D0', 'PHARM', pharm, pharmacist));
    for (const who of [nurse, doctor, monitor]) {
      const got = await ok<{ data: FormData }>(t.call('forms.get', key('D0', 'PHARM'), who.key));
      expect(Object.keys(got.data).sort()).toEqual(['kitNo', 'preparedDate', 'releaseDecision']);
      const book = await ok<{ formCode: string; data: FormData }[]>(t.call('clinical.casebook', { subjectId }, who.key));
      expect(Object.keys(book.find((f) => f.formCode === 'PHARM')!.data).sort()).toEqual(['kitNo', 'preparedDate', 'releaseDecision']);
      expect(JSON.stringify(book)).not.toMatch(/PLACEBO|PLB-2401/);
    }
    const mine = await ok<{ data: FormData }>(t.call('forms.get', key('D0', 'PHARM'), pharmacist.key));
    expect(mine.data).toMatchObject({ productType: 'PLACEBO', productLot: 'PLB-2401', cellsInBag: 0 });
  });
  it('an infusion without a release is queried; the pharmacist’s release closes the query (the INFUSION is checked again)', async () => {
    await screenedAndRandomised();
    await ok(save('D0', 'INFUSION', GOOD_FORMS.INFUSION.data, nurse));
    expect(queries('INFUSION').map((q) => q.check_id)).toEqual(['INFUSION.kitNo.pharmacyRelease']);
    await ok(save('D0', 'PHARM', pharm, pharmacist));
    expect(queries('INFUSION')).toEqual([]);
    expect(queries('INFUSION', 'closed').map((q) => q.check_id)).toEqual(['INFUSION.kitNo.pharmacyRelease']);
  });
});

describe('saved forms checked again when a form they read changes', () => {
  it('a new LAB making CrCl < 30 queries the pulse given at 750 mg/m² (an error it now fails); correcting the LAB closes it', async () => {
    await screenedAndRandomised();
    await ok(save('D0', 'CYC', GOOD_FORMS.CYC.data, doctor));
    expect(queries('CYC').map((q) => q.check_id)).toEqual(['CYC.creatinineClearance.noRecentLab']);
    // Pre-dose bloods two days before Day 0: creatinine 250 µmol/L gives CrCl ≈ 24.6 mL/min (55 kg, 33 years, female).
    await ok(save('UNS', 'VITALS', { ...GOOD_FORMS.VITALS.data, heightCm: null, assessmentDate: day(-2) }, nurse, 1));
    await ok(save('UNS', 'LAB', { ...GOOD_FORMS.LAB.data, collectionDate: day(-2), creatinine: 250 }, nurse, 1));
    expect(queries('CYC').map((q) => q.check_id).sort()).toEqual(['CYC.reducedTargetReason.required']);
    await ok(save('UNS', 'LAB', { ...GOOD_FORMS.LAB.data, collectionDate: day(-2), creatinine: 80 }, nurse, 1, '录入错误'));
    expect(queries('CYC')).toEqual([]);
  });
  it('after randomisation, a screening creatinine corrected to 300 queries the criterion it fails (rule 9; issue 14: one query per criterion)', async () => {
    await screenedAndRandomised();
    expect(queries('ELIG')).toEqual([]);
    await ok(save('SCR', 'LAB', { ...GOOD_FORMS.LAB.data, creatinine: 300 }, nurse, 0, '原始记录更正'));
    expect(queries('ELIG').map((q) => q.check_id)).toEqual(['ELIG.EXC_CREATININE_GT_250.afterRandomisation']);
  });
  it('an M1 LAB with normal complement queries the M1 SLEDAI that ticked low complement (rule 7)', async () => {
    await screenedAndRandomised();
    await ok(save('M1', 'SLEDAI', { ...SLEDAI_ALL_ABSENT, assessmentDate: day(30), lowComplement: true }, doctor));
    expect(queries('SLEDAI')).toEqual([]);
    await ok(save('M1', 'LAB', { ...GOOD_FORMS.LAB.data, collectionDate: day(30), c3: 1.2, c4: 0.25 }, nurse));
    expect(queries('SLEDAI').map((q) => q.check_id)).toContain('SLEDAI.lowComplement.labDisagrees');
  });
});

describe('critical values and the end of study through the service', () => {
  it('platelets 5 saves with a query that suggests the adverse event', async () => {
    await screenedAndRandomised();
    const r = await ok<{ warnings: { checkId: string }[] }>(save('M1', 'LAB', { ...GOOD_FORMS.LAB.data, collectionDate: day(30), platelets: 5 }, nurse));
    expect(r.warnings.map((w) => w.checkId)).toContain('LAB.platelets.critical');
    const text = t.backend.services.db.prepare("SELECT text_zh FROM queries WHERE check_id = 'LAB.platelets.critical'").pluck().get() as string;
    expect(text).toContain('危急值');
    expect(text).toContain('血小板计数降低');
  });
  it('a second end-of-study record (the finding: completed at M6, then early termination, both kept) is refused', async () => {
    await screenedAndRandomised();
    await ok(save('M6', 'EOS', { status: 'completed', eosDate: day(180) }, doctor));
    const second = await save('LOG', 'EOS', { status: 'early_termination', eosDate: day(181), terminationReason: 'withdrew_consent' }, doctor);
    expect(second).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(version('LOG', 'EOS')).toBe(0);
  });
});

describe('the SAE list (rule 6)', () => {
  it('lists serious AEs with their 24-hour deadline: overdue before reported; non-serious AEs are not listed', async () => {
    await screenedAndRandomised();
    const ae = { ...GOOD_FORMS.AE.data, serious: true, seriousCriteria: ['hospitalisation'], grade: '3', expectedness: 'unexpected', relationCyc: 'probable' };
    // Today is 2024-09-01 10:00: aware 2024-08-30 09:00 → due 2024-08-31 09:00, overdue; the other was reported the next day.
    await ok(save('LOG', 'AE', { ...ae, term: '肺部感染', onsetDate: '2024-08-29', ongoing: true, outcome: 'recovering', awarenessDate: '2024-08-30', awarenessTime: '09:00' }, doctor, 1));
    await ok(save('LOG', 'AE', { ...ae, term: '带状疱疹', onsetDate: '2024-08-01', awarenessDate: '2024-08-02', awarenessTime: '11:00', reportedSponsorDate: '2024-08-03', reportedEcDate: '2024-08-03', endDate: '2024-08-20' }, doctor, 2));
    await ok(save('LOG', 'AE', { ...GOOD_FORMS.AE.data, onsetDate: '2024-08-10', endDate: '2024-08-12' }, nurse, 3));
    const list = await ok<{ now: string; rows: { term: string; sponsor: string; dueAt: string; susar: number }[] }>(t.call('safety.saes', {}, doctor.key));
    expect(list.now).toBe('2024-09-01 10:00');
    expect(list.rows.map((r) => [r.term, r.sponsor, r.dueAt, r.susar])).toEqual([
      ['肺部感染', 'overdue', '2024-08-31 09:00', 1],
      ['带状疱疹', 'reported', '2024-08-03 11:00', 1],
    ]);
    expect(await t.call('safety.saes', {}, pharmacist.key)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('one query per late visit (issue 16: four queries to answer for one late Month 1)', () => {
  const windowQueries = (status?: string) =>
    t.backend.services.db
      .prepare(`SELECT form_code, status FROM queries WHERE subject_id = ? AND visit_code = 'M1' AND check_id LIKE '%.visitWindow'${status ? ' AND status = ?' : ''} ORDER BY id`)
      .all(...(status ? [subjectId, status] : [subjectId])) as { form_code: string; status: string }[];
  const late = day(45); // Month 1 is day 23 … 37
  const m1Vitals = { ...GOOD_FORMS.VITALS.data, heightCm: null, assessmentDate: late };

  it('raises one window query for the visit however many of its forms are late; it moves to a form still late when the first is corrected', async () => {
    await screenedAndRandomised();
    await ok(save('M1', 'VITALS', m1Vitals, nurse));
    await ok(save('M1', 'LAB', { ...GOOD_FORMS.LAB.data, collectionDate: late }, nurse));
    await ok(save('M1', 'SLEDAI', { ...GOOD_FORMS.SLEDAI.data, assessmentDate: late }, doctor));
    expect(windowQueries()).toEqual([{ form_code: 'VITALS', status: 'open' }]);
    // The VITALS date was a typo: its query closes, and the LAB, still late, now holds the visit's one query.
    await ok(save('M1', 'VITALS', { ...m1Vitals, assessmentDate: day(30) }, nurse, 0, '日期录错'));
    expect(windowQueries('open')).toEqual([{ form_code: 'LAB', status: 'open' }]);
    expect(windowQueries('closed')).toEqual([{ form_code: 'VITALS', status: 'closed' }]);
  });

  it('a window query the monitor closed (accepting the late visit) is not raised again by the visit’s next form', async () => {
    await screenedAndRandomised();
    await ok(save('M1', 'VITALS', m1Vitals, nurse));
    const id = t.backend.services.db.prepare("SELECT id FROM queries WHERE check_id LIKE '%.visitWindow'").pluck().get() as number;
    await ok(t.call('queries.close', { queryId: id, text: '患者春节返乡，已记录方案偏离' }, monitor.key));
    await ok(save('M1', 'LAB', { ...GOOD_FORMS.LAB.data, collectionDate: late }, nurse));
    expect(windowQueries('open')).toEqual([]);
  });
});
