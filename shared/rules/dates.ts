// Calendar arithmetic on 'YYYY-MM-DD' date strings and 'HH:MM' times, in UTC days so no time zone can shift a date.

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const MS_PER_DAY = 86_400_000;

/** Year, month (1-12) and day of a valid 'YYYY-MM-DD' string, or null when it is not a real calendar date. */
export function parseIsoDate(value: unknown): { y: number; m: number; d: number } | null {
  if (typeof value !== 'string') return null;
  const match = ISO_DATE.exec(value);
  if (!match) return null;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  if (y < 1 || m < 1 || m > 12 || d < 1) return null;
  if (d > daysInMonth(y, m)) return null;
  return { y, m, d };
}

export function isIsoDate(value: unknown): value is string {
  return parseIsoDate(value) !== null;
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  return [31, isLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
}

/** Days since 1970-01-01 (UTC) of a date string, or NaN when invalid. */
export function dayNumber(date: unknown): number {
  const p = parseIsoDate(date);
  if (!p) return NaN;
  const dt = new Date(0);
  dt.setUTCFullYear(p.y, p.m - 1, p.d);
  return Math.round(dt.getTime() / MS_PER_DAY);
}

/** to − from in whole days (positive when `to` is later); NaN when either date is invalid. */
export function daysBetween(from: unknown, to: unknown): number {
  return dayNumber(to) - dayNumber(from);
}

/** The date `days` after `date` as 'YYYY-MM-DD', or null when the input is invalid. */
export function addDays(date: unknown, days: number): string | null {
  const n = dayNumber(date);
  if (!Number.isFinite(n) || !Number.isFinite(days)) return null;
  const dt = new Date((n + Math.trunc(days)) * MS_PER_DAY);
  const y = dt.getUTCFullYear();
  if (y < 1 || y > 9999) return null;
  return `${String(y).padStart(4, '0')}-${String(dt.getUTCMonth() + 1).padStart(2, '0')}-${String(dt.getUTCDate()).padStart(2, '0')}`;
}

/** Minutes after midnight of a valid 'HH:MM' time, or NaN. */
export function minutesOfDay(value: unknown): number {
  if (typeof value !== 'string') return NaN;
  const match = HH_MM.exec(value);
  if (!match) return NaN;
  return Number(match[1]) * 60 + Number(match[2]);
}

export function isHhMm(value: unknown): value is string {
  return Number.isFinite(minutesOfDay(value));
}
