// A synthetic subject's clinical course, drawn from a seeded generator: who they are, when they were
// screened, and lab values that move over the six months as lupus nephritis responds (or not).
import { addDays, format, parseISO } from 'date-fns';

/** Deterministic PRNG (mulberry32) for synthetic data only: reproducible demo databases, not security. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Rng {
  next(): number;
  between(min: number, max: number, decimals?: number): number;
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

export function rng(seed: number): Rng {
  const next = seededRandom(seed);
  const between = (min: number, max: number, decimals = 0) => {
    const f = 10 ** decimals;
    return Math.round((min + next() * (max - min)) * f) / f;
  };
  return {
    next,
    between,
    int: (min, max) => Math.floor(min + next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)]!,
  };
}

export const isoDay = (date: string, days: number): string => format(addDays(parseISO(date), days), 'yyyy-MM-dd');

export interface DemoProfile {
  sex: 'F' | 'M';
  dateOfBirth: string;
  screeningDate: string;
  eligible: boolean;
  heightCm: number;
  weightKg: number;
  childbearingPotential: boolean;
  isnClass: 'III' | 'IV';
  baseline: { creatinine: number; proteinG: number; urineRbc: number; urineRbcFieldFull: boolean; wbc: number };
  /** Fraction of baseline proteinuria left at Month 6 (0.1 = strong response). */
  proteinAtM6: number;
  /** Whether the subject stops early (withdrawn) at some visit. */
  withdrawAtMonth: number | null;
  /** 16 or 17 at consent: a guardian signs too. */
  minor: boolean;
  /** Fails the endpoint: creatinine rises past 1.25 × baseline (rule 1) / haematuria persists (rule 2). */
  creatinineRises: boolean;
  rbcPersists: boolean;
  /** The pulse whose dosing-day WBC is below 3.0: held, given a week later. */
  holdAtPulse: number | null;
  /** The pulse after which a nadir blood count is taken in an unscheduled visit. */
  nadirAfterPulse: number | null;
  /** Pre-dose bloods on Day 0 when the screening LAB is older than 14 days (else the CrCl is typed and queried). */
  preDoseBloods: boolean;
  /** Month of a fever ≥ 39 °C (a critical value), and of a serious adverse event. */
  feverAtMonth: number | null;
  saeAtMonth: number | null;
}

/** Screening dates spread over the 18 months before `today`, so subjects are at every stage. */
export function demoProfile(r: Rng, index: number, total: number, today: string): DemoProfile {
  const sex = r.chance(0.88) ? 'F' : 'M';
  const spread = Math.max(1, total - 1);
  const screeningDate = isoDay(today, -Math.round(540 - (index / spread) * 530) - r.int(0, 6));
  const minor = r.chance(0.03);
  const age = minor ? r.int(16, 17) : r.int(18, 55);
  const dateOfBirth = isoDay(screeningDate, -(age * 365 + r.int(10, 350)));
  return {
    sex,
    dateOfBirth,
    screeningDate,
    eligible: r.chance(0.86),
    heightCm: sex === 'F' ? r.between(150, 168, 1) : r.between(162, 180, 1),
    weightKg: sex === 'F' ? r.between(45, 70, 1) : r.between(55, 82, 1),
    childbearingPotential: sex === 'F' && r.chance(0.85),
    isnClass: r.chance(0.6) ? 'IV' : 'III',
    baseline: {
      creatinine: r.between(55, 180, 0),
      proteinG: r.between(1.2, 6.5, 2),
      urineRbc: r.between(8, 60, 0),
      urineRbcFieldFull: r.chance(0.08),
      wbc: r.between(3.8, 9.5, 1),
    },
    proteinAtM6: r.chance(0.6) ? r.between(0.05, 0.3, 2) : r.between(0.4, 1.1, 2),
    withdrawAtMonth: r.chance(0.06) ? r.int(1, 5) : null,
    minor,
    creatinineRises: r.chance(0.06),
    rbcPersists: r.chance(0.08),
    holdAtPulse: r.chance(0.12) ? r.int(2, 6) : null,
    nadirAfterPulse: r.chance(0.15) ? r.int(1, 5) : null,
    preDoseBloods: r.chance(0.7),
    feverAtMonth: r.chance(0.05) ? r.int(1, 5) : null,
    saeAtMonth: r.chance(0.06) ? r.int(1, 5) : null,
  };
}
