// A query's status as a coloured badge: open red, answered amber, closed grey (colour plus a word, never colour alone).
import { useTranslation } from 'react-i18next';
import type { QueryStatus } from '../../../../shared/api/calls/queries';

const ICON: Record<QueryStatus, string> = { open: '?', answered: '↩', closed: '✓' };

export function QueryStatusBadge({ status, count }: { status: QueryStatus; count?: number }) {
  const { t } = useTranslation();
  return (
    <span className={`query-badge query-badge-${status}`}>
      <span className="query-badge-icon" aria-hidden="true">
        {ICON[status]}
      </span>
      {t(`queries.status.${status}`)}
      {count !== undefined && count > 1 ? ` ×${count}` : ''}
    </span>
  );
}
