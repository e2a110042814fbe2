// `ecrf demo`: fills a database with realistic synthetic subjects through the real services, so every
// value is validated by the shared rules and every change is in the audit trail.
import type { Role, User } from '../../../shared/api/calls/common';
import { buildFormContext } from '../../../shared/protocol/casebook';
import type { FormCode, FormData, VisitCode } from '../../../shared/protocol/types';
import { ageYears, creatinineClearanceCockcroftGault, cyclophosphamideDose } from '../../../shared/rules';
import type { Services } from '../backend';
import { AppError } from '../errors';
import { fillForm } from './demoForms';
import { demoProfile, isoDay, rng, type DemoProfile, type Rng } from './demoProfile';

export const DEMO_PASSWORD = 'demo-password-2026';
export const DEMO_USERS: { username: string; displayName: string; role: Role }[] = [
  { username: 'admin', displayName: '系统管理员', role: 'admin' },
  { username: 'nurse', displayName: '李护士', role: 'data_entry' },
  { username: 'doctor', displayName: '张医生', role: 'investigator' },
  { username: 'monitor', displayName: '陈监查员', role: 'monitor' },
  { username: 'pharmacist', displayName: '赵药师', role: 'pharmacist' },
];

export interface DemoOptions {
  subjects: number;
  seed?: number;
  /** Study "today" (YYYY-MM-DD): visits after it are not entered. */
  today?: string;
  onProgress?: (done: number, total: number) => void;
}

export interface DemoResult {
  subjects: number;
  forms: number;
  users: string[];
}

export type RandomiseForDemo = (subjectId: number, date: string, user: User) => { randNo: string; kitNo: string };

/** The demo's accounts (password DEMO_PASSWORD, theirs to keep: no change forced), made once. */
export async function ensureUsers(services: Services): Promise<Record<Role, User>> {
  const users = {} as Record<Role, User>;
  for (const spec of DEMO_USERS) {
    const row = services.db.prepare('SELECT id FROM users WHERE username = ?').get(spec.username) as { id: number } | undefined;
    users[spec.role] = row
      ? services.users.byId(row.id)!
      : services.users.needsSetup()
        ? await services.users.setupAdmin({ username: spec.username, displayName: spec.displayName, password: DEMO_PASSWORD })
        : await services.users.createUser({ ...spec, password: DEMO_PASSWORD }, users.admin ?? null);
  }
  return users;
}

class SubjectWriter {
  forms = 0;
  constructor(
    private readonly services: Services,
    private readonly subjectId: number,
    private readonly r: Rng,
  ) {}

  save(visitCode: VisitCode, formCode: FormCode, known: FormData, date: string, user: User, repeatKey = 0): FormData {
    const casebook = this.services.forms.repo.cachedCasebook(this.subjectId);
    const ctx = buildFormContext([...casebook], visitCode);
    const data = fillForm(formCode, known, ctx, this.r, date);
    try {
      this.services.forms.save({ subjectId: this.subjectId, visitCode, formCode, repeatKey, data, expectedVersion: 0, markComplete: true }, user);
    } catch (error) {
      if (error instanceof AppError) {
        const detail = (error.issues ?? []).map((i) => `${i.fieldId}: ${i.message.en}`).join('; ');
        throw new Error(`demo ${visitCode}/${formCode}: ${error.message} ${detail}`);
      }
      throw error;
    }
    this.forms++;
    return data;
  }
}

function screening(w: SubjectWriter, p: DemoProfile, r: Rng, nurse: User, doctor: User): void {
  const d = p.screeningDate;
  w.save('SCR', 'CONSENT', { consentDate: d, consentVersion: 'V2.0 (2012-01-15)', signedBy: 'patient', copyGiven: true }, d, doctor);
  w.save('SCR', 'DEMOG', {
    sex: p.sex,
    dateOfBirth: p.dateOfBirth,
    ethnicity: r.chance(0.7) ? 'han' : 'other',
    ...(p.sex === 'F' ? { childbearingPotential: p.childbearingPotential, breastfeeding: false } : {}),
    ...(p.childbearingPotential ? { contraception: true } : {}),
  }, d, nurse);
  w.save('SCR', 'MEDHX', {
    sleDiagnosisDate: isoDay(d, -r.int(40, 900)),
    acrCriteriaCount: r.int(4, 8),
    lnNewlyDiagnosed: true,
    activePepticUlcer: false,
    activeSystemicInfection: false,
    substanceAbuseHistory: false,
    malignancyWithin5Years: false,
    investigationalProductWithin30Days: false,
    involvedInStudyConduct: false,
    otherSeriousCondition: false,
  }, d, doctor);
  w.save('SCR', 'BIOPSY', {
    biopsyDate: isoDay(d, -r.int(3, 20)),
    isnClass: p.isnClass,
    activityChronicity: 'A',
    ...(p.isnClass === 'IV' ? { classIvSegmental: r.chance(0.5) ? 'S' : 'G' } : {}),
    classVCoexisting: false,
  }, d, doctor);
  w.save('SCR', 'SLEDAI', {
    assessmentDate: d,
    proteinuria: true,
    haematuria: true,
    lowComplement: true,
    increasedDnaBinding: true,
    urinaryCasts: r.chance(0.5),
    arthritis: r.chance(0.3),
    rash: r.chance(0.4),
  }, d, doctor);
  w.save('SCR', 'BILAG', { assessmentDate: d, renalGrade: r.chance(0.7) ? 'A' : 'B' }, d, doctor);
  w.save('SCR', 'VITALS', { assessmentDate: d, heightCm: p.heightCm, weightKg: p.weightKg, temperatureC: 36.6 }, d, nurse);
  w.save('SCR', 'LAB', {
    collectionDate: d,
    creatinine: p.eligible ? p.baseline.creatinine : 320,
    urineProtein24h: p.baseline.proteinG,
    urineRbc: p.baseline.urineRbc,
    wbc: p.baseline.wbc,
    neutrophils: Math.round(p.baseline.wbc * 0.62 * 10) / 10,
    urineCasts: true,
    c3: r.between(0.3, 0.7, 2),
    c4: r.between(0.05, 0.12, 2),
    antiDsDna: r.between(120, 600, 0),
  }, d, nurse);
  if (p.childbearingPotential) w.save('SCR', 'PREG', { testDate: d, testType: 'serum', result: 'negative' }, d, nurse);
}

function labAt(p: DemoProfile, r: Rng, month: number, date: string): FormData {
  const f = month / 6;
  const wbc = r.between(3.6, 8.5, 1);
  return {
    wbc,
    neutrophils: Math.round(wbc * r.between(0.5, 0.7, 2) * 10) / 10,
    collectionDate: date,
    creatinine: Math.round(p.baseline.creatinine * (1 - 0.12 * f) * r.between(0.95, 1.05, 3)),
    urineProtein24h: Math.max(0.05, Math.round(p.baseline.proteinG * (1 - (1 - p.proteinAtM6) * f) * 100) / 100),
    urineRbc: Math.max(1, Math.round(p.baseline.urineRbc * (1 - 0.85 * f))),
    urineCasts: f < 0.5,
  };
}

function cycDose(w: SubjectWriter, visitCode: VisitCode, pulse: number, p: DemoProfile, weightKg: number, date: string, creatinine: number, r: Rng, user: User): void {
  const age = ageYears(p.dateOfBirth, date);
  const crcl = Math.round(creatinineClearanceCockcroftGault({ creatinineUmolL: creatinine, ageYears: age, sex: p.sex, weightKg }));
  const wbc = r.between(3.6, 8.0, 1);
  const dose = cyclophosphamideDose({ heightCm: p.heightCm, weightKg, targetMgPerM2: 750, wbc, creatinineClearance: crcl });
  w.save(visitCode, 'CYC', {
    doseDate: date,
    pulseNumber: pulse,
    heightCm: p.heightCm,
    weightKg,
    targetMgPerM2: 750,
    wbc,
    creatinineClearance: crcl,
    doseGiven: true,
    administeredDoseMg: dose.doseMg,
    hydrationGiven: true,
    mesnaGiven: true,
  }, date, user);
}

export async function generateDemo(services: Services, options: DemoOptions, randomise: RandomiseForDemo): Promise<DemoResult> {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const users = await ensureUsers(services);
  const r = rng(options.seed ?? 20120215);
  const before = services.db.prepare('SELECT COUNT(*) FROM subjects').pluck().get() as number;
  let forms = 0;
  const batch = services.db.transaction((index: number) => {
    const p = demoProfile(r, before + index, before + options.subjects, today);
    const subject = services.subjects.create(users.data_entry);
    const w = new SubjectWriter(services, subject.id, r);
    screening(w, p, r, users.data_entry, users.investigator);
    if (!p.eligible) {
      services.subjects.setStatus(subject.id, 'screen_failed', users.investigator, 'Serum creatinine > 250 µmol/L (exclusion)');
      forms += w.forms;
      return;
    }
    const day0 = isoDay(p.screeningDate, r.int(7, 21));
    if (day0 > today) {
      forms += w.forms;
      return;
    }
    w.save('SCR', 'ELIG', { confirmed: true, confirmedDate: isoDay(day0, -1) }, isoDay(day0, -1), users.investigator);
    const { kitNo } = randomise(subject.id, day0, users.investigator);
    let weight = p.weightKg;
    const visit = (code: VisitCode, date: string, month: number) => {
      weight = Math.round((weight + r.between(-1.2, 1.0, 1)) * 10) / 10;
      w.save(code, 'VITALS', { assessmentDate: date, weightKg: weight, temperatureC: r.between(36.2, 37.1, 1) }, date, users.data_entry);
      if (code === 'D0' || code === 'D7') {
        w.save(code, 'INFUSION', {
          infusionDate: date,
          kitNo,
          productLot: `UCMSC-${date.slice(0, 4)}-${r.int(10, 99)}`,
          cellsInBag: r.between(95, 105, 1),
          viabilityPercent: r.between(82, 96, 1),
          volumeMl: 100,
          premedication: false,
          startTime: '09:00',
          stopTime: '09:50',
          interrupted: false,
          reaction: false,
        }, date, users.data_entry);
      }
      if (code === 'D0') cycDose(w, code, 1, p, weight, date, p.baseline.creatinine, r, users.investigator);
      if (month >= 1) {
        const lab = w.save(code, 'LAB', labAt(p, r, month, date), date, users.data_entry);
        w.save(code, 'SLEDAI', { assessmentDate: date, proteinuria: (lab.urineProtein24h as number) > 0.5, haematuria: (lab.urineRbc as number) > 5, lowComplement: month < 4 }, date, users.investigator);
        if (month <= 5) cycDose(w, code, month + 1, p, weight, date, lab.creatinine as number, r, users.investigator);
        if (month === 6) {
          w.save(code, 'BILAG', { assessmentDate: date, renalGrade: (lab.urineProtein24h as number) < 0.5 ? 'D' : 'C' }, date, users.investigator);
          w.save(code, 'RESPONSE', { assessmentDate: date, confirmed: true }, date, users.investigator);
          w.save(code, 'EOS', { status: 'completed', eosDate: date }, date, users.investigator);
          services.subjects.setStatus(subject.id, 'completed', users.investigator, 'Month 6 completed');
        }
      }
    };
    visit('D0', day0, 0);
    const d7 = isoDay(day0, 7 + r.int(-1, 1));
    if (d7 <= today) visit('D7', d7, 0);
    w.save('LOG', 'CONMED', { drug: '甲泼尼龙 Methylprednisolone', dose: 500, startDate: day0, ongoing: false, stopDate: isoDay(day0, 2), indication: '狼疮肾炎诱导 LN induction' }, day0, users.data_entry, 1);
    w.save('LOG', 'CONMED', { drug: '泼尼松 Prednisone', dose: 40, startDate: isoDay(day0, 3), ongoing: true, indication: '狼疮肾炎 LN' }, day0, users.data_entry, 2);
    for (let m = 1; m <= 6; m++) {
      const date = isoDay(day0, 30 * m + r.int(-3, 3));
      if (date > today) break;
      if (p.withdrawAtMonth === m) {
        w.save('LOG', 'EOS', { status: 'early_termination', eosDate: date, terminationReason: 'withdrew_consent' }, date, users.investigator);
        services.subjects.setStatus(subject.id, 'withdrawn', users.investigator, 'Consent withdrawn');
        break;
      }
      visit(`M${m}` as VisitCode, date, m);
      if (m === 2 && r.chance(0.3)) {
        w.save('LOG', 'AE', { term: '上呼吸道感染 Upper respiratory tract infection', onsetDate: date, ongoing: false, endDate: isoDay(date, 6), grade: '1', serious: false, relationInfusion: 'unlikely', relationCyc: 'possible' }, date, users.data_entry, 1);
      }
    }
    forms += w.forms;
  });
  for (let i = 0; i < options.subjects; i++) {
    batch(i);
    options.onProgress?.(i + 1, options.subjects);
  }
  return { subjects: options.subjects, forms, users: DEMO_USERS.map((u) => u.username) };
}
