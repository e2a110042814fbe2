// The unblinded pharmacist's "分组信息" screen: making the sealed list (generate or import), then the list with each
// number's allocation and the subject it went to.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AllocationRow, RandomisationStatus } from '../../../../shared/api/calls/randomisation';
import { call } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useApiAction } from '../../components/useApiAction';
import { wardDateTime } from '../../../../shared/rules/wardClock';
import { RandListPanel, type Notice } from './RandListPanel';

export function AllocationScreen({ onBack, onSessionLost }: { onBack(): void; onSessionLost(): void }) {
  const { t } = useTranslation();
  const [rows, setRows] = useState<AllocationRow[] | null>(null);
  const [status, setStatus] = useState<RandomisationStatus | null>(null);
  const [assignedOnly, setAssignedOnly] = useState(true);
  const { error, report, busy, run } = useApiAction(onSessionLost);
  const [notice, setNotice] = useState<Notice | null>(null);

  const load = useCallback(async () => {
    try {
      const [r, s] = await Promise.all([call('randomisation.allocations', {}), call('randomisation.status', {})]);
      setRows(r);
      setStatus(s);
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

  const shown = useMemo(() => (rows ?? []).filter((r) => !assignedOnly || r.subjectId !== null), [rows, assignedOnly]);

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
      {status?.byArm && (
        <p data-testid="allocation-summary">
          {t('rand.allocationsSummary', { size: status.size, used: status.used, usedMsc: status.byArm.usedMsc, usedPlacebo: status.byArm.usedPlacebo })}
        </p>
      )}
      {rows && rows.length > 0 && (
        <>
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
    </section>
  );
}
