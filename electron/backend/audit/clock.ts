// Timestamps for records: UTC ISO-8601 and the ward's local time (Asia/Shanghai, UTC+08:00).
const shanghai = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

export interface Stamp {
  utc: string;
  local: string;
}

export function stamp(now: Date = new Date()): Stamp {
  return { utc: now.toISOString(), local: `${shanghai.format(now)} +08:00` };
}
