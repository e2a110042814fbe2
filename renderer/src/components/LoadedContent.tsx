// The one "loading… / error banner / content" block of every screen that loads data: a quiet loading line, the error with a retry button, or the content.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorBanner } from './ErrorBanner';

export interface LoadState<T> {
  data: T | null;
  error: unknown;
  reload?(): void;
}

/** Renders `children(data)` once `state.data` is there; before that a loading line; on error the banner (and a retry button when `state.reload` exists). */
export function LoadedContent<T>({ state, children }: { state: LoadState<T>; children(data: T): ReactNode }) {
  const { t } = useTranslation();
  if (state.error) {
    return (
      <div className="load-error">
        <ErrorBanner error={state.error} />
        {state.reload && (
          <button type="button" className="btn btn-small" onClick={state.reload} data-testid="load-retry">
            {t('app.retry')}
          </button>
        )}
      </div>
    );
  }
  if (state.data === null) {
    return (
      <p className="loading" role="status" aria-live="polite">
        {t('app.loading')}
      </p>
    );
  }
  return <>{children(state.data)}</>;
}
