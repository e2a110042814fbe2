// The ward's day from the list rows, with worked dates: Day 0 2024-01-20, Day 7 window 01-25 … 01-29, Month 1 02-12 … 02-26.
import { describe, expect, it } from 'vitest';
import { agendaEntry, viewRows, wardAgenda, DEFAULT_VIEW, type AgendaRow } from './wardAgenda';

const row = (id: number, visits: string, status: AgendaRow['status'] = 'randomised', day0: string | null = '2024-01-20'): AgendaRow => ({
  id,
  screeningNo: `KM01-S${String(id).padStart(3, '0')}`,
  randNo: day0 ? `R${String(id).padStart(3, '0')}` : null,
  status,
  visits,
  day0,
});

describe('where a subject’s next visit stands today', () => {
  it('Day 7 not started: open on 01-26 (closes in 3 days), overdue by 2 on 01-31', () => {
    expect(agendaEntry(row(1, 'CCNNNNNNN'), '2024-01-26')).toMatchObject({ bucket: 'now', days: 3, visit: { visitCode: 'D7', from: '2024-01-25', to: '2024-01-29' } });
    expect(agendaEntry(row(1, 'CCNNNNNNN'), '2024-01-31')).toMatchObject({ bucket: 'overdue', days: 2 });
    expect(agendaEntry(row(1, 'CCNNNNNNN'), '2024-01-29')).toMatchObject({ bucket: 'now', days: 0 });
  });
  it('Month 1 opens 02-12: this week from 02-06 (6 days), not yet on 02-05', () => {
    expect(agendaEntry(row(2, 'CCCNNNNNN'), '2024-02-06')).toMatchObject({ bucket: 'week', days: 6, visit: { visitCode: 'M1' } });
    expect(agendaEntry(row(2, 'CCCNNNNNN'), '2024-02-05')).toBeNull();
  });
  it('a withdrawn or completed subject has nothing due (the finding: 已超窗 in red after withdrawal); screening has no Day 0', () => {
    expect(agendaEntry(row(3, 'CCNNNNNNN', 'withdrawn'), '2024-03-31')).toBeNull();
    expect(agendaEntry(row(3, 'CCNNNNNNN', 'completed'), '2024-03-31')).toBeNull();
    expect(agendaEntry(row(4, 'PNNNNNNNN', 'screening', null), '2024-03-31')).toBeNull();
  });
});

describe('the day’s lists and the list view', () => {
  const rows = [row(1, 'CCNNNNNNN'), row(2, 'CCCNNNNNN'), row(3, 'CCNNNNNNN', 'withdrawn'), row(4, 'PNNNNNNNN', 'screening', null), row(5, 'NNNNNNNNN', 'created_in_error', null)];
  const rows2 = [...rows, { ...row(6, 'CCNNNNNNN'), day0: '2024-01-22' }];

  it('overdue longest first, open today closing soonest first, this week', () => {
    const day = wardAgenda(rows2, '2024-01-30');
    expect(day.overdue.map((e) => [e.row.screeningNo, e.days])).toEqual([['KM01-S001', 1]]);
    expect(day.now.map((e) => [e.row.screeningNo, e.days])).toEqual([['KM01-S006', 1]]);
    expect(wardAgenda(rows2, '2024-02-08').week.map((e) => e.row.screeningNo)).toEqual(['KM01-S002']);
  });

  it('filters by status (active hides numbers created in error) and by due, sorts by next visit or status', () => {
    const ids = (v: Partial<typeof DEFAULT_VIEW>, today = '2024-01-30') => viewRows(rows2, { ...DEFAULT_VIEW, ...v }, today).map((r) => r.id);
    expect(ids({})).toEqual([1, 2, 3, 4, 6]);
    expect(ids({ status: 'created_in_error' })).toEqual([5]);
    expect(ids({ status: 'randomised' })).toEqual([1, 2, 6]);
    expect(ids({ due: 'overdue' })).toEqual([1]);
    expect(ids({ due: 'now' })).toEqual([6]);
    expect(ids({ sort: 'nextVisit' })).toEqual([1, 6, 2, 3, 4]);
    expect(ids({ sort: 'status' })).toEqual([1, 2, 6, 4, 3]);
    expect(ids({ search: 's00' })).toEqual([1, 2, 3, 4, 6]);
    expect(ids({ search: 'R002' })).toEqual([2]);
  });
});
