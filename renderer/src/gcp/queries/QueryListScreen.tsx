// The study's data queries in one list: filter by status and subject; a row opens the form the query is on.
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DataQuery } from '../../../../shared/api/calls/queries';
import { visitDef } from '../../../../shared/protocol/visits';
import { call, isSessionEnd } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { pick } from '../../i18n';
import { wardDateTime } from '../../../../shared/rules/wardClock';
import type { FormKey } from './formQueriesStore';
import { QueryStatusBadge } from './QueryStatusBadge';
import { HelpButton } from '../../help/HelpButton';

type StatusFilter = 'unresolved' | 'open' | 'answered' | 'closed' | 'all';
const STATUS_FILTERS: StatusFilter[] = ['unresolved', 'open', 'answered', 'closed', 'all'];
const LIMIT = 2000;

interface Props {
  onBack(): void;
  onOpenForm(form: FormKey): void;
  onSessionLost(): void;
}

export function QueryListScreen({ onBack, onOpenForm, onSessionLost }: Props) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<StatusFilter>('unresolved');
  const [subjectId, setSubjectId] = useState<number | null>(null);
  const [queries, setQueries] = useState<DataQuery[] | null>(null);
  const [subjects, setSubjects] = useState<Map<number, string>>(new Map());
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    call('queries.list', { ...(status === 'all' ? {} : { status }), ...(subjectId ? { subjectId } : {}) }).then(
      (list) => {
        if (!live) return;
        setQueries(list);
        setError(null);
        // The subject filter offers every subject seen with queries so far.
        setSubjects((prev) => {
          const next = new Map(prev);
          for (const q of list) next.set(q.subjectId, q.screeningNo);
          return next.size === prev.size ? prev : next;
        });
      },
      (e: unknown) => {
        if (!live) return;
        if (isSessionEnd(e)) onSessionLost();
        else setError(e);
      },
    );
    return () => {
      live = false;
    };
  }, [status, subjectId, onSessionLost]);
  const subjectOptions = useMemo(() => [...subjects.entries()].sort((a, b) => a[1].localeCompare(b[1])), [subjects]);
  const statusLabel = (s: StatusFilter) =>
    s === 'unresolved' ? t('queries.list.unresolved') : s === 'all' ? t('queries.list.all') : t(`queries.status.${s}`);
  const open = (q: DataQuery) => onOpenForm({ subjectId: q.subjectId, visitCode: q.visitCode, formCode: q.formCode, repeatKey: q.repeatKey });

  return (
    <section className="card query-list">
      <div className="list-header">
        <button type="button" className="link-button" onClick={onBack}>
          {t('queries.list.back')}
        </button>
        <h1>
          {t('queries.list.title')} <HelpButton topic="queries" />
        </h1>
        <label className="filter">
          {t('queries.list.statusFilter')}
          <select value={status} onChange={(e) => setStatus(e.target.value as StatusFilter)} data-testid="query-status-filter">
            {STATUS_FILTERS.map((s) => (
              <option key={s} value={s}>
                {statusLabel(s)}
              </option>
            ))}
          </select>
        </label>
        <label className="filter">
          {t('queries.list.subjectFilter')}
          <select
            value={subjectId ?? ''}
            onChange={(e) => setSubjectId(e.target.value ? Number(e.target.value) : null)}
            data-testid="query-subject-filter"
          >
            <option value="">{t('queries.list.allSubjects')}</option>
            {subjectOptions.map(([id, no]) => (
              <option key={id} value={id}>
                {no}
              </option>
            ))}
          </select>
        </label>
        {queries && (
          <span className="muted" data-testid="query-count">
            {t('queries.list.count', { count: queries.length })}
          </span>
        )}
      </div>
      <ErrorBanner error={error} />
      {queries && queries.length === 0 && <p className="empty">{t('queries.list.empty')}</p>}
      {queries && queries.length > 0 && (
        <table className="clin-table query-table" data-testid="query-table">
          <thead>
            <tr>
              <th className="nowrap">{t('queries.list.colId')}</th>
              <th>{t('queries.list.colSubject')}</th>
              <th>{t('queries.list.colWhere')}</th>
              <th className="nowrap">{t('queries.list.colItem')}</th>
              <th>{t('queries.list.colText')}</th>
              <th>{t('queries.list.colStatus')}</th>
              <th>{t('queries.list.colUpdated')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {queries.map((q) => {
              const visit = visitDef(q.visitCode);
              const last = q.messages[q.messages.length - 1];
              return (
                <tr key={q.id} className="query-row" onClick={() => open(q)} data-testid="query-row" data-query-id={q.id}>
                  <td className="mono muted nowrap">#{q.id}</td>
                  <td className="mono nowrap">{q.screeningNo}</td>
                  <td>
                    <span className="nowrap">{visit ? pick(visit.label) : q.visitCode} ·</span>{' '}
                    <span className="nowrap">
                      {pick(q.formLabel)}
                      {q.repeatKey > 0 ? ` #${q.repeatKey}` : ''}
                    </span>
                  </td>
                  <td className="query-item">{pick(q.itemLabel)}</td>
                  <td className="query-text-cell">
                    <span className="query-origin">{t(`queries.origin.${q.origin}`)}</span> {pick(q.text)}
                    {last && last.kind !== 'raise' && (
                      <div className="muted small">
                        {t(`queries.kind.${last.kind}`)} · {last.username ?? t('queries.system')}
                        {last.text && last.kind !== 'auto_close' ? `：${last.text}` : ''}
                      </div>
                    )}
                  </td>
                  <td className="nowrap">
                    <QueryStatusBadge status={q.status} />
                  </td>
                  <td className="nowrap">{wardDateTime(q.updatedAt)}</td>
                  <td className="nowrap">
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={(e) => {
                        e.stopPropagation();
                        open(q);
                      }}
                    >
                      {t('queries.list.open')}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {queries && queries.length >= LIMIT && <p className="muted small">{t('queries.list.limited')}</p>}
    </section>
  );
}
