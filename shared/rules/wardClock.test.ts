// The ward clock: UTC instants read in Asia/Shanghai (UTC+08:00), across the date line of the ward's midnight.
import { describe, expect, it } from 'vitest';
import { wardDateTime, wardTimestamp, wardToday } from './wardClock';

describe('ward clock (Asia/Shanghai)', () => {
  it('is 8 hours ahead of UTC, so 16:30 UTC is already tomorrow on the ward', () => {
    expect(wardToday(new Date('2026-11-25T15:59:59Z'))).toBe('2026-11-25');
    expect(wardToday(new Date('2026-11-25T16:00:00Z'))).toBe('2026-11-26');
    expect(wardDateTime('2026-11-25T16:30:00.000Z')).toBe('2026-11-26 00:30');
    expect(wardTimestamp(new Date('2026-01-01T01:02:03Z'))).toBe('2026-01-01 09:02:03');
  });
  it('leaves text that is not a timestamp as it is', () => {
    expect(wardDateTime('—')).toBe('—');
  });
});
