// The top bar's "Queries" button with the count of unresolved queries; refreshed after every query step and every minute.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../../shared/api/calls/common';
import { call } from '../../api/client';
import { QUERIES_CHANGED } from './formQueriesStore';
import { openQueryList } from './queryNavigation';

const REFRESH_MS = 60_000;

export function QueryNavButton({ user }: { user: User }) {
  const { t } = useTranslation();
  const [counts, setCounts] = useState<{ open: number; answered: number } | null>(null);
  const refresh = useCallback(() => {
    call('queries.counts', {}).then(setCounts, () => undefined);
  }, []);
  useEffect(() => {
    refresh();
    const timer = window.setInterval(refresh, REFRESH_MS);
    window.addEventListener(QUERIES_CHANGED, refresh);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener(QUERIES_CHANGED, refresh);
    };
  }, [refresh, user.id]);
  // Site staff act on open queries; the monitor on answered ones, so each sees the count that waits for them first.
  const mine = counts ? (user.role === 'monitor' ? counts.answered : counts.open) : 0;
  const total = counts ? counts.open + counts.answered : 0;
  return (
    <button
      type="button"
      className="btn btn-ghost topbar-queries"
      onClick={openQueryList}
      title={counts ? t('queries.navTitle', counts) : undefined}
      data-testid="nav-queries"
    >
      {t('queries.nav')}
      {total > 0 && (
        <span className={`nav-count${mine > 0 ? ' nav-count-alert' : ''}`} data-testid="nav-queries-count">
          {total}
        </span>
      )}
    </button>
  );
}
