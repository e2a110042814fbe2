// Beside each field of the form screen: the item's query badge (opens the thread), "raise query" for monitors,
// and a link to the item's change history (audit trail).
import { useMemo, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { fieldDef } from '../../../../shared/protocol/study';
import { pick } from '../../i18n';
import { useSession } from '../../session';
import type { FieldAdornmentProps } from '../../entry/formExtensions';
import { AuditTrailDialog } from '../audit/AuditTrailDialog';
import { QueryStatusBadge } from './QueryStatusBadge';
import { QueryThreadDialog } from './QueryThreadDialog';
import { RaiseQueryDialog } from './RaiseQueryDialog';
import { useFormQueries, worstStatus } from './formQueriesStore';

export function QueryAdornment({ subjectId, visitCode, formCode, repeatKey, fieldId }: FieldAdornmentProps) {
  const { t } = useTranslation();
  const { user } = useSession();
  const form = useMemo(() => ({ subjectId, visitCode, formCode, repeatKey }), [subjectId, visitCode, formCode, repeatKey]);
  const mine = useFormQueries(form).filter((q) => q.itemCode === fieldId);
  const worst = worstStatus(mine);
  const [dialog, setDialog] = useState<'thread' | 'raise' | 'history' | null>(null);
  const def = fieldDef(formCode, fieldId);
  const label = def ? pick(def.label) : fieldId;
  const shown = worst ? mine.filter((q) => q.status === worst).length : 0;
  return (
    <span className="query-adornment" data-testid={`adornment-${fieldId}`}>
      {worst && (
        <button
          type="button"
          className="query-badge-button"
          title={t('queries.badgeTitle', { status: t(`queries.status.${worst}`) })}
          onClick={() => setDialog('thread')}
          data-testid={`query-badge-${fieldId}`}
          data-status={worst}
        >
          <QueryStatusBadge status={worst} count={shown} />
        </button>
      )}
      {user.role === 'monitor' && !def?.unblindedOnly && (
        <button type="button" className="adorn-link" title={t('queries.raiseTitleAttr')} onClick={() => setDialog('raise')} data-testid={`raise-query-${fieldId}`}>
          ＋{t('queries.raise')}
        </button>
      )}
      {/* Out of the Tab order: a nurse tabs from field to field; the history opens with the mouse (or from the form's audit trail). */}
      <button
        type="button"
        className="adorn-link adorn-quiet"
        tabIndex={-1}
        title={t('queries.historyTitleAttr')}
        onClick={() => setDialog('history')}
        data-testid={`history-${fieldId}`}
      >
        {t('queries.history')}
      </button>
      {dialog &&
        createPortal(
          // Outside the form element: its keyboard shortcuts (Enter moves on, Ctrl+S saves) must not act on the dialog.
          <div onKeyDown={(e) => e.stopPropagation()} onSubmit={(e) => e.stopPropagation()}>
            {dialog === 'thread' && <QueryThreadDialog form={form} itemCode={fieldId} itemLabel={label} onClose={() => setDialog(null)} />}
            {dialog === 'raise' && (
              <RaiseQueryDialog form={form} itemCode={fieldId} itemLabel={label} onCancel={() => setDialog(null)} onDone={() => setDialog('thread')} />
            )}
            {dialog === 'history' && <AuditTrailDialog form={form} itemCode={fieldId} onClose={() => setDialog(null)} />}
          </div>,
          document.body,
        )}
    </span>
  );
}
