// Tests for ageYears: birthdays, the day before, leap-day births and invalid input.
import { describe, expect, it } from 'vitest';
import { ageYears } from './age';

describe('ageYears', () => {
  it('counts whole years, turning on the birthday itself', () => {
    expect(ageYears('1990-06-15', '2024-06-14')).toBe(33); // one day short of 34
    expect(ageYears('1990-06-15', '2024-06-15')).toBe(34); // birthday
    expect(ageYears('1990-06-15', '2024-06-16')).toBe(34);
    expect(ageYears('2008-01-02', '2024-01-01')).toBe(15); // 16th birthday tomorrow
    expect(ageYears('2008-01-02', '2024-01-02')).toBe(16);
  });
  it('born on 29 February: a year older on 1 March in common years, on 29 February in leap years', () => {
    expect(ageYears('2000-02-29', '2001-02-28')).toBe(0);
    expect(ageYears('2000-02-29', '2001-03-01')).toBe(1);
    expect(ageYears('2000-02-29', '2004-02-28')).toBe(3);
    expect(ageYears('2000-02-29', '2004-02-29')).toBe(4);
  });
  it('is 0 on the day of birth and NaN before it or for invalid dates', () => {
    expect(ageYears('2024-03-01', '2024-03-01')).toBe(0);
    expect(ageYears('2024-03-02', '2024-03-01')).toBeNaN();
    expect(ageYears('2023-02-29', '2024-03-01')).toBeNaN(); // not a date
    expect(ageYears('20240301', '2024-03-01')).toBeNaN();
    expect(ageYears(undefined as unknown as string, '2024-03-01')).toBeNaN();
  });
});
