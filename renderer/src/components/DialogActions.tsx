// The button row at the foot of a dialog: cancel on the left of the main action, the main action shows "working" while busy.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function DialogActions(props: {
  onCancel(): void;
  /** The main action's label. */
  label: ReactNode;
  /** Without it the main action submits the surrounding form. */
  onConfirm?: () => void;
  busy?: boolean;
  /** Disabled for another reason than busy (e.g. nothing typed yet). */
  disabled?: boolean;
  danger?: boolean;
  testId?: string;
  cancelLabel?: string;
}) {
  const { t } = useTranslation();
  return (
    <div className="actions">
      <button type="button" className="btn" onClick={props.onCancel}>
        {props.cancelLabel ?? t('dialog.cancel')}
      </button>
      <button
        type={props.onConfirm ? 'button' : 'submit'}
        className={props.danger ? 'btn btn-danger' : 'btn btn-primary'}
        disabled={props.busy || props.disabled}
        onClick={props.onConfirm}
        data-testid={props.testId}
      >
        {props.busy ? t('dialog.working') : props.label}
      </button>
    </div>
  );
}
