// What a nurse types, read the way she meant it: dates in the ward's other spellings (2026/5/11, 2026.5.11, 20260511,
// 2026年5月11日) as YYYY-MM-DD, 。 as a decimal point, 1430 as 14:30; and, for a number that fails its checks but fits
// another common unit (creatinine 1.1 mg/dL, haemoglobin 10.5 g/dL), the value converted to the form's unit.
// Used by precleanValue (what is saved) and by the form screen (what the input shows after leaving it).
import type { Bilingual, FieldDef } from './types';

/** Full-width digits and the separators an IME gives: ０-９ ． － ＋ ／ ： and the ideographic full stop 。. */
const WIDE = /[０-９．－＋／：]/g;
const toAscii = (s: string) => s.replace(WIDE, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0));

const DATE_PARTS = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/;
const DATE_DIGITS = /^(\d{4})(\d{2})(\d{2})$/;

function validDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** 'YYYY-MM-DD' for a date typed year first in any of the ward's spellings; anything else trimmed, unchanged. */
export function normaliseDateText(text: string): string {
  const s = toAscii(text.trim()).replace(/。/g, '.');
  const m = DATE_PARTS.exec(s) ?? DATE_DIGITS.exec(s);
  if (!m) return text.trim();
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!validDay(y, mo, d)) return text.trim();
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** A number as typed with an IME: full-width digits, 。 or ． as the decimal point ('5。2' → '5.2'). */
export function normaliseNumberText(text: string): string {
  return toAscii(text.trim()).replace(/。/g, '.');
}

/** 'HH:MM' for 1430, 14：30, 14.30 or 9:05; anything else trimmed, unchanged. */
export function normaliseTimeText(text: string): string {
  const s = toAscii(text.trim()).replace(/。/g, '.');
  const m = /^(\d{1,2})[:.](\d{2})$/.exec(s) ?? /^(\d{2})(\d{2})$/.exec(s);
  if (!m) return text.trim();
  const [h, min] = [Number(m[1]), Number(m[2])];
  if (h > 23 || min > 59) return text.trim();
  return `${String(h).padStart(2, '0')}:${m[2]}`;
}

/** Another unit a value of this item is commonly reported in, and how to bring it to the form's unit. */
interface OtherUnit {
  unit: string;
  toFormUnit(v: number): number;
}

const times = (unit: string, factor: number): OtherUnit => ({ unit, toFormUnit: (v) => v * factor });

/**
 * Other units by the item's own unit and id: only the mix-ups seen on the ward (textbooks and foreign reports in
 * conventional units). An item not listed gets no hint.
 */
const OTHER_UNITS: Record<string, readonly OtherUnit[]> = {
  creatinine: [times('mg/dL', 88.4)],
  haemoglobin: [times('g/dL', 10)],
  albumin: [times('g/dL', 10)],
  c3: [times('mg/dL', 0.01)],
  c4: [times('mg/dL', 0.01)],
  wbc: [times('/µL', 0.001)],
  neutrophils: [times('/µL', 0.001)],
  platelets: [times('/µL', 0.001)],
  urineProtein24h: [times('mg/24 h', 0.001)],
  heightCm: [times('m', 100)],
  temperatureC: [{ unit: '°F', toFormUnit: (v) => ((v - 32) * 5) / 9 }],
};

export interface UnitHint {
  /** The unit the value was probably typed in. */
  fromUnit: string;
  /** The value in the form's unit, rounded to the item's decimals. */
  value: number;
  message: Bilingual;
}

const roundTo = (v: number, decimals: number) => {
  const p = 10 ** decimals;
  return Math.round(v * p) / p;
};

/**
 * For a number that fails the item's own checks (not a whole number, too many decimals, outside the plausible range):
 * the first other common unit in which it is a plausible value, converted. null when the value is fine as it is or
 * fits no other unit.
 */
export function unitHint(f: FieldDef, value: number): UnitHint | null {
  if (!Number.isFinite(value) || (f.type !== 'number' && f.type !== 'integer')) return null;
  const others = OTHER_UNITS[f.id];
  if (!others || !f.unit || fitsItem(f, value)) return null;
  for (const other of others) {
    const converted = roundTo(other.toFormUnit(value), f.type === 'integer' ? 0 : (f.decimals ?? 2));
    if (!fitsItem(f, converted)) continue;
    return {
      fromUnit: other.unit,
      value: converted,
      message: {
        zh: `如果按 ${other.unit} 录入，换算为 ${converted} ${f.unit}`,
        en: `if this is in ${other.unit}, it is ${converted} ${f.unit}`,
      },
    };
  }
  return null;
}

function fitsItem(f: FieldDef, v: number): boolean {
  if (f.type === 'integer' && !Number.isInteger(v)) return false;
  const r = f.plausible;
  if (r && ((r.min !== undefined && v < r.min) || (r.max !== undefined && v > r.max))) return false;
  return !(r?.min === undefined && v <= 0);
}

/** An error message with the unit hint added ('应为整数；如果按 g/dL 录入，换算为 105 g/L'). */
export function withUnitHint(message: Bilingual, hint: UnitHint | null): Bilingual {
  return hint ? { zh: `${message.zh}；${hint.message.zh}`, en: `${message.en}; ${hint.message.en}` } : message;
}
