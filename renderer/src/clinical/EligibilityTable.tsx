// The eligibility criteria as two tables (inclusion, exclusion): label, source value and met / not met / missing, plus the verdict.
import { useTranslation } from 'react-i18next';
import { pick } from '../i18n';
import type { EligibilityView } from './eligibilityRows';
import { StatusBadge } from './StatusBadge';

export function EligibilityVerdict({ view }: { view: EligibilityView }) {
  const { t } = useTranslation();
  const tone = view.eligible === true ? 'ok' : view.eligible === false ? 'error' : 'warn';
  const text = view.eligible === true ? t('clinical.elig.verdictEligible') : view.eligible === false ? t('clinical.elig.verdictIneligible') : t('clinical.elig.verdictMissing');
  return (
    <div className={`banner banner-${tone} verdict`} role="status" data-testid="elig-verdict">
      <strong>{text}</strong>
      <span className="verdict-counts">
        {t('clinical.elig.summary', { met: view.counts.met, notMet: view.counts.not_met, missing: view.counts.missing })}
      </span>
    </div>
  );
}

export function EligibilityTable({ view }: { view: EligibilityView }) {
  const { t } = useTranslation();
  return (
    <div className="elig-tables">
      {(['inclusion', 'exclusion'] as const).map((kind) => (
        <section key={kind}>
          <h2>{t(`clinical.elig.${kind}`)}</h2>
          {kind === 'exclusion' && <p className="muted small">{t('clinical.elig.exclusionHint')}</p>}
          <table className="clin-table">
            <thead>
              <tr>
                <th className="col-no">#</th>
                <th>{t('clinical.elig.criterion')}</th>
                <th>{t('clinical.elig.source')}</th>
                <th className="col-status">{t('clinical.elig.result')}</th>
              </tr>
            </thead>
            <tbody>
              {view.rows
                .filter((r) => r.kind === kind)
                .map((r, i) => (
                  <tr key={r.id} className={`row-${r.status}`} data-criterion={r.id} data-status={r.status}>
                    <td className="col-no">{i + 1}</td>
                    <td>{pick(r.label)}</td>
                    <td className="source">{pick(r.source)}</td>
                    <td className="col-status">
                      <StatusBadge status={r.status} label={kind === 'exclusion' ? t(`clinical.elig.exclusionStatus.${r.status}`) : undefined} />
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}
