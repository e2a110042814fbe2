// A visit's status as a chip (colour plus an icon, so it reads without colour vision) and the legend explaining every status.
import { useTranslation } from 'react-i18next';
import type { VisitStatus } from '../../../shared/protocol/visitStatus';

export const VISIT_STATUSES: readonly VisitStatus[] = ['not_started', 'in_progress', 'complete', 'queried', 'verified', 'signed', 'locked'];

export const VISIT_STATUS_ICON: Record<VisitStatus, string> = {
  not_started: '○',
  in_progress: '◐',
  complete: '✓',
  queried: '?',
  verified: '☑',
  signed: '✍',
  locked: '■',
};

export function VisitStatusChip({ status, label }: { status: VisitStatus; label: string }) {
  const { t } = useTranslation();
  return <VisitStatusChipView status={status} label={label} statusName={t(`visitStatus.${status}`)} />;
}

/** The chip with its status name given, for long lists that translate the seven names once instead of per chip. */
export function VisitStatusChipView({ status, label, statusName }: { status: VisitStatus; label: string; statusName: string }) {
  return (
    <span className={`chip chip-${status}`} title={`${label}: ${statusName}`} data-status={status}>
      <span className="chip-icon" aria-hidden="true">
        {VISIT_STATUS_ICON[status]}
      </span>
      {label}
    </span>
  );
}

export function VisitStatusLegend() {
  const { t } = useTranslation();
  return (
    <div className="status-legend" data-testid="status-legend" aria-label={t('entry.casebook.legend')}>
      <span className="muted">{t('entry.casebook.legend')}</span>
      {VISIT_STATUSES.map((s) => (
        <span key={s} className="legend-item">
          <span className={`chip chip-${s}`} aria-hidden="true">
            <span className="chip-icon">{VISIT_STATUS_ICON[s]}</span>
          </span>
          {t(`visitStatus.${s}`)}
        </span>
      ))}
    </div>
  );
}
