// Timestamps for records: UTC ISO-8601 and the ward's local time (Asia/Shanghai, UTC+08:00).
import { wardTimestamp } from '../../../shared/rules/wardClock';

export interface Stamp {
  utc: string;
  local: string;
}

export function stamp(now: Date = new Date()): Stamp {
  return { utc: now.toISOString(), local: `${wardTimestamp(now)} +08:00` };
}
