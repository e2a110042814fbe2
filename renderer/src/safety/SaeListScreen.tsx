// The SAE list for the investigator (amendment 1, rule 6): every serious adverse event with its awareness time, its
// 24-hour deadline and where each report stands (overdue first); a row opens the AE form.
import { useTranslation } from 'react-i18next';
import type { SaeRow } from '../../../shared/api/calls/safety';
import { call } from '../api/client';
import { LoadedContent } from '../components/LoadedContent';
import { useApiLoad } from '../components/useApiLoad';
import type { FormRoute } from '../entry/FormScreen';
import { HelpButton } from '../help/HelpButton';

const TONE: Record<SaeRow['sponsor'], string> = { reported: 'ok', reported_late: 'warn', due: 'warn', overdue: 'bad', unknown: 'missing' };

function ReportCell({ state, date }: { state: SaeRow['sponsor']; date: string | null }) {
  const { t } = useTranslation();
  return (
    <td>
      <span className={`status-badge status-${TONE[state]}`} data-state={state}>
        {t(`safety.state.${state}`)}
      </span>
      {date && <span className="muted small nowrap"> {date}</span>}
    </td>
  );
}

export function SaeListScreen({ onBack, onOpenForm, onSessionLost }: { onBack(): void; onOpenForm(route: FormRoute): void; onSessionLost(): void }) {
  const { t } = useTranslation();
  const load = useApiLoad(() => call('safety.saes', {}), [], onSessionLost);
  return (
    <section className="card sae-list">
      <div className="form-head">
        <button type="button" className="link-button" onClick={onBack}>
          {t('entry.casebook.back')}
        </button>
        <h1>
          {t('safety.title')} <HelpButton topic="saes" />
        </h1>
        <p className="muted small">{t('safety.intro')}</p>
      </div>
      <LoadedContent state={load}>
        {(data) => (
          <>
            <p className="muted small" data-testid="sae-now">
              {t('safety.now', { now: data.now })}
            </p>
            {data.rows.length === 0 ? (
              <p className="muted">{t('safety.empty')}</p>
            ) : (
              <table className="clin-table" data-testid="sae-table">
                <thead>
                  <tr>
                    <th>{t('safety.subject')}</th>
                    <th>{t('safety.term')}</th>
                    <th>{t('safety.grade')}</th>
                    <th>{t('safety.aware')}</th>
                    <th>{t('safety.due')}</th>
                    <th>{t('safety.sponsor')}</th>
                    <th>{t('safety.ethics')}</th>
                    <th>{t('safety.susar')}</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {data.rows.map((r) => (
                    <tr key={`${r.subjectId}-${r.repeatKey}`} data-testid={`sae-${r.screeningNo}-${r.repeatKey}`} className={r.sponsor === 'overdue' || r.ethics === 'overdue' ? 'row-overdue' : ''}>
                      <td className="nowrap">{r.screeningNo}</td>
                      <td>{r.term ?? '—'}</td>
                      <td className="nowrap">{r.grade ?? '—'}</td>
                      <td className="nowrap">{r.awareAt ?? '—'}</td>
                      <td className="nowrap">{r.dueAt ?? '—'}</td>
                      <ReportCell state={r.sponsor} date={r.reportedSponsorDate} />
                      <ReportCell state={r.ethics} date={r.reportedEcDate} />
                      <td>{r.susar === null ? '—' : r.susar === 1 ? <strong>{t('safety.yes')}</strong> : t('safety.no')}</td>
                      <td>
                        <button type="button" className="btn btn-small nowrap" onClick={() => onOpenForm({ subjectId: r.subjectId, visitCode: 'LOG', formCode: 'AE', repeatKey: r.repeatKey })}>
                          {t('safety.open')}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </LoadedContent>
    </section>
  );
}

/** The way into the SAE list, above the subject list: for the roles that work with AEs, with the overdue count. */
export function SaeNavButton({ onOpen, role, onSessionLost }: { onOpen(): void; role: string; onSessionLost(): void }) {
  const { t } = useTranslation();
  const allowed = role === 'investigator' || role === 'data_entry' || role === 'monitor' || role === 'admin';
  const load = useApiLoad(() => (allowed ? call('safety.saes', {}) : Promise.resolve(null)), [allowed], onSessionLost);
  if (!allowed) return null;
  const overdue = load.data?.rows.filter((r) => r.sponsor === 'overdue' || r.ethics === 'overdue').length ?? 0;
  return (
    <button type="button" className={`btn${overdue ? ' btn-alert' : ''}`} onClick={onOpen} data-testid="open-saes">
      {overdue ? t('safety.navOverdue', { count: overdue }) : t('safety.nav')}
    </button>
  );
}
