// The monitor's dialog to raise a query on one item: a required text, sent with queries.raise.
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { useApiAction } from '../../components/useApiAction';
import { DialogActions } from '../../components/DialogActions';
import { ErrorBanner } from '../../components/ErrorBanner';
import { ModalDialog } from '../../components/ModalDialog';
import { ReasonField, useReasonText } from '../../components/ReasonField';
import { reloadFormQueries, type FormKey } from './formQueriesStore';

interface Props {
  form: FormKey;
  itemCode: string;
  itemLabel: string;
  onDone(): void;
  onCancel(): void;
  onSessionLost?: (() => void) | undefined;
}

export function RaiseQueryDialog({ form, itemCode, itemLabel, onDone, onCancel, onSessionLost }: Props) {
  const { t } = useTranslation();
  const query = useReasonText();
  const { error, busy, run } = useApiAction(onSessionLost);
  const submit = async () => {
    const text = query.take();
    if (!text) return;
    const raised = await run(async () => {
      await call('queries.raise', { ...form, itemCode, text });
      await reloadFormQueries(form);
      return true;
    });
    if (raised) onDone();
  };
  return (
    <ModalDialog id="raise" testId="raise-dialog" title={t('queries.raiseDialogTitle', { item: itemLabel })} onEscape={onCancel}>
      <p className="muted">{t('queries.raiseIntro')}</p>
      <ReasonField
        id="raise-text"
        testId="raise-text"
        label={t('queries.raiseLabel')}
        placeholder={t('queries.raisePlaceholder')}
        requiredMessage={t('queries.textRequired')}
        maxLength={1000}
        autoFocus
        onCtrlEnter={() => void submit()}
        {...query}
      />
      <ErrorBanner error={error} />
      <DialogActions onCancel={onCancel} label={t('queries.raiseSubmit')} onConfirm={() => void submit()} busy={busy} testId="raise-submit" />
    </ModalDialog>
  );
}
