// Visit status roll-up and the next due visit, with worked dates.
import { describe, expect, it } from 'vitest';
import { nextDueVisit, visitStatusFromForms } from './visitStatus';

describe('visitStatusFromForms', () => {
  const expected = ['VITALS', 'LAB', 'SLEDAI', 'CYC'] as const;
  it('is not started with no forms, in progress while a form is missing', () => {
    expect(visitStatusFromForms([...expected], [])).toBe('not_started');
    expect(visitStatusFromForms([...expected], [{ formCode: 'VITALS', status: 'complete' }])).toBe('in_progress');
  });
  it('takes the lowest state all expected forms reached, queried above all', () => {
    const all = expected.map((formCode) => ({ formCode, status: 'signed' as const }));
    expect(visitStatusFromForms([...expected], all)).toBe('signed');
    expect(visitStatusFromForms([...expected], [...all.slice(1), { formCode: 'VITALS', status: 'verified' }])).toBe('verified');
    expect(visitStatusFromForms([...expected], [...all.slice(1), { formCode: 'VITALS', status: 'signed', queried: true }])).toBe('queried');
  });
  it('expects a pregnancy test only from a woman of childbearing potential (or while DEMOG does not say)', () => {
    const scr = ['DEMOG', 'VITALS', 'PREG', 'ELIG'] as const;
    const done = [{ formCode: 'DEMOG', status: 'complete' as const }, { formCode: 'VITALS', status: 'complete' as const }];
    expect(visitStatusFromForms([...scr], done, { sex: 'M' })).toBe('complete');
    expect(visitStatusFromForms([...scr], done, { sex: 'F', childbearingPotential: false })).toBe('complete');
    expect(visitStatusFromForms([...scr], done, { sex: 'F', childbearingPotential: true })).toBe('in_progress');
    expect(visitStatusFromForms([...scr], done, { sex: 'F' })).toBe('in_progress');
    expect(visitStatusFromForms([...scr], done)).toBe('in_progress');
    expect(visitStatusFromForms([...scr], [...done, { formCode: 'PREG', status: 'verified' }], { sex: 'F', childbearingPotential: true })).toBe('complete');
  });
  it('does not wait for the derived ELIG; Month 6 waits for RESPONSE (issue 16: ✓ while the endpoint was unsaved)', () => {
    expect(visitStatusFromForms(['VITALS', 'ELIG'], [{ formCode: 'VITALS', status: 'complete' }])).toBe('complete');
    expect(visitStatusFromForms(['VITALS', 'RESPONSE'], [{ formCode: 'VITALS', status: 'complete' }])).toBe('in_progress');
    expect(visitStatusFromForms(['VITALS', 'RESPONSE'], [{ formCode: 'VITALS', status: 'complete' }, { formCode: 'RESPONSE', status: 'complete' }])).toBe('complete');
  });
});

describe('nextDueVisit', () => {
  it('gives D7 (day 7 ± 2) after Day 0 2026-01-10: 2026-01-17, window 01-15 to 01-19', () => {
    expect(nextDueVisit([{ visitCode: 'D0', status: 'complete' }], '2026-01-10', '2026-01-16')).toEqual({
      visitCode: 'D7',
      targetDate: '2026-01-17',
      from: '2026-01-15',
      to: '2026-01-19',
      overdue: false,
    });
  });
  it('flags M1 (day 30 ± 7) overdue the day after its window closes', () => {
    const done = ['D0', 'D7'].map((visitCode) => ({ visitCode: visitCode as 'D0', status: 'complete' as const }));
    // Day 0 2026-01-10 + 30 = 2026-02-09; window to 2026-02-16.
    expect(nextDueVisit(done, '2026-01-10', '2026-02-16')).toMatchObject({ visitCode: 'M1', targetDate: '2026-02-09', overdue: false });
    expect(nextDueVisit(done, '2026-01-10', '2026-02-17')).toMatchObject({ visitCode: 'M1', overdue: true });
  });
  it('is null once every scheduled visit is done', () => {
    const all = ['D7', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6'].map((visitCode) => ({ visitCode: visitCode as 'M1', status: 'complete' as const }));
    expect(nextDueVisit(all, '2026-01-10', '2026-12-01')).toBeNull();
  });
});
