// A UTC timestamp shown as the ward's clock (Asia/Shanghai), 'YYYY-MM-DD HH:MM'.
const format = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

export function beijingTime(isoUtc: string): string {
  const d = new Date(isoUtc);
  return Number.isNaN(d.getTime()) ? isoUtc : format.format(d);
}
