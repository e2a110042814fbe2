// Calendar arithmetic on 'YYYY-MM-DD' date strings and 'HH:MM' times (date-fns), whole calendar days so
// no time zone or daylight-saving change can shift a date.
import { addDays as addCalendarDays, differenceInCalendarDays, isValid } from 'date-fns';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const EPOCH = new Date(1970, 0, 1);

/**
 * Local midnight of a real calendar date, else null. Parsed from the regex groups (date-fns parse() with a
 * pattern costs ~50 µs, too slow for the 10,000-subject list); 2023-02-29 rolls over and is rejected.
 */
function toDate(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const m = ISO_DATE.exec(value);
  if (!m) return null;
  const y = Number(m[1]);
  const month = Number(m[2]) - 1;
  const d = Number(m[3]);
  const date = new Date(y, month, d);
  date.setFullYear(y); // years 0-99 would otherwise map to 1900-1999
  return y >= 1 && date.getMonth() === month && date.getDate() === d ? date : null;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const isoOf = (date: Date) => `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1, 2)}-${pad(date.getDate(), 2)}`;

/** Year, month (1-12) and day of a valid 'YYYY-MM-DD' string, or null when it is not a real calendar date. */
export function parseIsoDate(value: unknown): { y: number; m: number; d: number } | null {
  const date = toDate(value);
  return date ? { y: date.getFullYear(), m: date.getMonth() + 1, d: date.getDate() } : null;
}

export function isIsoDate(value: unknown): value is string {
  return toDate(value) !== null;
}

/** Days since 1970-01-01 of a date string, or NaN when invalid. */
export function dayNumber(date: unknown): number {
  const d = toDate(date);
  return d ? differenceInCalendarDays(d, EPOCH) : NaN;
}

/** to − from in whole days (positive when `to` is later); NaN when either date is invalid. */
export function daysBetween(from: unknown, to: unknown): number {
  const a = toDate(from);
  const b = toDate(to);
  return a && b ? differenceInCalendarDays(b, a) : NaN;
}

/** The date `days` after `date` as 'YYYY-MM-DD', or null when the input is invalid or leaves years 1-9999. */
export function addDays(date: unknown, days: number): string | null {
  const d = toDate(date);
  if (!d || !Number.isFinite(days)) return null;
  const result = addCalendarDays(d, Math.trunc(days));
  const y = result.getFullYear();
  if (!isValid(result) || y < 1 || y > 9999) return null;
  return isoOf(result);
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
