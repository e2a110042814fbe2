// Timestamps for records: UTC ISO-8601 and the ward's local time (Asia/Shanghai, UTC+08:00), from one clock that
// demo generation (and tests) may set, so a synthetic study's audit trail runs over its own dates.
import { wardTimestamp, wardToday } from '../../../shared/rules/wardClock';

export interface Stamp {
  utc: string;
  local: string;
}

let clock: () => Date = () => new Date();

/** The current instant on the back end's clock. */
export function now(): Date {
  return clock();
}

/** Replace the clock (demo generation, tests); returns a function that restores the previous one. */
export function setClock(next: () => Date): () => void {
  const previous = clock;
  clock = next;
  return () => {
    clock = previous;
  };
}

/** Today's date on the ward by the back end's clock, 'YYYY-MM-DD'. */
export function today(): string {
  return wardToday(now());
}

export function stamp(at: Date = now()): Stamp {
  return { utc: at.toISOString(), local: `${wardTimestamp(at)} +08:00` };
}
