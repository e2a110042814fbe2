// Shown instead of the login when the start-up checks opened the database read-only: why (damaged, with the quick_check
// finding, or on a read-only medium), the last verified backup and how to restore it; nothing else can be done here.
import { useTranslation } from 'react-i18next';
import type { CallResult } from '../../../shared/api/contract';
import { pick } from '../i18n';

type ReadOnly = NonNullable<CallResult<'app.info'>['readOnly']>;

export function ReadOnlyScreen({ readOnly }: { readOnly: ReadOnly }) {
  const { t } = useTranslation();
  return (
    <section className="card card-narrow read-only-screen" data-testid="read-only">
      <h1>{t(readOnly.kind === 'damaged' ? 'readOnly.title_damaged' : 'readOnly.title_medium')}</h1>
      <div className="banner banner-error" role="alert">
        {pick(readOnly.message)}
      </div>
      {readOnly.kind === 'damaged' && (
        <p>
          <strong>{readOnly.lastGoodBackup ? t('readOnly.lastGoodBackup') : t('readOnly.noBackup')}</strong>
          {readOnly.lastGoodBackup && <code className="path">{readOnly.lastGoodBackup}</code>}
        </p>
      )}
      <p className="muted">{t('readOnly.nothingSaved')}</p>
    </section>
  );
}
