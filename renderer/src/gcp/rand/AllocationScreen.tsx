// The unblinded pharmacist's "分组信息" screen: making the sealed list (generate or import), opening it with the
// pharmacist's password (it is stored encrypted), the list with each number's arm and subject, who holds a key to it,
// and giving another pharmacist or an investigator a key with both present.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AllocationRow, RandomisationStatus } from '../../../../shared/api/calls/randomisation';
import type { CallResult } from '../../../../shared/api/contract';
import { call } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useApiAction } from '../../components/useApiAction';
import { wardDateTime } from '../../../../shared/rules/wardClock';
import { RandListPanel, type Notice } from './RandListPanel';

function Holders({ access }: { access: CallResult<'randomisation.access'> }) {
  const { t } = useTranslation();
  return (
    <div className="rand-holders" data-testid="list-holders">
      <h2>{t('rand.holdersTitle')}</h2>
      <p className="muted">{t('rand.holdersIntro')}</p>
      <ul>
        {access.holders.map((h) => (
          <li key={h.userId}>
            {t('rand.holderLine', { username: h.username, purpose: t(`rand.holderPurpose_${h.purpose}`), by: h.grantedBy, at: wardDateTime(h.grantedAt) })}
          </li>
        ))}
      </ul>
      <p className="muted" data-testid="list-recovery">
        {access.recoveryFingerprint ? t('rand.recoveryYes', { fingerprint: access.recoveryFingerprint }) : t('rand.recoveryNo')}
      </p>
    </div>
  );
}

export function AllocationScreen({ onBack, onSessionLost }: { onBack(): void; onSessionLost(): void }) {
  const { t } = useTranslation();
  const [rows, setRows] = useState<AllocationRow[] | null>(null);
  const [status, setStatus] = useState<RandomisationStatus | null>(null);
  const [access, setAccess] = useState<CallResult<'randomisation.access'> | null>(null);
  const [assignedOnly, setAssignedOnly] = useState(true);
  const [password, setPassword] = useState('');
  const [grant, setGrant] = useState({ username: '', password: '', mine: '' });
  const { error, report, busy, run } = useApiAction(onSessionLost);
  const [notice, setNotice] = useState<Notice | null>(null);

  const load = useCallback(async () => {
    try {
      const [s, a] = await Promise.all([call('randomisation.status', {}), call('randomisation.access', {})]);
      setStatus(s);
      setAccess(a);
    } catch (e) {
      report(e);
    }
  }, [report]);
  useEffect(() => {
    void load();
  }, [load]);

  const act = (body: () => Promise<Notice>) => {
    setNotice(null);
    return run(async () => {
      setNotice(await body());
      await load();
    });
  };
  const open = () =>
    void run(async () => {
      setRows(await call('randomisation.allocations', { password }));
      setPassword('');
      await load();
    });
  const grantAccess = () =>
    void act(async () => {
      setAccess(await call('randomisation.grantAccess', { password: grant.mine, granteeUsername: grant.username.trim(), granteePassword: grant.password }));
      const username = grant.username.trim();
      setGrant({ username: '', password: '', mine: '' });
      return { key: 'rand.granted', params: { username } };
    });

  const shown = useMemo(() => (rows ?? []).filter((r) => !assignedOnly || r.subjectId !== null), [rows, assignedOnly]);
  const counts = useMemo(() => {
    const used = (rows ?? []).filter((r) => r.subjectId !== null);
    return { used: used.length, usedMsc: used.filter((r) => r.allocation === 'MSC').length, usedPlacebo: used.filter((r) => r.allocation === 'PLACEBO').length };
  }, [rows]);

  return (
    <section className="card rand-screen">
      <div className="list-header">
        <button type="button" className="btn" onClick={onBack}>
          ← {t('rand.back')}
        </button>
        <h1>{t('rand.allocationsTitle')}</h1>
      </div>
      <div className="banner banner-warn" role="note">
        {t('rand.allocationsWarning')}
      </div>
      <ErrorBanner error={error} />
      {notice && (
        <div className="banner banner-ok" role="status" data-testid="rand-notice">
          {t(notice.key, notice.params)}
        </div>
      )}
      <RandListPanel status={status} busy={busy} act={act} />
      {status?.present && !rows && (
        <div className="rand-open" data-testid="list-open">
          <h2>{t('rand.openTitle')}</h2>
          <p className="muted">{t('rand.openIntro')}</p>
          <div className="inline-fields">
            <label>
              {t('rand.listPassword')}
              <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && password && open()} data-testid="list-open-password" />
            </label>
            <button type="button" className="btn btn-primary" disabled={busy || !password} onClick={open} data-testid="list-open-submit">
              {t('rand.openButton')}
            </button>
          </div>
        </div>
      )}
      {rows && rows.length > 0 && (
        <>
          <p data-testid="allocation-summary">{t('rand.allocationsSummary', { size: rows.length, ...counts })}</p>
          <label className="rand-filter">
            <input type="checkbox" checked={assignedOnly} onChange={(e) => setAssignedOnly(e.target.checked)} /> {t('rand.showAssignedOnly')}
          </label>
          <div className="rand-table-wrap">
            <table className="clin-table rand-table" data-testid="allocation-table">
              <thead>
                <tr>
                  <th>{t('rand.colRandNo')}</th>
                  <th>{t('rand.colKitNo')}</th>
                  <th>{t('rand.colSubject')}</th>
                  <th>{t('rand.colAllocation')}</th>
                  <th>{t('rand.colBlock')}</th>
                  <th>{t('rand.colAssigned')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((r) => (
                  <tr key={r.randNo} className={`arm-${r.allocation}`}>
                    <td className="mono">{r.randNo}</td>
                    <td className="mono">{r.kitNo}</td>
                    <td className="mono">{r.screeningNo ?? <span className="muted">{t('rand.notAssigned')}</span>}</td>
                    <td>
                      <span className={`arm-tag arm-tag-${r.allocation}`}>{t(`rand.arm_${r.allocation}`)}</span>
                    </td>
                    <td className="num">{r.blockNo}</td>
                    <td>{r.assignedAt ? wardDateTime(r.assignedAt) : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {access && status?.present && <Holders access={access} />}
      {status?.present && (
        <div className="rand-grant" data-testid="list-grant">
          <h2>{t('rand.grantTitle')}</h2>
          <p className="muted">{t('rand.grantIntro')}</p>
          <div className="inline-fields">
            <label>
              {t('rand.grantUsername')}
              <input value={grant.username} autoComplete="off" onChange={(e) => setGrant({ ...grant, username: e.target.value })} data-testid="grant-username" />
            </label>
            <label>
              {t('rand.grantPassword')}
              <input type="password" autoComplete="off" value={grant.password} onChange={(e) => setGrant({ ...grant, password: e.target.value })} data-testid="grant-password" />
            </label>
            <label>
              {t('rand.grantMine')}
              <input type="password" autoComplete="current-password" value={grant.mine} onChange={(e) => setGrant({ ...grant, mine: e.target.value })} data-testid="grant-mine" />
            </label>
            <button type="button" className="btn" disabled={busy || !grant.username.trim() || !grant.password || !grant.mine} onClick={grantAccess} data-testid="grant-submit">
              {t('rand.grantButton')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
