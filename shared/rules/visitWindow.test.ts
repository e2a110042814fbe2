// Tests for visit windows at their edges (Day 0 = 2024-01-10, a leap year).
import { describe, expect, it } from 'vitest';
import { visitWindow } from './visitWindow';

const D0 = '2024-01-10';

describe('visitWindow', () => {
  it('D7 ±2: target 2024-01-17, window 01-15 … 01-19', () => {
    expect(visitWindow('D7', D0, '2024-01-17')).toMatchObject({ targetDate: '2024-01-17', earliestDate: '2024-01-15', latestDate: '2024-01-19', daysOff: 0, inWindow: true, status: 'in_window' });
    expect(visitWindow('D7', D0, '2024-01-19')).toMatchObject({ daysOff: 2, inWindow: true });
    expect(visitWindow('D7', D0, '2024-01-20')).toMatchObject({ daysOff: 3, inWindow: false, status: 'late' });
    expect(visitWindow('D7', D0, '2024-01-15')).toMatchObject({ daysOff: -2, inWindow: true });
    expect(visitWindow('D7', D0, '2024-01-14')).toMatchObject({ daysOff: -3, inWindow: false, status: 'early' });
  });
  it('M1 ±7: day 30 = 2024-02-09, across the month end', () => {
    expect(visitWindow('M1', D0, '2024-02-16')).toMatchObject({ targetDate: '2024-02-09', latestDate: '2024-02-16', daysOff: 7, inWindow: true });
    expect(visitWindow('M1', D0, '2024-02-17')).toMatchObject({ daysOff: 8, inWindow: false });
    expect(visitWindow('M1', D0, '2024-02-02')).toMatchObject({ earliestDate: '2024-02-02', inWindow: true });
  });
  it('M6 ±14: day 180 = 2024-07-08 (Jan 21 + Feb 29 + Mar 31 + Apr 30 + May 31 + Jun 30 + 8 = 180)', () => {
    expect(visitWindow('M6', D0, '2024-07-22')).toMatchObject({ targetDate: '2024-07-08', daysOff: 14, inWindow: true });
    expect(visitWindow('M6', D0, '2024-07-23')).toMatchObject({ daysOff: 15, inWindow: false, status: 'late' });
    expect(visitWindow('M6', D0, '2024-06-23')).toMatchObject({ daysOff: -15, inWindow: false, status: 'early' });
  });
  it('D0 has a zero window', () => {
    expect(visitWindow('D0', D0, D0)).toMatchObject({ inWindow: true, daysOff: 0, studyDay: 0 });
    expect(visitWindow('D0', D0, '2024-01-11')).toMatchObject({ inWindow: false, daysOff: 1 });
  });
  it('screening must fall on day −28 … −1', () => {
    expect(visitWindow('SCR', D0, '2023-12-13')).toMatchObject({ earliestDate: '2023-12-13', latestDate: '2024-01-09', studyDay: -28, daysOff: 0, inWindow: true });
    expect(visitWindow('SCR', D0, '2023-12-12')).toMatchObject({ daysOff: -1, inWindow: false, status: 'early' });
    expect(visitWindow('SCR', D0, D0)).toMatchObject({ daysOff: 1, inWindow: false, status: 'late' });
  });
  it('LOG has no window; bad input is "invalid", never a throw', () => {
    expect(visitWindow('LOG', D0, '2024-03-01')).toMatchObject({ status: 'no_window', inWindow: null, studyDay: 51 });
    expect(visitWindow('XX' as never, D0, '2024-03-01').status).toBe('invalid');
    expect(visitWindow('D7', 'not a date', '2024-03-01').status).toBe('invalid');
    expect(visitWindow('D7', D0, '2024-02-30')).toMatchObject({ status: 'invalid', targetDate: '2024-01-17' });
  });
});
