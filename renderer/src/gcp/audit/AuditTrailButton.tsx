// The form screen's "Audit trail" button: opens the whole form's audit trail in a dialog.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormKey } from '../queries/formQueriesStore';
import { AuditTrailDialog } from './AuditTrailDialog';

export function AuditTrailButton({ subjectId, visitCode, formCode, repeatKey, onSessionLost }: FormKey & { onSessionLost?: () => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const form = useMemo(() => ({ subjectId, visitCode, formCode, repeatKey }), [subjectId, visitCode, formCode, repeatKey]);
  return (
    <>
      <button type="button" className="btn btn-small" onClick={() => setOpen(true)} data-testid="open-audit">
        {t('queries.audit.button')}
      </button>
      {open && <AuditTrailDialog form={form} onClose={() => setOpen(false)} onSessionLost={onSessionLost} />}
    </>
  );
}
