// The top bar's "Queries" button with the count of unresolved queries; refreshed after query changes and on user activity.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../../shared/api/calls/common';
import { call } from '../../api/client';
import { QUERIES_CHANGED } from './formQueriesStore';
import { openQueryList } from './queryNavigation';

/** At most one refresh per half minute from user activity. */
const ACTIVITY_REFRESH_MS = 30_000;

export function QueryNavButton({ user }: { user: User }) {
  const { t } = useTranslation();
  const [counts, setCounts] = useState<{ open: number; answered: number } | null>(null);
  const last = useRef(0);
  const refresh = useCallback(() => {
    last.current = Date.now();
    call('queries.counts', {}).then(setCounts, () => undefined);
  }, []);
  useEffect(() => {
    refresh();
    // No timer: every call counts as activity for the 15-minute idle lock, so a poll would keep an unattended
    // session open. The count follows query changes and the user's own clicks and keys instead.
    const onActivity = () => {
      if (Date.now() - last.current > ACTIVITY_REFRESH_MS) refresh();
    };
    window.addEventListener(QUERIES_CHANGED, refresh);
    window.addEventListener('pointerdown', onActivity, true);
    window.addEventListener('keydown', onActivity, true);
    return () => {
      window.removeEventListener(QUERIES_CHANGED, refresh);
      window.removeEventListener('pointerdown', onActivity, true);
      window.removeEventListener('keydown', onActivity, true);
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
