// A date picker beside a typed date: a month calendar that gives YYYY-MM-DD (never a locale format), no day after the
// ward's today when `max` says so. Typing stays the fast way; this is for the nurse who would rather click.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { addDays, isIsoDate } from '../../../shared/rules/dates';

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

/** The 6 × 7 day grid of a month, weeks starting on Sunday; days of other months are null. */
export function monthGrid(y: number, m: number): (string | null)[] {
  const first = new Date(Date.UTC(y, m - 1, 1)).getUTCDay();
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const cells: (string | null)[] = [];
  for (let i = 0; i < first; i++) cells.push(null);
  for (let d = 1; d <= days; d++) cells.push(iso(y, m, d));
  while (cells.length % 7 !== 0) cells.push(null);
  return cells;
}

export function DatePickerButton({ value, max, onPick, disabled, label }: { value: string; max?: string | undefined; onPick(date: string): void; disabled?: boolean; label: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const wrap = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => wrap.current && !wrap.current.contains(e.target as Node) && setOpen(false);
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [open]);
  return (
    <span className="date-picker" ref={wrap}>
      <button
        type="button"
        className="btn btn-small btn-icon"
        aria-label={`${t('ward.date.pick')}：${label}`}
        title={t('ward.date.pick')}
        disabled={disabled}
        onClick={() => setOpen((o) => !o)}
        data-testid="date-pick"
      >
        <CalendarIcon />
      </button>
      {open && (
        <Calendar
          start={isIsoDate(value) ? value : (max ?? new Date().toISOString().slice(0, 10))}
          selected={isIsoDate(value) ? value : null}
          max={max}
          onPick={(d) => {
            onPick(d);
            setOpen(false);
          }}
          onClose={() => setOpen(false)}
        />
      )}
    </span>
  );
}

/** A small calendar drawn in SVG (no emoji font on a ward PC). */
function CalendarIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <rect x="1.5" y="3" width="13" height="11.5" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.3" />
      <path d="M1.5 6.5h13M5 1.5v3M11 1.5v3" stroke="currentColor" strokeWidth="1.3" />
      <path d="M4 9h2M7 9h2M10 9h2M4 11.5h2M7 11.5h2" stroke="currentColor" strokeWidth="1.2" />
    </svg>
  );
}

function Calendar({ start, selected, max, onPick, onClose }: { start: string; selected: string | null; max?: string | undefined; onPick(date: string): void; onClose(): void }) {
  const { t } = useTranslation();
  const [month, setMonth] = useState(() => ({ y: Number(start.slice(0, 4)), m: Number(start.slice(5, 7)) }));
  const shift = (n: number) => setMonth(({ y, m }) => ({ y: m + n > 12 ? y + 1 : m + n < 1 ? y - 1 : y, m: ((m + n + 11) % 12) + 1 }));
  const weekdays = t('ward.date.weekdays').split(',');
  const firstOfNext = addDays(iso(month.y, month.m, 1), 31)!;
  return (
    <div className="calendar" role="dialog" aria-label={t('ward.date.pick')} onKeyDown={(e) => e.key === 'Escape' && onClose()} data-testid="calendar">
      <div className="calendar-head">
        <button type="button" className="btn btn-small" aria-label={t('ward.date.prevMonth')} onClick={() => shift(-1)}>
          ‹
        </button>
        <strong>{t('ward.date.monthTitle', { y: month.y, m: pad(month.m) })}</strong>
        <button type="button" className="btn btn-small" aria-label={t('ward.date.nextMonth')} onClick={() => shift(1)} disabled={max !== undefined && firstOfNext.slice(0, 7) > max.slice(0, 7)}>
          ›
        </button>
      </div>
      <div className="calendar-grid" role="grid">
        {weekdays.map((w) => (
          <span key={w} className="calendar-weekday" role="columnheader">
            {w}
          </span>
        ))}
        {monthGrid(month.y, month.m).map((d, i) =>
          d ? (
            <button
              key={d}
              type="button"
              role="gridcell"
              className={`calendar-day${d === selected ? ' calendar-selected' : ''}${d === max ? ' calendar-today' : ''}`}
              aria-label={d}
              disabled={max !== undefined && d > max}
              onClick={() => onPick(d)}
            >
              {Number(d.slice(8))}
            </button>
          ) : (
            <span key={`x${i}`} />
          ),
        )}
      </div>
      {max && (
        <button type="button" className="link-button small" onClick={() => onPick(max)}>
          {t('ward.date.today')} {max}
        </button>
      )}
    </div>
  );
}
