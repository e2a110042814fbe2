// The audit trail of one form, or one item's change history: a modal table (Beijing time, user, action, item, old → new, reason).
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditViewRow } from '../../../../shared/api/calls/audit';
import type { CallResult } from '../../../../shared/api/contract';
import { FORMS, fieldDef } from '../../../../shared/protocol/study';
import { visitDef } from '../../../../shared/protocol/visits';
import { call, isSessionEnd } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { ModalDialog } from '../../components/ModalDialog';
import { currentLang, pick } from '../../i18n';
import { useSession } from '../../session';
import type { FormKey } from '../queries/formQueriesStore';
import { auditValueText, type ValueWords } from './auditValueText';

interface Props {
  form: FormKey;
  itemCode?: string | undefined;
  onClose(): void;
  onSessionLost?: (() => void) | undefined;
}

export function AuditTrailDialog({ form, itemCode, onClose, onSessionLost }: Props) {
  const { t } = useTranslation();
  const lang = currentLang();
  const { user } = useSession();
  const [view, setView] = useState<CallResult<'audit.forForm'> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    let live = true;
    call('audit.forForm', { ...form, ...(itemCode ? { itemCode } : {}) }).then(
      (v) => live && setView(v),
      (e: unknown) => {
        if (!live) return;
        if (isSessionEnd(e) && onSessionLost) onSessionLost();
        else setError(e);
      },
    );
    return () => {
      live = false;
    };
  }, [form, itemCode, onSessionLost]);
  useEffect(() => closeRef.current?.focus(), []);

  const words: ValueWords = {
    empty: t('queries.audit.empty_value'),
    yes: t('queries.audit.yes'),
    no: t('queries.audit.no'),
    formStatus: t('queries.audit.formStatus', { returnObjects: true }) as Record<string, string>,
    queryStatus: t('queries.status', { returnObjects: true }) as Record<string, string>,
  };
  const actions = t('queries.audit.action', { returnObjects: true }) as Record<string, string>;
  const actionLabel = (r: AuditViewRow) => {
    const label = actions[r.action.replace('.', '_')] ?? r.action;
    if (!r.query) return label;
    const step = r.query.system && r.query.step === 'raise' ? t('queries.audit.autoRaise') : t(`queries.kind.${r.query.step}`);
    return `${label} · ${step}`;
  };
  // System query steps record their text as 'zh / en'; show the reader's language.
  const reasonText = (r: AuditViewRow) => {
    const at = r.reasonBySystem && r.reason ? r.reason.indexOf(' / ') : -1;
    if (at < 0) return r.reason ?? '';
    return lang === 'en' ? r.reason!.slice(at + 3) : r.reason!.slice(0, at);
  };
  const userLabel = (r: AuditViewRow) =>
    r.query?.system ? t('queries.audit.systemOnSave', { user: r.username ?? '' }) : (r.username ?? t('queries.system'));
  const field = itemCode ? fieldDef(form.formCode, itemCode) : undefined;
  const title = itemCode
    ? t('queries.audit.itemTitle', { item: field ? pick(field.label) : itemCode })
    : t('queries.audit.title', { form: pick(FORMS[form.formCode].label) });
  const visit = visitDef(form.visitCode);

  return (
    <ModalDialog
      id="audit"
      testId="audit-dialog"
      className="modal-wide audit-dialog"
      title={title}
      onEscape={onClose}
      headAction={
        <button type="button" className="btn" onClick={onClose} ref={closeRef}>
          {t('queries.audit.close')}
        </button>
      }
    >
      <p className="muted small">{t('queries.audit.intro', { visit: visit ? pick(visit.label) : form.visitCode })}</p>
      <ErrorBanner error={error} />
      {view && view.rows.length === 0 && <p className="empty">{t('queries.audit.empty')}</p>}
      {view && view.rows.length > 0 && (
        <div className="audit-scroll">
          <table className="audit-table">
            <thead>
              <tr>
                <th>{t('queries.audit.colTime')}</th>
                <th>{t('queries.audit.colUser')}</th>
                <th>{t('queries.audit.colAction')}</th>
                {!itemCode && <th>{t('queries.audit.colItem')}</th>}
                <th>{t('queries.audit.colChange')}</th>
                <th>{t('queries.audit.colReason')}</th>
              </tr>
            </thead>
            <tbody>
              {view.rows.map((r) => {
                const hidden = r.action === 'unblinding' && user.role !== 'pharmacist';
                return (
                  <tr key={r.seq} data-testid="audit-row">
                    <td className="nowrap" title={`UTC ${r.atUtc}`}>
                      {r.atLocal.replace(' +08:00', '')}
                    </td>
                    <td className="audit-user">{userLabel(r)}</td>
                    <td className="audit-action">{actionLabel(r)}</td>
                    {!itemCode && <td>{r.itemLabel ? pick(r.itemLabel, lang) : '—'}</td>}
                    <td className="audit-change">
                      {hidden ? (
                        <span className="muted">{t('queries.audit.hidden')}</span>
                      ) : (
                        <>
                          <span className="audit-old">{auditValueText(r, form.formCode, r.oldValue, words, lang)}</span>
                          <span className="audit-arrow"> → </span>
                          <span className="audit-new">{auditValueText(r, form.formCode, r.newValue, words, lang)}</span>
                        </>
                      )}
                    </td>
                    <td className="audit-reason">{reasonText(r)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {view && view.withheld > 0 && <p className="muted small">{t('queries.audit.withheld', { count: view.withheld })}</p>}
    </ModalDialog>
  );
}
