// Asks for the reason for change before saved data is changed (the reason goes into the audit trail).
import { useTranslation } from 'react-i18next';
import { DialogActions } from '../components/DialogActions';
import { ModalDialog } from '../components/ModalDialog';
import { ReasonField, useReasonText } from '../components/ReasonField';

export function ReasonDialog({ onConfirm, onCancel }: { onConfirm(reason: string): void; onCancel(): void }) {
  const { t } = useTranslation();
  const reason = useReasonText();
  const confirm = () => {
    const text = reason.take();
    if (text) onConfirm(text);
  };
  return (
    <ModalDialog id="reason" title={t('entry.form.reasonTitle')} onEscape={onCancel} testId="reason-dialog">
      <p className="muted">{t('entry.form.reasonIntro')}</p>
      <ReasonField
        id="reason-input"
        label={t('entry.form.reasonLabel')}
        placeholder={t('entry.form.reasonPlaceholder')}
        requiredMessage={t('entry.form.reasonRequired')}
        autoFocus
        onCtrlEnter={confirm}
        {...reason}
      />
      <DialogActions onCancel={onCancel} cancelLabel={t('entry.form.cancel')} label={t('entry.form.confirm')} onConfirm={confirm} />
    </ModalDialog>
  );
}
