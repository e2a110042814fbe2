// Shows an API error in the chosen language, with the field-level issues it carries.
import { useTranslation } from 'react-i18next';
import { ApiCallError } from '../api/client';
import { pick } from '../i18n';

export function ErrorBanner({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const apiError = error instanceof ApiCallError ? error.error : null;
  const message = apiError ? pick(apiError.message) : error instanceof Error ? error.message : String(error);
  return (
    <div className="banner banner-error" role="alert">
      <strong>{t('errors.title')}：</strong>
      {message}
      {apiError?.issues && apiError.issues.length > 1 && (
        <ul>
          {apiError.issues.map((issue, i) => (
            <li key={`${issue.checkId}-${i}`}>{pick(issue.message)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
