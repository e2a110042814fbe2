// Asks for the reason of a lifecycle action (lock, unlock, withdrawn SDV) and runs it; the reason goes into the audit trail.
import { useTranslation } from 'react-i18next';
import { useApiAction } from '../../components/useApiAction';
import { DialogActions } from '../../components/DialogActions';
import { ErrorBanner } from '../../components/ErrorBanner';
import { ModalDialog } from '../../components/ModalDialog';
import { ReasonField, useReasonText } from '../../components/ReasonField';

export function ReasonActionDialog(props: {
  title: string;
  intro: string;
  /** Runs the call with the trimmed reason; a rejection is shown in the dialog. */
  run(reason: string): Promise<void>;
  onCancel(): void;
  /** Without it a lost session shows as an error message in the dialog. */
  onSessionLost?: (() => void) | undefined;
}) {
  const { t } = useTranslation();
  const reason = useReasonText();
  const { error, busy, run } = useApiAction(props.onSessionLost);
  const confirm = async () => {
    const text = reason.take();
    if (text) await run(() => props.run(text));
  };
  return (
    <ModalDialog id="reason-action" testId="reason-action-dialog" title={props.title} onEscape={props.onCancel}>
      <p className="muted">{props.intro}</p>
      <ReasonField
        id="reason-action-input"
        label={t('lifecycle.lockReason')}
        requiredMessage={t('lifecycle.reasonRequired')}
        autoFocus
        onCtrlEnter={() => void confirm()}
        {...reason}
      />
      <ErrorBanner error={error} />
      <DialogActions onCancel={props.onCancel} label={props.title} onConfirm={() => void confirm()} busy={busy} testId="reason-action-confirm" />
    </ModalDialog>
  );
}
