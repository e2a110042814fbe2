// The casebook timeline's actual visit date comes from the visit's own forms, in schedule order.
import { describe, expect, it } from 'vitest';
import { DAY0, GOOD_FORMS, casebookOf, withForm } from '../../../shared/protocol/testing/fixtures';
import { visitDateFromForms } from './visitDate';

describe('visitDateFromForms', () => {
  it('takes screening from the first screening form with a visit date (SLEDAI, before VITALS and LAB)', () => {
    expect(visitDateFromForms(casebookOf(), 'SCR')).toEqual({ date: '2024-01-05', formCode: 'SLEDAI', fieldId: 'assessmentDate' });
  });

  it('takes Day 0 from the RAND form, not from a later form of the visit', () => {
    const book = withForm(casebookOf(), 'VITALS', 'D0', { ...GOOD_FORMS.VITALS.data, assessmentDate: '2024-01-21' });
    expect(visitDateFromForms(book, 'D0')).toEqual({ date: DAY0, formCode: 'RAND', fieldId: 'randDate' });
  });

  it('falls back to the next form when the first has no date, and is null for a visit with nothing saved', () => {
    const book = withForm(casebookOf(), 'LAB', 'M1', { ...GOOD_FORMS.LAB.data, collectionDate: '2024-02-20' });
    expect(visitDateFromForms(book, 'M1')).toEqual({ date: '2024-02-20', formCode: 'LAB', fieldId: 'collectionDate' });
    expect(visitDateFromForms(book, 'M2')).toBeNull();
    expect(visitDateFromForms(withForm(casebookOf(), 'VITALS', 'M1', { weightKg: 55 }), 'M1')).toBeNull();
  });
});
