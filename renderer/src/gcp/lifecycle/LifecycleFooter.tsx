// The bar under every saved form (FORM_FOOTERS): status chip, SDV progress, signatures and lock; the monitor verifies
// (whole form or item by item), the investigator signs, the admin locks or unlocks. Each rule is said on screen.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormLifecycle } from '../../../../shared/api/calls/lifecycle';
import { FORMS } from '../../../../shared/protocol/study';
import type { VisitCode } from '../../../../shared/protocol/types';
import { visitDef } from '../../../../shared/protocol/visits';
import { call } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { VisitStatusChip } from '../../entry/VisitStatusChip';
import type { FormPanelProps } from '../../entry/formExtensions';
import { pick } from '../../i18n';
import { useSession } from '../../session';
import { wardDateTime } from '../../../../shared/rules/wardClock';
import { ReasonActionDialog } from './ReasonActionDialog';
import { SignDialog } from './SignDialog';
import { setFlash, takeFlash, type Flash } from './lifecycleFlash';

export function LifecycleFooter(props: FormPanelProps) {
  const { t } = useTranslation();
  const { user } = useSession();
  const key = { subjectId: props.subjectId, visitCode: props.visitCode, formCode: props.formCode, repeatKey: props.repeatKey };
  const [state, setState] = useState<FormLifecycle | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<Flash | null>(() => takeFlash(props, props.version));
  const [showItems, setShowItems] = useState(false);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [dialog, setDialog] = useState<'sign' | 'signVisit' | 'lock' | 'unlock' | null>(null);
  const [withdraw, setWithdraw] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { subjectId, visitCode, formCode, repeatKey, version } = props;

  const load = useCallback(() => {
    // A lost session shows as a message here; the form screen's own calls take the user back to login.
    call('lifecycle.forForm', { subjectId, visitCode, formCode, repeatKey }).then(setState, setError);
  }, [subjectId, visitCode, formCode, repeatKey]);
  useEffect(load, [load, version]);

  if (!state) return <ErrorBanner error={error} />;
  if (!state.exists || !state.status) return null;
  const status = state.status;
  const verified = new Map(state.verifiedItems.map((v) => [v.itemCode, v]));
  const total = state.itemsWithValue.length;
  const done = state.itemsWithValue.filter((c) => verified.has(c)).length;
  const isMonitor = user.role === 'monitor';
  const canVerifyItems = isMonitor && (status === 'complete' || status === 'verified' || status === 'signed');
  const verifyAllBlock =
    status !== 'complete' ? t('lifecycle.sdvBlockedStatus') : state.unresolvedQueries > 0 ? t('lifecycle.sdvBlockedQueries', { count: state.unresolvedQueries }) : null;
  const visitName = (code: VisitCode) => pick(visitDef(code)?.label ?? { zh: code, en: code });
  const formName = `${visitName(props.visitCode)} ${pick(FORMS[props.formCode].label)}`;

  /** After an action: tell the form screen (it reloads the form and this bar). */
  const changed = (message: { key: string; count?: number }) => {
    setNotice({ kind: 'ok', ...message });
    setFlash(key, version, { kind: 'ok', ...message });
    setDialog(null);
    setSelected(new Set());
    load();
    props.onSaved();
  };
  const run = async (action: () => Promise<unknown>, message: { key: string; count?: number }) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      changed(message);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="lifecycle-bar" data-testid="lifecycle-bar" aria-label={t('lifecycle.title')}>
      <div className="lifecycle-row">
        <h2>{t('lifecycle.title')}</h2>
        <span className="muted">{t('lifecycle.status')}</span>
        <VisitStatusChip status={status} label={t(`entry.formStatus.${status}`)} />
        <span className="lifecycle-progress" data-testid="sdv-progress">
          {total === 0 ? t('lifecycle.sdvNone') : t('lifecycle.sdvProgress', { done, total })}
        </span>
        <span className="lifecycle-actions">
          {isMonitor && (
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy || verifyAllBlock !== null}
              title={verifyAllBlock ?? undefined}
              onClick={() => void run(() => call('lifecycle.verifyForm', { formKey: key }), total > done ? { key: 'lifecycle.itemsDone', count: total - done } : { key: 'lifecycle.formVerified' })}
              data-testid="sdv-all"
            >
              {t('lifecycle.verifyAll')}
            </button>
          )}
          {canVerifyItems && total > 0 && (
            <button type="button" className="btn" onClick={() => setShowItems((s) => !s)} data-testid="sdv-items-toggle">
              {showItems ? t('lifecycle.hideItems') : t('lifecycle.showItems')}
            </button>
          )}
          {user.role === 'investigator' && (status === 'complete' || status === 'verified') && (
            <button type="button" className="btn btn-primary" onClick={() => setDialog('sign')} data-testid="sign-open">
              ✍ {t('lifecycle.sign')}
            </button>
          )}
          {user.role === 'investigator' && props.visitCode !== 'LOG' && (
            <button type="button" className="btn" title={t('lifecycle.signVisitHelp')} onClick={() => setDialog('signVisit')} data-testid="sign-visit-open">
              ✍ {t('lifecycle.signVisit')}
            </button>
          )}
          {user.role === 'admin' && (
            <button type="button" className="btn" onClick={() => setDialog(status === 'locked' ? 'unlock' : 'lock')} data-testid="lock-open">
              {status === 'locked' ? t('lifecycle.unlock') : `■ ${t('lifecycle.lock')}`}
            </button>
          )}
        </span>
      </div>
      {isMonitor && <p className="muted small">{verifyAllBlock ? `⚠ ${verifyAllBlock} ${t('lifecycle.sdvRule')}` : t('lifecycle.sdvRule')}</p>}
      {notice?.kind === 'ok' && (
        <div className="banner banner-ok" role="status" data-testid="lifecycle-notice">
          {t(notice.key, { count: notice.count })}
        </div>
      )}
      {notice?.kind === 'reset' && (
        <div className="banner banner-warn" role="status" data-testid="status-reset">
          ⚠ {t(`lifecycle.statusReset_${notice.from}`)}
        </div>
      )}
      <ErrorBanner error={error} />
      {showItems && canVerifyItems && (
        <div className="sdv-items" data-testid="sdv-items">
          <ul>
            {state.itemsWithValue.map((code) => {
              const v = verified.get(code);
              const queried = !v && state.queriedItems.includes(code);
              return (
                <li key={code}>
                  <label className={v ? 'sdv-done' : undefined}>
                    <input
                      type="checkbox"
                      checked={Boolean(v) || selected.has(code)}
                      disabled={Boolean(v) || queried}
                      onChange={(e) => {
                        const next = new Set(selected);
                        if (e.target.checked) next.add(code);
                        else next.delete(code);
                        setSelected(next);
                      }}
                      data-testid={`sdv-item-${code}`}
                    />{' '}
                    {pick(state.itemLabels[code] ?? { zh: code, en: code })}
                    {queried && <span className="warn-text small"> · {t('lifecycle.itemQueried')}</span>}
                    {v && <span className="muted small"> · ✓ {t('lifecycle.verifiedBy', { user: v.username, at: wardDateTime(v.verifiedAt) })}</span>}
                  </label>
                  {v && (
                    <button type="button" className="link-button small" onClick={() => setWithdraw(code)} data-testid={`sdv-withdraw-${code}`}>
                      {t('lifecycle.withdraw')}
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
          <button
            type="button"
            className="btn btn-primary"
            disabled={busy || selected.size === 0}
            onClick={() =>
              void run(() => call('lifecycle.verifyItems', { formKey: key, itemCodes: [...selected] }), { key: 'lifecycle.itemsDone', count: selected.size })
            }
            data-testid="sdv-selected"
          >
            {t('lifecycle.verifySelected')}
          </button>
        </div>
      )}
      {state.lock && (
        <p className="lifecycle-lock" data-testid="lock-info">
          ■ {t('lifecycle.lockedBy', { user: state.lock.username ?? '—', at: wardDateTime(state.lock.atUtc), reason: state.lock.reason ?? '—' })}
        </p>
      )}
      <div className="lifecycle-signatures" data-testid="signatures">
        <span className="muted">{t('lifecycle.signatures')}</span>
        {state.signatures.length === 0 ? (
          <span className="muted">{t('lifecycle.noSignatures')}</span>
        ) : (
          <ul>
            {state.signatures.map((s, i) => (
              <li key={i} className={s.current ? undefined : 'signature-old'}>
                ✍ {t('lifecycle.signatureLine', { name: s.displayName, username: s.username, at: s.signedAtLocal.replace(/:\d\d \+08:00$/, ''), version: s.formVersion ?? '—' })}
                {' · '}
                <q>{pick(s.meaning)}</q>
                {!s.current && <span className="warn-text"> {t('lifecycle.signatureOld')}</span>}
              </li>
            ))}
          </ul>
        )}
      </div>
      {dialog === 'sign' && (
        <SignDialog
          target={{ scope: 'form', formKey: key }}
          name={formName}
          onDone={(count) => changed({ key: 'lifecycle.signedOk', count })}
          onCancel={() => setDialog(null)}
        />
      )}
      {dialog === 'signVisit' && (
        <SignDialog
          target={{ scope: 'visit', subjectId, visitCode }}
          name={visitName(visitCode)}
          onDone={(count) => changed({ key: 'lifecycle.signedOk', count })}
          onCancel={() => setDialog(null)}
        />
      )}
      {(dialog === 'lock' || dialog === 'unlock') && (
        <ReasonActionDialog
          title={dialog === 'lock' ? t('lifecycle.lockTitle') : t('lifecycle.unlockTitle')}
          intro={dialog === 'lock' ? t('lifecycle.lockIntro') : t('lifecycle.unlockIntro')}
          run={async (reason) => {
            await call(dialog === 'lock' ? 'lifecycle.lock' : 'lifecycle.unlock', { scope: 'form', formKey: key, reason });
            changed({ key: dialog === 'lock' ? 'lifecycle.lockedOk' : 'lifecycle.unlockedOk' });
          }}
          onCancel={() => setDialog(null)}
        />
      )}
      {withdraw && (
        <ReasonActionDialog
          title={t('lifecycle.withdrawTitle', { item: pick(state.itemLabels[withdraw] ?? { zh: withdraw, en: withdraw }) })}
          intro={t('lifecycle.withdrawIntro')}
          run={async (reason) => {
            await call('lifecycle.unverifyItems', { formKey: key, itemCodes: [withdraw], reason });
            setWithdraw(null);
            changed({ key: 'lifecycle.withdrawnOk' });
          }}
          onCancel={() => setWithdraw(null)}
        />
      )}
    </section>
  );
}
