// The SAE reporting clock (amendment 1, rule 6) with worked times: aware 2024-03-05 16:30 ward time → due 2024-03-06 16:30.
import { describe, expect, it } from 'vitest';
import { saeClock } from './saeReporting';

const sae = { serious: true, awarenessDate: '2024-03-05', awarenessTime: '16:30', relationCyc: 'probable', relationInfusion: 'unlikely', expectedness: 'unexpected' };

describe('saeClock', () => {
  it('due 24 h after awareness; before the deadline it is due, a minute after it is overdue', () => {
    expect(saeClock(sae, '2024-03-06 16:30')).toMatchObject({ awareAt: '2024-03-05 16:30', dueAt: '2024-03-06 16:30', sponsor: 'due', ethics: 'due' });
    expect(saeClock(sae, '2024-03-06 16:31')).toMatchObject({ sponsor: 'overdue', ethics: 'overdue' });
  });
  it('a report dated the awareness day or the next is on time; two days later is late', () => {
    expect(saeClock({ ...sae, reportedSponsorDate: '2024-03-06', reportedEcDate: '2024-03-07' }, '2024-03-10 09:00')).toMatchObject({ sponsor: 'reported', ethics: 'reported_late' });
    expect(saeClock({ ...sae, reportedSponsorDate: '2024-03-05' }, '2024-03-10 09:00').sponsor).toBe('reported');
  });
  it('without an awareness time the clock cannot run; SUSAR comes with it', () => {
    expect(saeClock({ ...sae, awarenessTime: null }, '2024-03-10 09:00')).toMatchObject({ awareAt: null, dueAt: null, sponsor: 'unknown', susar: 1 });
  });
});
