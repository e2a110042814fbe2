// `ecrf demo`: fills a database with realistic synthetic subjects through the real services, so every value is
// validated by the shared rules (amendment 1's cross-form rules included) and every change is in the audit trail.
// Each subject's course is planned first (screening, pharmacy release and infusions, pulses, holds given later,
// nadir counts, pregnancy tests, adverse events, Month 6); then every subject's events run together in date order,
// on the study's own clock, so the audit trail reads as the ward would have written it over the months.
import type { Role, User } from '../../../shared/api/calls/common';
import { buildFormContext } from '../../../shared/protocol/casebook';
import { sledaiSuggestions } from '../../../shared/protocol/crossFormRules';
import { criticalFindings } from '../../../shared/protocol/criticalValues';
import type { FormCode, FormData, VisitCode } from '../../../shared/protocol/types';
import { SLEDAI_ITEMS, cyclophosphamideDose } from '../../../shared/rules';
import { CYC_LAB_MAX_AGE_DAYS } from '../../../shared/protocol/crossFormData';
import { cycNeedsReducedTargetReason } from '../../../shared/protocol/forms/CYC';
import type { Services } from '../backend';
import { setClock, stamp } from '../audit/clock';
import { AppError } from '../errors';
import { fillForm } from './demoForms';
import { demoProfile, isoDay, rng, type DemoProfile, type Rng } from './demoProfile';

export const DEMO_PASSWORD = 'demo-password-2026';
/** Bumped when the generator writes other data for the same seed (cached benchmark databases are keyed by it). */
export const DEMO_VERSION = 'a1';
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
  /** Study set-up run on the study's clock before the first screening (e.g. the sealed list). */
  prepare?: () => void | Promise<void>;
}

export interface DemoResult {
  subjects: number;
  forms: number;
  users: string[];
}

export type RandomiseForDemo = (subjectId: number, date: string, user: User) => { randNo: string; kitNo: string; allocation: 'MSC' | 'PLACEBO' };

type Users = Record<Role, User>;

/** The demo's accounts (password DEMO_PASSWORD, theirs to keep: no change forced), made once. */
export async function ensureUsers(services: Services): Promise<Users> {
  const users = {} as Users;
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

/** Saves one subject's forms through FormService: the known values, the rest filled plausibly from the definitions. */
class SubjectWriter {
  forms = 0;
  constructor(
    private readonly services: Services,
    readonly subjectId: number,
    private readonly r: Rng,
  ) {}

  save(visitCode: VisitCode, formCode: FormCode, known: FormData, date: string, user: User, repeatKey = 0): FormData {
    const casebook = this.services.forms.repo.cachedCasebook(this.subjectId);
    const ctx = buildFormContext(casebook, visitCode, undefined, repeatKey);
    const data = fillForm(formCode, known, ctx, this.r, date);
    try {
      this.services.forms.save({ subjectId: this.subjectId, visitCode, formCode, repeatKey, data, expectedVersion: 0, markComplete: true }, user);
    } catch (error) {
      if (error instanceof AppError) {
        const detail = (error.issues ?? []).map((i) => `${i.fieldId}: ${i.message.en}`).join('; ');
        throw new Error(`demo ${visitCode}/${formCode}#${repeatKey}: ${error.message} ${detail}`);
      }
      throw error;
    }
    this.forms++;
    return data;
  }

  /** The SLEDAI of a visit as the investigator answers it: lab-based items as the same visit's labs suggest, every other one absent unless given. */
  sledai(visitCode: VisitCode, date: string, user: User, clinical: FormData, repeatKey = 0): void {
    const ctx = buildFormContext(this.services.forms.repo.cachedCasebook(this.subjectId), visitCode, undefined, repeatKey);
    const absent = Object.fromEntries(SLEDAI_ITEMS.map((id) => [id, false]));
    this.save(visitCode, 'SLEDAI', { assessmentDate: date, ...absent, ...clinical, ...sledaiSuggestions(ctx) }, date, user, repeatKey);
  }

  /** A lab or vitals form with a critical value gets its adverse event, as the query asks. */
  aeForCritical(formCode: FormCode, visitCode: VisitCode, values: FormData, date: string, user: User, nextAe: () => number, repeatKey = 0): void {
    const ctx = buildFormContext(this.services.forms.repo.cachedCasebook(this.subjectId), visitCode, undefined, repeatKey);
    const finding = criticalFindings(formCode, values, ctx)[0];
    if (!finding) return;
    this.save('LOG', 'AE', {
      term: `${finding.aeTerm.zh} ${finding.aeTerm.en}`,
      onsetDate: date,
      ongoing: true,
      grade: '3',
      serious: false,
      relationInfusion: 'unlikely',
      relationCyc: 'probable',
      actionTaken: 'interrupted',
      outcome: 'recovering',
    }, date, user, nextAe());
  }
}

/** One thing that happens to one subject on one day (in ward time, minutes after midnight for ordering). */
interface DemoEvent {
  date: string;
  minute: number;
  run(): void;
}

const COURSE_EVENT_MINUTES = { screening: 9 * 60, d0: 8 * 60, visit: 10 * 60, late: 14 * 60 };

/**
 * Plans one subject's course into `schedule`; `w` is bound when the subject is created (its first event). Events may
 * schedule further ones when they run (a held pulse is given a week later).
 */
function planSubject(services: Services, users: Users, p: DemoProfile, r: Rng, today: string, randomise: RandomiseForDemo, index: number, schedule: (e: DemoEvent) => void): void {
  const at = (date: string, minute: number, run: () => void) => {
    if (date <= today) schedule({ date, minute: minute + (index % 50), run });
  };
  const { data_entry: nurse, investigator: doctor, pharmacist } = users;
  let w!: SubjectWriter;
  let aeCount = 0;
  let unsCount = 0;
  const nextAe = () => ++aeCount;
  const d = p.screeningDate;

  // --- Screening -----------------------------------------------------------------------------------------------
  at(d, COURSE_EVENT_MINUTES.screening, () => {
    w = new SubjectWriter(services, services.subjects.create(nurse).id, r);
    w.save('SCR', 'CONSENT', {
      consentDate: d,
      consentVersion: 'V2.0 (2012-01-15)',
      signedBy: p.minor ? 'patient_and_guardian' : 'patient',
      ...(p.minor ? { guardianRelationship: 'mother' } : {}),
      copyGiven: true,
    }, d, doctor);
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
    w.save('SCR', 'VITALS', { assessmentDate: d, heightCm: p.heightCm, weightKg: p.weightKg, temperatureC: 36.6 }, d, nurse);
    w.save('SCR', 'LAB', {
      collectionDate: d,
      creatinine: p.eligible ? p.baseline.creatinine : 320,
      urineProtein24h: p.baseline.proteinG,
      urineRbc: p.baseline.urineRbcFieldFull ? 'field_full' : p.baseline.urineRbc,
      wbc: p.baseline.wbc,
      neutrophils: Math.round(p.baseline.wbc * 0.62 * 10) / 10,
      urineCasts: true,
      c3: r.between(0.3, 0.7, 2),
      c4: r.chance(0.1) ? 'undetectable' : r.between(0.05, 0.12, 2),
      antiDsDna: r.chance(0.05) ? '>10000' : r.between(120, 600, 0),
    }, d, nurse);
    // The investigator's SLEDAI after the labs: the lab-based items as the labs say (rule 7).
    w.sledai('SCR', d, doctor, { arthritis: r.chance(0.3), rash: r.chance(0.4) });
    w.save('SCR', 'BILAG', { assessmentDate: d, renalGrade: r.chance(0.7) ? 'A' : 'B' }, d, doctor);
    if (p.childbearingPotential) w.save('SCR', 'PREG', { testDate: d, testType: 'serum', result: 'negative' }, d, nurse);
    if (!p.eligible) services.subjects.changeStatus({ subjectId: w.subjectId, to: 'screen_failed', date: d, reason: 'not_eligible', note: 'Serum creatinine > 250 µmol/L (exclusion)' }, doctor);
  });
  if (!p.eligible) return;

  // --- Day 0: eligibility, pregnancy test, pre-dose bloods when screening is older than 14 days, randomisation ----
  const day0 = isoDay(d, r.int(7, 21));
  let kitNo = '';
  let allocation: 'MSC' | 'PLACEBO' = 'MSC';
  let weight = p.weightKg;
  const preg = (visit: VisitCode, date: string, repeatKey = 0) => {
    if (p.childbearingPotential) w.save(visit, 'PREG', { testDate: date, testType: 'urine', result: 'negative' }, date, nurse, repeatKey);
  };
  at(isoDay(day0, -1), COURSE_EVENT_MINUTES.visit, () => {
    w.save('SCR', 'ELIG', { confirmed: true, confirmedDate: isoDay(day0, -1) }, isoDay(day0, -1), doctor);
  });
  at(day0, COURSE_EVENT_MINUTES.d0, () => {
    if (p.childbearingPotential) w.save('D0', 'PREG', { testDate: day0, testType: 'urine', result: 'negative' }, day0, nurse);
    if (day0 > isoDay(d, CYC_LAB_MAX_AGE_DAYS) && p.preDoseBloods) {
      // Screening labs too old for the renal rule: pre-dose bloods in an unscheduled visit (rule 12); without them
      // the creatinine clearance is typed on the CYC form and queried.
      unsCount++;
      const wbc = r.between(4.0, 8.0, 1);
      w.save('UNS', 'LAB', { collectionDate: day0, creatinine: p.baseline.creatinine, urineProtein24h: p.baseline.proteinG, urineRbc: p.baseline.urineRbc, wbc, neutrophils: Math.round(wbc * 0.6 * 10) / 10 }, day0, nurse, unsCount);
    }
    ({ kitNo, allocation } = randomise(w.subjectId, day0, doctor));
    infusionVisit('D0', day0);
    cycPulse('D0', 1, day0);
  });

  /** The pharmacy prepares and releases the bag, the ward infuses it (rule 4): a placebo bag holds no cells. */
  function infusionVisit(visit: 'D0' | 'D7', date: string) {
    weight = Math.round((weight + r.between(-1.2, 1.0, 1)) * 10) / 10;
    w.save(visit, 'VITALS', { assessmentDate: date, weightKg: weight, temperatureC: r.between(36.2, 37.1, 1) }, date, nurse);
    const msc = allocation === 'MSC';
    const lowViability = msc && r.chance(0.03);
    w.save(visit, 'PHARM', {
      kitNo,
      preparedDate: date,
      productType: allocation,
      productLot: `${msc ? 'UCMSC' : 'PLB'}-${date.slice(0, 4)}-${r.int(10, 99)}`,
      cellsInBag: msc ? r.between(92, 108, 1) : 0,
      viabilityPercent: msc ? (lowViability ? r.between(64, 69, 1) : r.between(82, 96, 1)) : 'not_applicable',
      releaseDecision: 'released',
      releasedOutOfSpec: lowViability,
      releaseNote: lowViability ? '活率略低于标准，经研究者与申办方沟通后放行 Released after discussion with the sponsor' : '符合放行标准 Meets the release specification',
    }, date, pharmacist);
    const reaction = r.chance(0.08);
    w.save(visit, 'INFUSION', {
      infusionDate: date,
      kitNo,
      volumeMl: 100,
      premedication: false,
      startTime: '09:00',
      stopTime: '09:50',
      interrupted: false,
      reaction,
      ...(reaction ? { reactionGrade: r.chance(0.8) ? '1' : '2', reactionDescription: '寒战、低热 Chills, low-grade fever' } : {}),
    }, date, nurse);
    if (reaction) aeCount++; // the infusion reaction opened an AE entry (services/infusionReactionAe.ts)
  }

  let lastPulseDate: string | null = null;
  /** One pulse: the LAB of the last 14 days gives the CrCl; WBC < 3.0 holds it, given a week later (rule 3). */
  function cycPulse(visit: VisitCode, pulse: number, date: string) {
    const wbc = p.holdAtPulse === pulse ? r.between(2.2, 2.9, 1) : r.between(3.6, 8.0, 1);
    const withCrCl = (when: string): FormData => (labWithin(when) ? {} : { creatinineClearance: Math.round(r.between(60, 110, 0)) });
    /** The target: 750 mg/m², reduced to 500 when CrCl < 30 (rule 3), or kept at 750 with the investigator's reason. */
    const dosing = (when: string): FormData => {
      const probe: FormData = { doseDate: when, pulseNumber: pulse, heightCm: p.heightCm, weightKg: weight, targetMgPerM2: 750, doseGiven: true, ...withCrCl(when) };
      const ctx = buildFormContext(services.forms.repo.cachedCasebook(w.subjectId), visit, undefined, 0);
      const keep = !cycNeedsReducedTargetReason(probe, ctx) || r.chance(0.3);
      const target = keep ? 750 : 500;
      const dose = cyclophosphamideDose({ heightCm: p.heightCm, weightKg: weight, targetMgPerM2: target });
      return {
        ...probe,
        targetMgPerM2: target,
        administeredDoseMg: dose.doseMg,
        ...(cycNeedsReducedTargetReason({ ...probe, targetMgPerM2: target }, ctx) ? { reducedTargetReason: '研究者评估获益大于风险，维持原剂量 Investigator kept the full dose' } : {}),
        hydrationGiven: true,
        mesnaGiven: true,
      };
    };
    const interval = (when: string): FormData =>
      lastPulseDate && daysFrom(lastPulseDate, when) < 21 ? { intervalReason: '暂缓后补给，按计划恢复 Resumed on schedule after a held pulse' } : {};
    if (wbc < 3.0) {
      const held = dosing(date);
      delete held.administeredDoseMg;
      delete held.hydrationGiven;
      delete held.mesnaGiven;
      delete held.reducedTargetReason;
      w.save(visit, 'CYC', { ...held, wbc, doseGiven: false, holdReason: `给药日白细胞 ${wbc}×10⁹/L <3.0，暂缓 WBC below 3.0, held` }, date, doctor);
      const later = isoDay(date, 7);
      at(later, COURSE_EVENT_MINUTES.late, () => {
        if (p.childbearingPotential) {
          unsCount++;
          w.save('UNS', 'PREG', { testDate: later, testType: 'urine', result: 'negative' }, later, nurse, unsCount);
        }
        w.save(visit, 'CYC', { ...dosing(later), heldOn: date, wbc: r.between(3.6, 6.0, 1), ...interval(later) }, later, doctor, 1);
        lastPulseDate = later;
      });
      return;
    }
    w.save(visit, 'CYC', { ...dosing(date), wbc, ...interval(date) }, date, doctor);
    lastPulseDate = date;
    if (p.nadirAfterPulse === pulse) nadirCount(isoDay(date, 10));
  }

  /** Whether a LAB was collected in the 14 days before a date (the renal rule's source). */
  function labWithin(date: string): boolean {
    return services.forms.repo
      .cachedCasebook(w.subjectId)
      .some((f) => f.formCode === 'LAB' && typeof f.data.collectionDate === 'string' && f.data.collectionDate <= date && daysFrom(f.data.collectionDate, date) <= CYC_LAB_MAX_AGE_DAYS);
  }

  /** A blood count at the cyclophosphamide nadir, in an unscheduled visit; a critical count gets its AE. */
  function nadirCount(date: string) {
    at(date, COURSE_EVENT_MINUTES.visit, () => {
      unsCount++;
      const wbc = r.chance(0.5) ? r.between(1.2, 1.9, 1) : r.between(2.2, 3.4, 1);
      const lab = w.save('UNS', 'LAB', {
        collectionDate: date,
        wbc,
        neutrophils: Math.round(wbc * 0.5 * 10) / 10,
        creatinine: p.baseline.creatinine,
        urineProtein24h: p.baseline.proteinG,
        urineRbc: p.baseline.urineRbc,
        platelets: r.chance(0.2) ? r.int(30, 48) : r.int(140, 260),
      }, date, nurse, unsCount);
      w.aeForCritical('LAB', 'UNS', lab, date, doctor, nextAe, unsCount);
    });
  }

  // --- Day 7 --------------------------------------------------------------------------------------------------
  const d7 = isoDay(day0, 7 + r.int(-1, 1));
  at(d7, COURSE_EVENT_MINUTES.visit, () => infusionVisit('D7', d7));
  // The induction steroids, entered when the course ends and the oral steroid starts.
  at(isoDay(day0, 3), COURSE_EVENT_MINUTES.late, () => {
    const date = isoDay(day0, 3);
    w.save('LOG', 'CONMED', { drug: '甲泼尼龙 Methylprednisolone', dose: 500, startDate: day0, ongoing: false, stopDate: isoDay(day0, 2), indication: '狼疮肾炎诱导 LN induction' }, date, nurse, 1);
    w.save('LOG', 'CONMED', { drug: '泼尼松 Prednisone', dose: 40, startDate: date, ongoing: true, indication: '狼疮肾炎 LN' }, date, nurse, 2);
  });

  // --- Months 1-6 -----------------------------------------------------------------------------------------------
  for (let m = 1; m <= 6; m++) {
    const date = isoDay(day0, 30 * m + r.int(-3, 3));
    const visit = `M${m}` as VisitCode;
    if (p.withdrawAtMonth === m) {
      at(date, COURSE_EVENT_MINUTES.visit, () => {
        w.save('LOG', 'EOS', { status: 'early_termination', eosDate: date, terminationReason: 'withdrew_consent' }, date, doctor);
        services.subjects.changeStatus({ subjectId: w.subjectId, to: 'withdrawn', date, reason: 'consent_withdrawn' }, doctor);
      });
      break;
    }
    at(date, COURSE_EVENT_MINUTES.visit, () => {
      weight = Math.round((weight + r.between(-1.2, 1.0, 1)) * 10) / 10;
      const fever = p.feverAtMonth === m;
      const vitals = w.save(visit, 'VITALS', { assessmentDate: date, weightKg: weight, temperatureC: fever ? r.between(39.0, 39.6, 1) : r.between(36.2, 37.1, 1) }, date, nurse);
      if (fever) w.aeForCritical('VITALS', visit, vitals, date, doctor, nextAe);
      const lab = w.save(visit, 'LAB', labAt(p, r, m, date), date, nurse);
      w.aeForCritical('LAB', visit, lab, date, doctor, nextAe);
      w.sledai(visit, date, doctor, {});
      if (m <= 5) {
        preg(visit, date);
        cycPulse(visit, m + 1, date);
      }
      if (m === 2 && r.chance(0.3)) {
        const end = isoDay(date, 6);
        at(end, COURSE_EVENT_MINUTES.late, () => {
          w.save('LOG', 'AE', { term: '上呼吸道感染 Upper respiratory tract infection', onsetDate: date, ongoing: false, endDate: end, grade: '1', serious: false, relationInfusion: 'unlikely', relationCyc: 'possible' }, end, nurse, nextAe());
        });
      }
      if (p.saeAtMonth === m) seriousAe(date);
      if (m === 6) {
        const protein = lab.urineProtein24h;
        w.save(visit, 'BILAG', { assessmentDate: date, renalGrade: typeof protein === 'number' && protein < 0.5 && typeof lab.urineRbc === 'number' && lab.urineRbc <= 5 ? 'D' : 'C' }, date, doctor);
        w.save(visit, 'RESPONSE', { assessmentDate: date, confirmed: true }, date, doctor);
        w.save(visit, 'EOS', { status: 'completed', eosDate: date }, date, doctor);
        services.subjects.changeStatus({ subjectId: w.subjectId, to: 'completed', date, reason: 'per_protocol' }, doctor);
      }
    });
  }

  /** A serious adverse event, entered at its follow-up: awareness, reports to the sponsor and ethics committee (sometimes late). */
  function seriousAe(date: string) {
    const onset = isoDay(date, -r.int(2, 8));
    const late = r.chance(0.25);
    const unexpected = r.chance(0.3);
    const entered = isoDay(date, 12);
    at(entered, COURSE_EVENT_MINUTES.late, () => w.save('LOG', 'AE', {
      term: '肺部感染 Pneumonia',
      onsetDate: onset,
      ongoing: false,
      endDate: isoDay(date, 12),
      grade: '3',
      serious: true,
      seriousCriteria: ['hospitalisation'],
      awarenessDate: onset,
      awarenessTime: '16:30',
      expectedness: unexpected ? 'unexpected' : 'expected',
      relationInfusion: 'unlikely',
      relationCyc: 'possible',
      actionTaken: 'interrupted',
      outcome: 'recovered',
      reportedSponsorDate: isoDay(onset, late ? 3 : 1),
      reportedEcDate: isoDay(onset, late ? 4 : 1),
      followUpReports: `${entered} 已出院，痊愈 Discharged, recovered`,
    }, entered, doctor, nextAe()));
  }

}

const daysFrom = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

function labAt(p: DemoProfile, r: Rng, month: number, date: string): FormData {
  const f = month / 6;
  const wbc = r.between(3.6, 8.5, 1);
  // Subjects who fail the endpoint: creatinine rising past 1.25 × baseline (rule 1), or haematuria persisting (rule 2).
  const creatinineTrend = p.creatinineRises ? 1 + 0.45 * f : 1 - 0.12 * f;
  const rbc = p.rbcPersists ? Math.round(p.baseline.urineRbc * (1 - 0.3 * f)) + 12 : Math.max(1, Math.round(p.baseline.urineRbc * (1 - 0.85 * f)));
  return {
    wbc,
    neutrophils: Math.round(wbc * r.between(0.5, 0.7, 2) * 10) / 10,
    collectionDate: date,
    creatinine: Math.round(p.baseline.creatinine * creatinineTrend * r.between(0.95, 1.05, 3)),
    urineProtein24h: Math.max(0.05, Math.round(p.baseline.proteinG * (1 - (1 - p.proteinAtM6) * f) * 100) / 100),
    urineRbc: rbc,
    urineCasts: f < 0.5,
    c3: Math.round((0.5 + 0.5 * f) * 100) / 100,
    c4: Math.round((0.08 + 0.1 * f) * 100) / 100,
    antiDsDna: Math.round(400 * (1 - 0.7 * f)),
  };
}

/** Ward time of an event: 'YYYY-MM-DD' at `minute` past midnight in Beijing time (UTC+8). */
function wardInstant(date: string, minute: number): Date {
  return new Date(Date.parse(`${date}T00:00:00+08:00`) + minute * 60_000);
}

export async function generateDemo(services: Services, options: DemoOptions, randomise: RandomiseForDemo): Promise<DemoResult> {
  const today = options.today ?? stamp().local.slice(0, 10);
  const r = rng(options.seed ?? 20120215);
  const before = services.db.prepare('SELECT COUNT(*) FROM subjects').pluck().get() as number;
  const profiles = Array.from({ length: options.subjects }, (_, i) => demoProfile(r, before + i, before + options.subjects, today));
  // The clock: set-up the day before the first screening, then each event's ward time, a second later for each record
  // it writes, never backwards, never past now. The audit trail runs forward in time as the ward would have written it.
  const realNow = Date.now();
  const firstDay = profiles.reduce((min, p) => (p.screeningDate < min ? p.screeningDate : min), today);
  let current = wardInstant(isoDay(firstDay, -1), 8 * 60).getTime();
  let last = 0;
  const restore = setClock(() => {
    last = Math.min(Math.max(current, last + 1000), realNow);
    return new Date(last);
  });
  try {
    const users = await ensureUsers(services);
    await options.prepare?.();
    const events: DemoEvent[] = [];
    profiles.forEach((p, i) => planSubject(services, users, p, r, today, randomise, i, (e) => events.push(e)));
    // Every subject's events in date order (ties: time of day, then plan order), a day's events in one transaction.
    // Events may plan further events (a held pulse given a week later): run until none is left.
    const byTime = (a: DemoEvent, b: DemoEvent) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.minute - b.minute);
    let queue = [...events].sort(byTime);
    let planned = events.length;
    let done = 0;
    while (queue.length > 0) {
      const day = queue[0]!.date;
      const todays = queue.filter((e) => e.date === day);
      services.db.transaction(() => {
        for (const e of todays) {
          current = wardInstant(e.date, e.minute).getTime();
          e.run();
        }
      })();
      done += todays.length;
      const added = events.slice(planned);
      planned = events.length;
      queue = queue.filter((e) => e.date !== day).concat(added).sort(byTime);
      options.onProgress?.(done, events.length);
    }
  } finally {
    restore();
  }
  const forms = services.db.prepare('SELECT COUNT(*) FROM form_instances f JOIN subjects s ON s.id = f.subject_id WHERE s.id > ?').pluck().get(before) as number;
  return { subjects: options.subjects, forms, users: DEMO_USERS.map((u) => u.username) };
}
