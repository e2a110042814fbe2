// The ward's clock (the study time zone, Asia/Shanghai, UTC+08:00): today's date and readable times from UTC instants.
/** The study site's time zone (the ward in Kunming keeps Beijing time). */
export const WARD_TIME_ZONE = 'Asia/Shanghai';

const parts = (withTime: boolean, withSeconds: boolean) =>
  new Intl.DateTimeFormat('sv-SE', {
    timeZone: WARD_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' as const } : {}),
    ...(withSeconds ? { second: '2-digit' } : {}),
  });

const DATE = parts(false, false);
const MINUTES = parts(true, false);
const SECONDS = parts(true, true);

/** Today on the ward, 'YYYY-MM-DD'. */
export function wardToday(now: Date = new Date()): string {
  return DATE.format(now);
}

/** A UTC ISO timestamp as the ward reads it, 'YYYY-MM-DD HH:MM'; text that is not a timestamp comes back unchanged. */
export function wardDateTime(isoUtc: string): string {
  const d = new Date(isoUtc);
  return Number.isNaN(d.getTime()) ? isoUtc : MINUTES.format(d);
}

/** The ward's local time of an instant to the second, 'YYYY-MM-DD HH:MM:SS' (audit records). */
export function wardTimestamp(now: Date): string {
  return SECONDS.format(now);
}
