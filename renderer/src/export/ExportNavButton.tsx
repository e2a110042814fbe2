// The way into the export screen: a button above the subject list, shown to monitors and administrators only.
import { useTranslation } from 'react-i18next';
import { useSession } from '../session';

export function ExportNavButton({ onOpen }: { onOpen(): void }) {
  const { t } = useTranslation();
  const { user } = useSession();
  if (user.role !== 'admin' && user.role !== 'monitor') return null;
  return (
    <div className="export-nav">
      <button type="button" className="btn" onClick={onOpen} data-testid="open-export">
        {t('exportUi.nav')}
      </button>
    </div>
  );
}
