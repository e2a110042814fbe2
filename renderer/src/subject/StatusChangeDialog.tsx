// Recording a subject's study status (screen failure, withdrawal, completion, created in error): the changes this role
// may record from the current status, with date, reason and note; the back end checks the same rules again.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SubjectSummary } from '../../../shared/api/calls/subjects';
import { normaliseDateText } from '../../../shared/protocol/entryNormalise';
import { STATUS_REASONS, TRANSITIONS, allowedChanges, noteRequired, type StatusChange } from '../../../shared/protocol/subjectStatus';
import { wardToday } from '../../../shared/rules/wardClock';
import { call } from '../api/client';
import { DatePickerButton } from '../components/DatePicker';
import { DialogActions } from '../components/DialogActions';
import { ErrorBanner } from '../components/ErrorBanner';
import { ModalDialog } from '../components/ModalDialog';
import { useApiAction } from '../components/useApiAction';
import { pick } from '../i18n';
import { useSession } from '../session';

export function StatusChangeButton({ subject, onChanged, onSessionLost }: { subject: SubjectSummary; onChanged(): void; onSessionLost(): void }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const [open, setOpen] = useState(false);
  if (allowedChanges(subject.status, user.role).length === 0) return null;
  return (
    <>
      <button type="button" className="btn btn-small" onClick={() => setOpen(true)} data-testid="change-status">
        {t('ward.status.change')}
      </button>
      {open && (
        <StatusChangeDialog
          subject={subject}
          onClose={() => setOpen(false)}
          onDone={() => {
            setOpen(false);
            onChanged();
          }}
          onSessionLost={onSessionLost}
        />
      )}
    </>
  );
}

function StatusChangeDialog({ subject, onClose, onDone, onSessionLost }: { subject: SubjectSummary; onClose(): void; onDone(): void; onSessionLost(): void }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const changes = allowedChanges(subject.status, user.role);
  const today = wardToday();
  const [to, setTo] = useState<StatusChange>(changes[0]!);
  const reasons = Object.entries(STATUS_REASONS[to]) as [string, { zh: string; en: string }][];
  const [reason, setReason] = useState(reasons[0]![0]);
  const [date, setDate] = useState(today);
  const [note, setNote] = useState('');
  const action = useApiAction(onSessionLost);
  const needsNote = noteRequired(to, reason);
  const choose = (next: StatusChange) => {
    setTo(next);
    setReason(Object.keys(STATUS_REASONS[next])[0]!);
  };
  const submit = () =>
    void action
      .run(() => call('subjects.changeStatus', { subjectId: subject.id, to, date: normaliseDateText(date), reason: reason as never, ...(note.trim() ? { note: note.trim() } : {}) }))
      .then((ok) => ok && onDone());
  return (
    <ModalDialog id="status-dialog" title={t('ward.status.title', { no: subject.screeningNo })} onEscape={onClose}>
      <p className="muted small">{t('ward.status.intro')}</p>
      <fieldset className="form-section">
        <legend>{t('ward.status.what')}</legend>
        <span className="radio-group" role="radiogroup">
          {changes.map((c) => (
            <label key={c}>
              <input type="radio" name="status-to" value={c} checked={to === c} onChange={() => choose(c)} /> {pick(TRANSITIONS[c].label)}
            </label>
          ))}
        </span>
        {to === 'completed' && <p className="field-help">{t('ward.status.completionNeedsEos')}</p>}
        {to === 'created_in_error' && <p className="field-help">{t('ward.status.voidOnlyEmpty')}</p>}
      </fieldset>
      <div className="field">
        <label htmlFor="status-date">{t('ward.status.date')}</label>
        <div className="field-control">
          <input id="status-date" className="input-date" value={date} maxLength={12} onChange={(e) => setDate(e.target.value)} onBlur={(e) => setDate(normaliseDateText(e.target.value))} />
          <DatePickerButton value={date} max={today} onPick={setDate} label={t('ward.status.date')} />
        </div>
      </div>
      <div className="field">
        <label htmlFor="status-reason">{t('ward.status.reason')}</label>
        <div className="field-control">
          <select id="status-reason" value={reason} onChange={(e) => setReason(e.target.value)}>
            {reasons.map(([code, label]) => (
              <option key={code} value={code}>
                {pick(label)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor="status-note">{needsNote ? t('ward.status.noteRequired') : t('ward.status.note')}</label>
        <div className="field-control">
          <textarea id="status-note" rows={2} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
        </div>
      </div>
      <ErrorBanner error={action.error} />
      <DialogActions onCancel={onClose} onConfirm={submit} label={t('ward.status.confirm')} busy={action.busy} disabled={needsNote && !note.trim()} danger={to === 'created_in_error'} testId="status-confirm" />
    </ModalDialog>
  );
}
