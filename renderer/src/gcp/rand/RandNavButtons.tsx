// The ways into the randomisation screens, above the subject list: administrators get "随机化与备份", the unblinded pharmacist "分组信息".
import { useTranslation } from 'react-i18next';
import { useSession } from '../../session';

export function RandNavButtons({ onAdmin, onAllocations }: { onAdmin(): void; onAllocations(): void }) {
  const { t } = useTranslation();
  const { user } = useSession();
  if (user.role !== 'admin' && user.role !== 'pharmacist') return null;
  return (
    <div className="rand-nav">
      {user.role === 'admin' && (
        <button type="button" className="btn" onClick={onAdmin} data-testid="open-rand-admin">
          {t('rand.navAdmin')}
        </button>
      )}
      {user.role === 'pharmacist' && (
        <button type="button" className="btn" onClick={onAllocations} data-testid="open-allocations">
          {t('rand.navAllocations')}
        </button>
      )}
    </div>
  );
}
