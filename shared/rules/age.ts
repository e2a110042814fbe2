// Age in whole years between a date of birth and a reference date (PROTOCOL.md "Derived values: Age").
import { parseIsoDate } from './dates';

/**
 * Whole years completed between `dateOfBirth` and `onDate` (both 'YYYY-MM-DD').
 * The birthday counts as reached when (month, day) of onDate ≥ (month, day) of birth, so a person
 * born on 29 February turns a year older on 1 March in common years (and on 29 February in leap years).
 * Returns NaN for an invalid date or when onDate is before the date of birth.
 */
export function ageYears(dateOfBirth: string, onDate: string): number {
  const b = parseIsoDate(dateOfBirth);
  const o = parseIsoDate(onDate);
  if (!b || !o) return NaN;
  let age = o.y - b.y;
  if (o.m < b.m || (o.m === b.m && o.d < b.d)) age -= 1;
  return age < 0 ? NaN : age;
}
