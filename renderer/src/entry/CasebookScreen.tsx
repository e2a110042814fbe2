// A subject's casebook: the visit schedule with planned dates, windows, actual dates and each form's
// status (every form opens from here), plus the any-time logs (AE, CONMED, early termination).
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallResult } from '../../../shared/api/contract';
import { subjectFacts } from '../../../shared/protocol/casebook';
import { FORMS } from '../../../shared/protocol/study';
import { SCHEDULE, visitDef } from '../../../shared/protocol/visits';
import { formAt, formDate } from '../../../shared/protocol/crossFormData';
import type { CasebookForm, FormCode, VisitCode } from '../../../shared/protocol/types';
import { visitWindow } from '../../../shared/rules';
import { wardToday } from '../../../shared/rules/wardClock';
import { call } from '../api/client';
import { LoadedContent } from '../components/LoadedContent';
import { useApiLoad } from '../components/useApiLoad';
import { pick } from '../i18n';
import type { FormRoute } from './FormScreen';
import { visitDateFromForms } from './visitDate';
import { formNotApplicable } from '../../../shared/protocol/visitStatus';
import { VisitStatusChip, VisitStatusLegend } from './VisitStatusChip';
import { isOffSchedule } from '../../../shared/protocol/subjectStatus';
import { SubjectBanner } from '../subject/SubjectBanner';
import { StatusChangeButton } from '../subject/StatusChangeDialog';
import { PrintCasebookButton } from '../print/PrintButtons';
import { CasebookLifecycleBar } from '../gcp/lifecycle/CasebookLifecycleBar';
import { HelpButton } from '../help/HelpButton';

type Subject = CallResult<'subjects.get'>;

interface CasebookData {
  subject: Subject;
  casebook: CasebookForm[];
}

interface CasebookProps {
  subjectId: number;
  onBack(): void;
  onOpenForm(route: FormRoute): void;
  onOpenClinical(): void;
  onSessionLost(): void;
}

export function CasebookScreen(props: CasebookProps) {
  const { subjectId, onSessionLost } = props;
  const load = useApiLoad<CasebookData>(
    () => Promise.all([call('subjects.get', { subjectId }), call('clinical.casebook', { subjectId })]).then(([subject, casebook]) => ({ subject, casebook })),
    [subjectId],
    onSessionLost,
  );
  return <LoadedContent state={load}>{(data) => <CasebookView {...props} data={data} onChanged={load.reload} />}</LoadedContent>;
}

function CasebookView(props: CasebookProps & { data: CasebookData; onChanged(): void }) {
  const { subjectId, onBack, onOpenForm, onOpenClinical, onSessionLost, data, onChanged } = props;
  const { t } = useTranslation();
  const facts = useMemo(() => subjectFacts(data.casebook), [data]);
  const today = wardToday();
  const { subject } = data.subject;
  // A subject who left the study (withdrawn, completed, …) has no overdue visits.
  const offSchedule = isOffSchedule(subject.status);
  const formStatus = (visitCode: VisitCode, formCode: FormCode, repeatKey = 0) =>
    data.subject.forms.find((f) => f.visitCode === visitCode && f.formCode === formCode && f.repeatKey === repeatKey)?.status ?? null;
  const logEntries = (formCode: FormCode) =>
    data.subject.forms.filter((f) => f.visitCode === 'LOG' && f.formCode === formCode).sort((a, b) => a.repeatKey - b.repeatKey);
  const nextRepeat = (formCode: FormCode) => Math.max(0, ...logEntries(formCode).map((f) => f.repeatKey)) + 1;
  /** A visit's CYC instances after the first: held pulses given later (amendment 1, rule 3). */
  const laterPulses = (visitCode: VisitCode) => data.subject.forms.filter((f) => f.visitCode === visitCode && f.formCode === 'CYC' && f.repeatKey > 0).map((f) => f.repeatKey);
  const heldAt = (visitCode: VisitCode) => formAt(data.casebook, 'CYC', visitCode, 0)?.data.doseGiven === false;

  return (
    <section className="card casebook">
      <div className="form-head">
        <button type="button" className="link-button" onClick={onBack}>
          {t('entry.casebook.back')}
        </button>
        <h1>
          {t('entry.casebook.title', { no: subject.screeningNo })} <HelpButton topic="casebook" />
        </h1>
        <SubjectBanner subject={subject} casebook={data.casebook} />
        <div className="form-meta muted">
          <StatusChangeButton subject={subject} onChanged={onChanged} onSessionLost={onSessionLost} />
          <PrintCasebookButton subjectId={subjectId} />
          <button type="button" className="btn btn-small" onClick={onOpenClinical} data-testid="open-clinical">
            {t('entry.casebook.clinical')}
          </button>
          <CasebookLifecycleBar
            subjectId={subjectId}
            screeningNo={subject.screeningNo}
            statuses={data.subject.forms.map((f) => f.status)}
            onChanged={onChanged}
            onSessionLost={onSessionLost}
          />
        </div>
      </div>

      <h2>{t('entry.casebook.timeline')}</h2>
      <p className="muted small timeline-note" data-testid="visit-date-note">
        {t('entry.casebook.dateNote')}
      </p>
      <VisitStatusLegend />
      <table className="timeline">
        <thead>
          <tr>
            <th>{t('entry.casebook.visit')}</th>
            <th>{t('entry.casebook.planned')}</th>
            <th>{t('entry.casebook.window')}</th>
            <th>{t('entry.casebook.actual')}</th>
            <th>{t('entry.casebook.forms')}</th>
          </tr>
        </thead>
        <tbody>
          {SCHEDULE.map((visit) => {
            const source = visitDateFromForms(data.casebook, visit.code);
            const actual = source?.date ?? null;
            const status = subject.visits.find((v) => v.visitCode === visit.code)?.status ?? 'not_started';
            const win = facts.day0Date ? visitWindow(visit.code, facts.day0Date, actual ?? today) : null;
            const overdue = !offSchedule && !actual && win?.latestDate != null && today > win.latestDate && status === 'not_started';
            return (
              <tr key={visit.code} data-testid={`visit-${visit.code}`}>
                <th scope="row">
                  <VisitStatusChip status={status} label={visit.code} /> {pick(visit.label)}
                </th>
                <td>{visit.code === 'SCR' ? '—' : (win?.targetDate ?? t('entry.casebook.noDay0'))}</td>
                <td className="muted">
                  {visit.code === 'SCR'
                    ? t('entry.casebook.screeningWindow')
                    : win?.earliestDate && win.latestDate
                      ? win.earliestDate === win.latestDate
                        ? win.earliestDate
                        : `${win.earliestDate} – ${win.latestDate}`
                      : '—'}
                </td>
                <td>
                  {actual ?? '—'}
                  {overdue && <span className="overdue"> {t('entry.casebook.overdue')}</span>}
                  {actual && win && win.inWindow === false && (
                    <span className="overdue" data-testid="out-of-window" title={t('entry.casebook.outOfWindowHint')}>
                      {' '}
                      ⚠{' '}
                      {t(win.daysOff! > 0 ? 'entry.casebook.lateBy' : 'entry.casebook.earlyBy', {
                        days: Math.abs(win.daysOff!) - (visit.windowDays ?? 0),
                      })}
                    </span>
                  )}
                  {source && (
                    <span className="muted date-source">
                      {t('entry.casebook.dateFrom', { form: pick(FORMS[source.formCode].label) })}
                    </span>
                  )}
                </td>
                <td>
                  <div className="form-buttons">
                  {visit.forms.map((code) => {
                    const s = formStatus(visit.code, code);
                    const notNeeded = !s && formNotApplicable(code, facts);
                    return (
                      <button
                        key={code}
                        type="button"
                        className={`form-button form-${notNeeded ? 'na' : (s ?? 'none')}`}
                        title={s ? t(`entry.formStatus.${s}`) : notNeeded ? t('entry.casebook.notApplicableHint') : t('entry.form.notSaved')}
                        onClick={() => onOpenForm({ subjectId, visitCode: visit.code, formCode: code, repeatKey: 0 })}
                        data-testid={`open-${visit.code}-${code}`}
                      >
                        {pick(FORMS[code].label)}
                        {notNeeded && <span className="form-na-note">{t('entry.casebook.notApplicable')}</span>}
                      </button>
                    );
                  })}
                  {laterPulses(visit.code).map((repeatKey) => {
                    const s = formStatus(visit.code, 'CYC', repeatKey);
                    return (
                      <button
                        key={`CYC-${repeatKey}`}
                        type="button"
                        className={`form-button form-${s ?? 'none'}`}
                        title={s ? t(`entry.formStatus.${s}`) : t('entry.form.notSaved')}
                        onClick={() => onOpenForm({ subjectId, visitCode: visit.code, formCode: 'CYC', repeatKey })}
                        data-testid={`open-${visit.code}-CYC-${repeatKey}`}
                      >
                        {pick(FORMS.CYC.label)}
                        {t('entry.casebook.heldPulseGiven')}
                      </button>
                    );
                  })}
                  {heldAt(visit.code) && laterPulses(visit.code).length === 0 && (
                    <button
                      type="button"
                      className="btn btn-small"
                      title={t('entry.casebook.giveHeldPulseHint')}
                      onClick={() => onOpenForm({ subjectId, visitCode: visit.code, formCode: 'CYC', repeatKey: 1 })}
                      data-testid={`give-held-${visit.code}`}
                    >
                      + {t('entry.casebook.giveHeldPulse')}
                    </button>
                  )}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>

      <UnscheduledVisits {...props} data={data} formStatus={formStatus} />

      <h2>{t('entry.casebook.logs')}</h2>
      <div className="logs">
        {(['AE', 'CONMED'] as const).map((code) => (
          <div key={code} className="log-box">
            <div className="log-head">
              <strong>{pick(FORMS[code].label)}</strong>
              <button
                type="button"
                className="btn btn-small"
                onClick={() => onOpenForm({ subjectId, visitCode: 'LOG', formCode: code, repeatKey: nextRepeat(code) })}
                data-testid={`add-${code}`}
              >
                {t(code === 'AE' ? 'entry.casebook.addAe' : 'entry.casebook.addConmed')}
              </button>
            </div>
            {logEntries(code).length === 0 ? (
              <p className="muted small">{t('entry.casebook.noEntries')}</p>
            ) : (
              <ul>
                {logEntries(code).map((f) => {
                  const entry = data.casebook.find((c) => c.visitCode === 'LOG' && c.formCode === code && c.repeatKey === f.repeatKey);
                  const title = String(entry?.data[code === 'AE' ? 'term' : 'drug'] ?? t('entry.casebook.entry', { n: f.repeatKey }));
                  return (
                    <li key={f.repeatKey}>
                      <button type="button" className="link-button" onClick={() => onOpenForm({ subjectId, visitCode: 'LOG', formCode: code, repeatKey: f.repeatKey })}>
                        {title}
                      </button>{' '}
                      <span className="muted small nowrap">{t(`entry.formStatus.${f.status}`)}</span>
                    </li>
                  );
                })}
              </ul>
            )}
          </div>
        ))}
        {(['EOS', 'UNBLIND'] as const).map((code) => {
          const status = formStatus('LOG', code);
          return (
            <div key={code} className="log-box">
              <div className="log-head">
                <strong>{pick(FORMS[code].label)}</strong>
                <button type="button" className="btn btn-small" onClick={() => onOpenForm({ subjectId, visitCode: 'LOG', formCode: code, repeatKey: 0 })} data-testid={`open-LOG-${code}`}>
                  {status ? t(`entry.formStatus.${status}`) : t('entry.casebook.open')}
                </button>
              </div>
            </div>
          );
        })}
      </div>
    </section>
  );
}

/** The unscheduled visits (amendment 1, rule 12): one row per instance (repeat key), its forms, and a new one. */
function UnscheduledVisits({
  subjectId,
  onOpenForm,
  data,
  formStatus,
}: CasebookProps & { data: CasebookData; formStatus(visitCode: VisitCode, formCode: FormCode, repeatKey?: number): string | null }) {
  const { t } = useTranslation();
  const uns = visitDef('UNS')!;
  const saved = [...new Set(data.subject.forms.filter((f) => f.visitCode === 'UNS').map((f) => f.repeatKey))].sort((a, b) => a - b);
  const [added, setAdded] = useState<number | null>(null);
  const rows = added !== null && !saved.includes(added) ? [...saved, added] : saved;
  const dateOf = (repeatKey: number) =>
    uns.forms.map((code) => formAt(data.casebook, code, 'UNS', repeatKey)).map((f) => (f ? formDate(f) : null)).find((d) => d) ?? null;
  return (
    <>
      <h2>{t('entry.casebook.unscheduled')}</h2>
      <p className="muted small">{t('entry.casebook.unscheduledNote')}</p>
      <table className="timeline" data-testid="unscheduled">
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td className="muted small">{t('entry.casebook.noUnscheduled')}</td>
            </tr>
          )}
          {rows.map((repeatKey) => (
            <tr key={repeatKey} data-testid={`uns-${repeatKey}`}>
              <th scope="row">{t('entry.casebook.unscheduledNo', { n: repeatKey })}</th>
              <td>{dateOf(repeatKey) ?? '—'}</td>
              <td>
                <div className="form-buttons">
                  {uns.forms.map((code) => {
                    const s = formStatus('UNS', code, repeatKey);
                    return (
                      <button
                        key={code}
                        type="button"
                        className={`form-button form-${s ?? 'none'}`}
                        title={s ? t(`entry.formStatus.${s}`) : t('entry.form.notSaved')}
                        onClick={() => onOpenForm({ subjectId, visitCode: 'UNS', formCode: code, repeatKey })}
                        data-testid={`open-UNS-${repeatKey}-${code}`}
                      >
                        {pick(FORMS[code].label)}
                      </button>
                    );
                  })}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <button type="button" className="btn btn-small" onClick={() => setAdded(Math.max(0, ...saved) + 1)} data-testid="add-UNS" disabled={added !== null && !saved.includes(added)}>
          + {t('entry.casebook.addUnscheduled')}
        </button>
      </p>
    </>
  );
}
