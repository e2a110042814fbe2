// The way into user administration: a button above the subject list, shown to administrators only.
import { useTranslation } from 'react-i18next';
import { useSession } from '../../session';

export function UsersNavButton({ onOpen }: { onOpen(): void }) {
  const { t } = useTranslation();
  const { user } = useSession();
  if (user.role !== 'admin') return null;
  return (
    <button type="button" className="btn" onClick={onOpen} data-testid="open-users">
      {t('users.nav')}
    </button>
  );
}
