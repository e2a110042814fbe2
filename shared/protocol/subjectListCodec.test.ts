// Compact list rows: visit statuses survive encode → decode for any mix, bad strings are refused, and the next due
// visit worked out from a row equals nextDueVisit on the full statuses.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { subjectListRowSchema } from '../api/calls/subjects';
import {
  SCHEDULED_VISIT_CODES,
  VISIT_STATUS_LETTER,
  decodeVisitStatuses,
  encodeVisitStatuses,
  listRowNextVisit,
  mergeListRows,
} from './subjectListCodec';
import { nextDueVisit, type VisitStatus } from './visitStatus';

const STATUSES = Object.keys(VISIT_STATUS_LETTER) as VisitStatus[];
const statusList = fc.array(fc.constantFrom(...STATUSES), { minLength: SCHEDULED_VISIT_CODES.length, maxLength: SCHEDULED_VISIT_CODES.length });

describe('visit status string', () => {
  it('covers SCR to M6, not the any-time log, with a distinct letter per status', () => {
    expect(SCHEDULED_VISIT_CODES).toEqual(['SCR', 'D0', 'D7', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6']);
    expect(new Set(Object.values(VISIT_STATUS_LETTER)).size).toBe(STATUSES.length);
  });

  it('round-trips every mix of statuses', () => {
    fc.assert(
      fc.property(statusList, (statuses) => {
        const code = encodeVisitStatuses(statuses);
        expect(code).toHaveLength(SCHEDULED_VISIT_CODES.length);
        expect(subjectListRowSchema.shape.visits.safeParse(code).success).toBe(true);
        expect(decodeVisitStatuses(code)).toEqual(SCHEDULED_VISIT_CODES.map((visitCode, i) => ({ visitCode, status: statuses[i] })));
      }),
    );
  });

  it('reads a worked example', () => {
    expect(encodeVisitStatuses(['locked', 'signed', 'verified', 'queried', 'complete', 'in_progress', 'not_started', 'not_started', 'not_started'])).toBe('LSVQCPNNN');
    expect(decodeVisitStatuses('CCQNNNNNN').slice(0, 3)).toEqual([
      { visitCode: 'SCR', status: 'complete' },
      { visitCode: 'D0', status: 'complete' },
      { visitCode: 'D7', status: 'queried' },
    ]);
  });

  it('refuses a wrong count or an unknown letter, in the codec and in the contract schema', () => {
    expect(() => encodeVisitStatuses(['complete'])).toThrow(/expected 9/);
    for (const bad of ['', 'CCCCCCCC', 'CCCCCCCCCC', 'CCCCCCCCX', 'cccccccccc'.slice(0, 9), 'CCCC CCCC']) {
      expect(() => decodeVisitStatuses(bad)).toThrow(/not a visit status string/);
      expect(subjectListRowSchema.shape.visits.safeParse(bad).success).toBe(false);
    }
  });
});

describe('listRowNextVisit', () => {
  it('is nextDueVisit on the decoded statuses, and null before Day 0', () => {
    fc.assert(
      fc.property(statusList, fc.date({ min: new Date('2024-01-01'), max: new Date('2027-01-01'), noInvalidDate: true }), fc.integer({ min: 0, max: 400 }), (statuses, d0, days) => {
        const day0 = d0.toISOString().slice(0, 10);
        const today = new Date(d0.getTime() + days * 86_400_000).toISOString().slice(0, 10);
        const visits = encodeVisitStatuses(statuses);
        const full = SCHEDULED_VISIT_CODES.map((visitCode, i) => ({ visitCode, status: statuses[i]! }));
        expect(listRowNextVisit({ visits, day0 }, today)).toEqual(nextDueVisit(full, day0, today));
        expect(listRowNextVisit({ visits, day0: null }, today)).toBeNull();
      }),
    );
  });

  it('gives Day 7 (2026-01-17, 01-15 to 01-19) after Day 0 2026-01-10, overdue from 01-20', () => {
    const row = { visits: 'CCNNNNNNN', day0: '2026-01-10' };
    expect(listRowNextVisit(row, '2026-01-16')).toEqual({ visitCode: 'D7', targetDate: '2026-01-17', from: '2026-01-15', to: '2026-01-19', overdue: false });
    expect(listRowNextVisit(row, '2026-01-20')?.overdue).toBe(true);
    expect(listRowNextVisit({ ...row, visits: 'CCCNNNNNN' }, '2026-01-20')?.visitCode).toBe('M1');
  });
});

describe('mergeListRows', () => {
  const row = (id: number, v: string) => ({ id, v });
  it('replaces changed rows by id and adds new ones in id order, leaving the base alone', () => {
    const base = [row(1, 'a'), row(2, 'a'), row(5, 'a')];
    const merged = mergeListRows(base, [row(2, 'b'), row(7, 'new'), row(3, 'new')]);
    expect(merged).toEqual([row(1, 'a'), row(2, 'b'), row(3, 'new'), row(5, 'a'), row(7, 'new')]);
    expect(base).toEqual([row(1, 'a'), row(2, 'a'), row(5, 'a')]);
    expect(mergeListRows([], [row(4, 'x')])).toEqual([row(4, 'x')]);
  });

  it('equals the whole new list for any old list and any set of changes', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 300 })), fc.uniqueArray(fc.integer({ min: 1, max: 300 })), (oldIds, changedIds) => {
        const base = [...oldIds].sort((a, b) => a - b).map((id) => row(id, 'old'));
        const changed = changedIds.map((id) => row(id, 'new'));
        const expected = [...new Set([...oldIds, ...changedIds])].sort((a, b) => a - b).map((id) => row(id, changedIds.includes(id) ? 'new' : 'old'));
        expect(mergeListRows(base, changed)).toEqual(expected);
      }),
    );
  });
});
