// The ward home: the day's panels (WardPanels) over the subject list: search, filters by status and due/overdue,
// sort, create (after a confirmation), per-visit status chips and the next due visit; virtualised for 10,000 rows.
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
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
import { DialogActions } from '../components/DialogActions';
import { ModalDialog } from '../components/ModalDialog';
import type { FormRoute } from '../entry/FormScreen';
import { WardPanels } from '../home/WardPanels';
import { SUBJECT_STATUSES } from '../../../shared/protocol/subjectStatus';
import { DEFAULT_VIEW, viewRows, type DueFilter, type ListView, type SortKey, type StatusFilter } from '../../../shared/protocol/wardAgenda';

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

/** The list's filters and sort, kept while the user moves between screens (per page load). */
let keptView: ListView = DEFAULT_VIEW;

export function SubjectListScreen({
  onOpen,
  onOpenForm,
  onOpenSaes,
  onSessionLost,
  nav,
}: {
  nav?: ReactNode;
  onOpen(subjectId: number): void;
  onOpenForm(route: FormRoute): void;
  onOpenSaes(): void;
  onSessionLost(): void;
}) {
  const { t, i18n } = useTranslation();
  const { user } = useSession();
  const [list, setList] = useState<SubjectList | null>(null);
  const subjects = list?.rows ?? null;
  const [view, setViewState] = useState<ListView>(keptView);
  const setView = (change: Partial<ListView>) => setViewState((v) => (keptView = { ...v, ...change }));
  const query = view.search;
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [confirmCreate, setConfirmCreate] = useState(false);

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

  const filtered = useMemo(() => (subjects ? viewRows(subjects, view, list?.today ?? '') : []), [subjects, view, list?.today]);
  const filteredView = view.status !== DEFAULT_VIEW.status || view.due !== DEFAULT_VIEW.due;

  const create = async () => {
    setConfirmCreate(false);
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

  const sortBy = (sort: SortKey) => setView({ sort });
  const sortMark = (sort: SortKey) => (view.sort === sort ? ' ▾' : '');
  return (
    <>
    {!(subjects && list) && <div className="nav-row">{nav}</div>}
    {subjects && list && (
      <WardPanels
        nav={nav}
        rows={subjects}
        today={list.today}
        onOpenSubject={onOpen}
        onOpenForm={onOpenForm}
        onShowDue={(due) => setView({ due, status: 'active', search: '' })}
        onOpenSaes={onOpenSaes}
        onSessionLost={onSessionLost}
      />
    )}
    <section className="card">
      <div className="list-header">
        <h1>{t('subjects.title')}</h1>
        <input
          className="search"
          type="search"
          placeholder={t('subjects.search')}
          aria-label={t('subjects.search')}
          value={query}
          onChange={(e) => setView({ search: e.target.value })}
        />
        <span className="muted" data-testid="subject-count">
          {t('subjects.count', { count: filtered.length })}
        </span>
        {CAN_CREATE.has(user.role) && (
          <button type="button" className="btn btn-primary" onClick={() => setConfirmCreate(true)} disabled={creating} data-testid="new-subject">
            {t('subjects.new')}
          </button>
        )}
      </div>
      <div className="list-filters" data-testid="list-filters">
        <label>
          {t('ward.filter.status')}{' '}
          <select value={view.status} onChange={(e) => setView({ status: e.target.value as StatusFilter })} data-testid="filter-status">
            <option value="active">{t('ward.filter.allStatuses')}</option>
            {SUBJECT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`subjectStatus.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('ward.filter.due')}{' '}
          <select value={view.due} onChange={(e) => setView({ due: e.target.value as DueFilter })} data-testid="filter-due">
            <option value="all">{t('ward.filter.dueAll')}</option>
            <option value="now">{t('ward.filter.dueNow')}</option>
            <option value="week">{t('ward.filter.dueWeek')}</option>
            <option value="overdue">{t('ward.filter.overdue')}</option>
          </select>
        </label>
        <label>
          {t('ward.filter.sort')}{' '}
          <select value={view.sort} onChange={(e) => sortBy(e.target.value as SortKey)} data-testid="sort">
            <option value="screeningNo">{t('ward.filter.sortNo')}</option>
            <option value="nextVisit">{t('ward.filter.sortNext')}</option>
            <option value="status">{t('ward.filter.sortStatus')}</option>
          </select>
        </label>
        {filteredView && (
          <button type="button" className="link-button small" onClick={() => setView({ status: 'active', due: 'all' })} data-testid="filter-clear">
            {t('ward.filter.clear')}
          </button>
        )}
      </div>
      {confirmCreate && (
        <ModalDialog id="create-subject" title={t('ward.create.title')} onEscape={() => setConfirmCreate(false)}>
          <p>{t('ward.create.body')}</p>
          <DialogActions onCancel={() => setConfirmCreate(false)} onConfirm={() => void create()} label={t('ward.create.confirm')} busy={creating} testId="create-confirm" />
        </ModalDialog>
      )}
      <VisitStatusLegend />
      {notice && (
        <div className="banner banner-ok" role="status">
          {notice}
        </div>
      )}
      <ErrorBanner error={error} />
      {subjects && filtered.length === 0 ? (
        <p className="empty">{query ? t('subjects.noMatch', { q: query }) : subjects.length > 0 ? t('subjects.noMatch', { q: '' }) : t('subjects.empty')}</p>
      ) : (
        <div className="table" role="table" aria-label={t('subjects.title')}>
          <div className="table-row table-head" role="row">
            <span role="columnheader" aria-sort={view.sort === 'screeningNo' ? 'ascending' : 'none'}>
              <button type="button" className="link-button sort-head" onClick={() => sortBy('screeningNo')}>
                {t('subjects.screeningNo')}
                {sortMark('screeningNo')}
              </button>
            </span>
            <span role="columnheader">{t('subjects.randNo')}</span>
            <span role="columnheader" aria-sort={view.sort === 'status' ? 'ascending' : 'none'}>
              <button type="button" className="link-button sort-head" onClick={() => sortBy('status')}>
                {t('subjects.status')}
                {sortMark('status')}
              </button>
            </span>
            <span role="columnheader">{t('subjects.visits')}</span>
            <span role="columnheader" aria-sort={view.sort === 'nextVisit' ? 'ascending' : 'none'}>
              <button type="button" className="link-button sort-head" onClick={() => sortBy('nextVisit')}>
                {t('subjects.nextVisit')}
                {sortMark('nextVisit')}
              </button>
            </span>
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
    </>
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
