// Lab results as the laboratory reports them: a number, or a limit ('<0.1', '>10000', urine sediment field full) that
// bounds the true value (amendment 1, rule 11). A rule compares bounds and answers true, false, or null when the limit
// cannot decide (e.g. '<20' against "< 10"), which the rule then reports as not evaluable with the reason.

/** A measured value: exactly `value`, or strictly below / above it (a reporting limit). */
export interface Measured {
  op: '=' | '<' | '>';
  value: number;
}

/** Relative tolerance for "≤": a computed limit such as 1.25 × 88.4 may carry binary rounding; far below any measurable difference. */
const TOLERANCE = 1e-9;

interface Interval {
  lo: number;
  loIn: boolean;
  hi: number;
  hiIn: boolean;
}

/** The values a measured value can stand for. Lab values are never negative, so '<x' is [0, x). */
function interval(m: Measured): Interval {
  if (m.op === '<') return { lo: 0, loIn: true, hi: m.value, hiIn: false };
  if (m.op === '>') return { lo: m.value, loIn: false, hi: Infinity, hiIn: false };
  return { lo: m.value, loIn: true, hi: m.value, hiIn: true };
}

export const exactly = (value: number): Measured => ({ op: '=', value });

/** A number, or an already measured value; anything else (null, text, NaN) is null. */
export function asMeasured(v: unknown): Measured | null {
  if (typeof v === 'number') return Number.isFinite(v) ? exactly(v) : null;
  if (v && typeof v === 'object') {
    const m = v as Partial<Measured>;
    if ((m.op === '=' || m.op === '<' || m.op === '>') && typeof m.value === 'number' && Number.isFinite(m.value)) return { op: m.op, value: m.value };
  }
  return null;
}

/** The exact number, or null for a limit. */
export const exactValue = (m: Measured | null): number | null => (m && m.op === '=' ? m.value : null);

/** Is the true value < t? null when the limit cannot decide. */
export function isBelow(m: Measured, t: number): boolean | null {
  const i = interval(m);
  if (i.hi < t || (i.hi === t && !i.hiIn)) return true;
  if (i.lo >= t) return false;
  return null;
}

/** Is the true value ≤ t (with the tolerance for a computed t)? */
export function isAtMost(m: Measured, t: number): boolean | null {
  const i = interval(m);
  const tt = t + Math.abs(t) * TOLERANCE;
  if (i.hi <= tt) return true;
  if (i.lo > tt || (i.lo === tt && !i.loIn)) return false;
  return null;
}

/** Is the true value > t? */
export function isAbove(m: Measured, t: number): boolean | null {
  const below = isAtMost(m, t);
  return below === null ? null : !below;
}

/** Is the true value ≥ t? */
export function isAtLeast(m: Measured, t: number): boolean | null {
  const below = isBelow(m, t);
  return below === null ? null : !below;
}

/** m ≤ k × ref, where both may be limits (e.g. M6 creatinine ≤ 1.25 × baseline). */
export function isAtMostTimes(m: Measured, k: number, ref: Measured): boolean | null {
  const a = interval(m);
  const b = interval(ref);
  const lo = k * b.lo;
  const hi = k * b.hi;
  if (a.hi <= lo + Math.abs(lo) * TOLERANCE) return true;
  if (a.lo > hi + Math.abs(hi) * TOLERANCE) return false;
  return null;
}

/** '12', '<0.1', '>10000' (the limit as the laboratory wrote it). */
export function formatMeasured(m: Measured | null | undefined): string {
  if (!m) return '—';
  return m.op === '=' ? String(m.value) : `${m.op}${m.value}`;
}

/** All three-valued results true → true; any false → false; else null. */
export function allOf(...results: (boolean | null)[]): boolean | null {
  if (results.some((r) => r === false)) return false;
  return results.every((r) => r === true) ? true : null;
}
