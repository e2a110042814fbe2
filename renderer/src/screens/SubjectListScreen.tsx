// The subject list: search, create, per-visit status chips and the next due visit; virtualised for 10,000 rows.
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SubjectList, SubjectListRow } from '../../../shared/api/calls/subjects';
import { decodeVisitStatuses, listRowNextVisit, mergeListRows } from '../../../shared/protocol/subjectListCodec';
import type { VisitStatus } from '../../../shared/protocol/visitStatus';
import { visitDef } from '../../../shared/protocol/visits';
import { call, isSessionEnd } from '../api/client';
import { ErrorBanner } from '../components/ErrorBanner';
import { VISIT_STATUSES, VisitStatusChipView, VisitStatusLegend } from '../entry/VisitStatusChip';
import { pick } from '../i18n';
import { useSession } from '../session';
import { UnblindedPill } from '../components/UnblindedPill';

const CAN_CREATE = new Set(['admin', 'data_entry', 'investigator']);

/**
 * The last whole list this page received (per user), so that coming back to the list asks the server only for the
 * subjects changed since (10,000 rows need not cross again). Nothing from it is shown before the server answered.
 */
let held: { userId: number; list: SubjectList } | null = null;

async function loadList(userId: number): Promise<SubjectList> {
  const base = held?.userId === userId ? held.list : null;
  let answer = await call('subjects.list', base?.version ? { since: base.version } : {});
  if (!answer.complete) {
    const rows = base ? mergeListRows(base.rows, answer.rows) : [];
    // A count that does not add up (a change the server could not see as one) falls back to the whole list.
    answer = base && rows.length === answer.count ? { ...answer, complete: true, rows } : await call('subjects.list', {});
  }
  held = answer.version ? { userId, list: answer } : null;
  return answer;
}

export function SubjectListScreen({ onOpen, onSessionLost }: { onOpen(subjectId: number): void; onSessionLost(): void }) {
  const { t, i18n } = useTranslation();
  const { user } = useSession();
  const [list, setList] = useState<SubjectList | null>(null);
  const subjects = list?.rows ?? null;
  const [query, setQuery] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);

  const handle = useCallback(
    (e: unknown) => {
      if (isSessionEnd(e)) onSessionLost();
      else setError(e);
    },
    [onSessionLost],
  );

  useEffect(() => {
    loadList(user.id).then(setList, handle);
  }, [handle, user.id]);

  const filtered = useMemo(() => {
    const q = query.trim().toUpperCase();
    if (!subjects || !q) return subjects ?? [];
    return subjects.filter((s) => s.screeningNo.toUpperCase().includes(q) || (s.randNo ?? '').toUpperCase().includes(q));
  }, [subjects, query]);

  const create = async () => {
    setCreating(true);
    setError(null);
    try {
      const subject = await call('subjects.create', {});
      setList(await loadList(user.id));
      setNotice(t('subjects.created', { no: subject.screeningNo }));
    } catch (e) {
      handle(e);
    } finally {
      setCreating(false);
    }
  };

  // The seven status names once per language, not a translation hook per chip (~200 chips on screen).
  const statusNames = useMemo(() => Object.fromEntries(VISIT_STATUSES.map((s) => [s, t(`visitStatus.${s}`)])) as Record<VisitStatus, string>, [t, i18n.language]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: filtered.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 52,
    overscan: 12,
  });

  return (
    <section className="card">
      <div className="list-header">
        <h1>{t('subjects.title')}</h1>
        <input
          className="search"
          type="search"
          placeholder={t('subjects.search')}
          aria-label={t('subjects.search')}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <span className="muted" data-testid="subject-count">
          {t('subjects.count', { count: filtered.length })}
        </span>
        {CAN_CREATE.has(user.role) && (
          <button type="button" className="btn btn-primary" onClick={create} disabled={creating} data-testid="new-subject">
            {t('subjects.new')}
          </button>
        )}
      </div>
      <VisitStatusLegend />
      {notice && (
        <div className="banner banner-ok" role="status">
          {notice}
        </div>
      )}
      <ErrorBanner error={error} />
      {subjects && filtered.length === 0 ? (
        <p className="empty">{query ? t('subjects.noMatch', { q: query }) : t('subjects.empty')}</p>
      ) : (
        <div className="table" role="table" aria-label={t('subjects.title')}>
          <div className="table-row table-head" role="row">
            <span role="columnheader">{t('subjects.screeningNo')}</span>
            <span role="columnheader">{t('subjects.randNo')}</span>
            <span role="columnheader">{t('subjects.status')}</span>
            <span role="columnheader">{t('subjects.visits')}</span>
            <span role="columnheader">{t('subjects.nextVisit')}</span>
          </div>
          <div className="table-body" ref={scrollRef} data-testid="subject-rows">
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualizer.getVirtualItems().map((item) => (
                <SubjectRow key={filtered[item.index]!.id} row={filtered[item.index]!} today={list?.today ?? ''} statusNames={statusNames} top={item.start} onOpen={onOpen} />
              ))}
            </div>
          </div>
        </div>
      )}
    </section>
  );
}

/** One list row: chips decoded from the row's status letters, the next due visit worked out from its Day 0 date. */
const SubjectRow = memo(function SubjectRow(props: {
  row: SubjectListRow;
  today: string;
  statusNames: Record<VisitStatus, string>;
  top: number;
  onOpen(subjectId: number): void;
}) {
  const { row, today, statusNames, top, onOpen } = props;
  const { t } = useTranslation();
  const next = listRowNextVisit(row, today);
  return (
    <div
      role="row"
      className="table-row subject-row"
      style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${top}px)` }}
      tabIndex={0}
      onClick={() => onOpen(row.id)}
      onKeyDown={(e) => e.key === 'Enter' && onOpen(row.id)}
    >
      <span role="cell" className="mono">{row.screeningNo}</span>
      <span role="cell" className="mono">{row.randNo ?? t('subjects.none')}</span>
      <span role="cell" className="status-cell">
        <span className={`pill pill-${row.status}`}>{t(`subjectStatus.${row.status}`)}</span>
        {row.unblinded && <UnblindedPill />}
      </span>
      <span role="cell" className="chips">
        {decodeVisitStatuses(row.visits).map((v) => (
          <VisitStatusChipView key={v.visitCode} status={v.status} label={v.visitCode} statusName={statusNames[v.status]} />
        ))}
      </span>
      <span role="cell" className="next-visit" data-testid="next-visit">
        {next ? (
          <>
            <span>
              <strong>{pick(visitDef(next.visitCode)?.label ?? { zh: next.visitCode, en: next.visitCode })}</strong> {next.targetDate}
              {next.overdue && <span className="overdue"> {t('subjects.overdue')}</span>}
            </span>
            <span className="muted small">{t('subjects.window', { from: next.from, to: next.to })}</span>
          </>
        ) : (
          t('subjects.none')
        )}
      </span>
    </div>
  );
});
