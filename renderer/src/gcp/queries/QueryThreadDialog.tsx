// The queries on one item with their message threads, and the steps the user's role may take:
// site staff answer open queries; the monitor closes open/answered ones and re-opens answered/closed ones (with a reason).
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { DataQuery } from '../../../../shared/api/calls/queries';
import { visitDef } from '../../../../shared/protocol/visits';
import { ApiCallError, call } from '../../api/client';
import { useApiAction } from '../../components/useApiAction';
import { ErrorBanner } from '../../components/ErrorBanner';
import { ModalDialog } from '../../components/ModalDialog';
import { ReasonField, useReasonText } from '../../components/ReasonField';
import { pick } from '../../i18n';
import { useSession } from '../../session';
import { wardDateTime } from '../../../../shared/rules/wardClock';
import { reloadFormQueries, useFormQueries, type FormKey } from './formQueriesStore';
import { QueryStatusBadge } from './QueryStatusBadge';

const SITE_STAFF = new Set(['data_entry', 'investigator']);

interface Props {
  form: FormKey;
  itemCode: string;
  itemLabel: string;
  onClose(): void;
  onSessionLost?: (() => void) | undefined;
}

export function QueryThreadDialog({ form, itemCode, itemLabel, onClose, onSessionLost }: Props) {
  const { t } = useTranslation();
  const queries = useFormQueries(form).filter((q) => q.itemCode === itemCode);
  // Unresolved first, then newest.
  const ordered = [...queries].sort((a, b) => Number(a.status === 'closed') - Number(b.status === 'closed') || b.id - a.id);
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  const first = ordered[0];
  const visit = visitDef(form.visitCode);
  return (
    <ModalDialog
      id="query"
      testId="query-dialog"
      className="modal-wide query-dialog"
      title={t('queries.threadTitle', { item: itemLabel })}
      onEscape={onClose}
      headAction={
        <button type="button" className="btn" onClick={onClose} ref={closeRef}>
          {t('queries.close')}
        </button>
      }
    >
      {first && (
        <p className="muted small">
          {t('queries.threadIntro', { subject: first.screeningNo, visit: visit ? pick(visit.label) : form.visitCode, form: pick(first.formLabel) })}
        </p>
      )}
      <div className="query-threads">
        {ordered.map((q) => (
          <QueryThread key={q.id} query={q} form={form} onSessionLost={onSessionLost} />
        ))}
      </div>
    </ModalDialog>
  );
}

function QueryThread({ query, form, onSessionLost }: { query: DataQuery; form: FormKey; onSessionLost?: (() => void) | undefined }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const reply = useReasonText();
  const { error, busy, run } = useApiAction(onSessionLost);
  const canAnswer = SITE_STAFF.has(user.role) && query.status === 'open';
  const canClose = user.role === 'monitor' && query.status !== 'closed';
  const canReopen = user.role === 'monitor' && query.status !== 'open';
  const step = async (name: 'queries.answer' | 'queries.close' | 'queries.reopen') => {
    // Closing may go without a note; answering and re-opening need the text.
    const text = name === 'queries.close' ? reply.text.trim() : reply.take();
    if (text === null) return;
    const reloadOnConflict = async (e: unknown) => {
      if (e instanceof ApiCallError && e.error.code === 'CONFLICT') await reloadFormQueries(form);
    };
    await run(async () => {
      if (name === 'queries.close') await call(name, { queryId: query.id, ...(text ? { text } : {}) });
      else await call(name, { queryId: query.id, text });
      reply.clear();
      await reloadFormQueries(form);
    }, reloadOnConflict);
  };
  const label = canAnswer
    ? t('queries.answerLabel')
    : canClose && canReopen
      ? t('queries.monitorNoteLabel')
      : canReopen
        ? t('queries.reopenLabel')
        : t('queries.closeLabel');
  return (
    <article className={`query-thread query-thread-${query.status}`} data-testid={`query-${query.id}`} data-status={query.status}>
      <header className="query-thread-head">
        <QueryStatusBadge status={query.status} />
        <span className="mono muted">#{query.id}</span>
        <span className="muted small">{t('queries.raisedBy', { origin: t(`queries.origin.${query.origin}`) })}</span>
      </header>
      <p className="query-question">{pick(query.text)}</p>
      <ol className="query-messages">
        {query.messages.map((m, i) => (
          <li key={i} className={`query-msg query-msg-${m.kind}`}>
            <span className="query-msg-meta">
              <strong>{t(`queries.kind.${m.kind}`)}</strong> · {m.username ?? t('queries.system')} · {wardDateTime(m.atUtc)}
            </span>
            {m.kind === 'auto_close' ? (
              <span className="query-msg-text">{t('queries.autoClosed')}</span>
            ) : (
              m.text && !(m.kind === 'raise' && i === 0) && <span className="query-msg-text">{m.text}</span>
            )}
          </li>
        ))}
      </ol>
      {(canAnswer || canClose || canReopen) && (
        <div className="query-actions">
          <ReasonField
            id={`query-text-${query.id}`}
            testId="query-text"
            label={label}
            rows={2}
            maxLength={1000}
            placeholder={canAnswer ? t('queries.answerPlaceholder') : ''}
            requiredMessage={t('queries.textRequired')}
            {...reply}
          />
          <ErrorBanner error={error} />
          <div className="actions">
            {canAnswer && (
              <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void step('queries.answer')} data-testid="query-answer">
                {busy ? t('queries.working') : t('queries.answerSubmit')}
              </button>
            )}
            {canReopen && (
              <button type="button" className="btn" disabled={busy} onClick={() => void step('queries.reopen')} data-testid="query-reopen">
                {t('queries.reopenSubmit')}
              </button>
            )}
            {canClose && (
              <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void step('queries.close')} data-testid="query-close">
                {t('queries.closeSubmit')}
              </button>
            )}
          </div>
          {canAnswer && <p className="muted small">{t('queries.fixHint')}</p>}
        </div>
      )}
    </article>
  );
}
