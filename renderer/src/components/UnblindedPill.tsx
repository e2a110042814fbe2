// The mark of an emergency-unblinded subject in the subject list and the casebook header: that it happened, never the arm.
import { useTranslation } from 'react-i18next';

export function UnblindedPill() {
  const { t } = useTranslation();
  return (
    <span className="pill pill-unblinded" title={t('subjects.unblindedTitle')} data-testid="unblinded-pill">
      {t('subjects.unblinded')}
    </span>
  );
}
