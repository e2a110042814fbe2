// Today's date on the ward (Asia/Shanghai) as 'YYYY-MM-DD', for confirmation dates.
export function shanghaiToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
