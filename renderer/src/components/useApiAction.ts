// Runs a button's back-end action: busy while it runs (to disable the button), the error kept for the banner, a lost session handed to the app.
import { useCallback, useRef, useState } from 'react';
import { isSessionEnd } from '../api/client';

export interface ApiAction {
  busy: boolean;
  error: unknown;
  /** Runs `action`; answers true when it finished without an error (`onError` sees a failure first, e.g. to reload). */
  run(action: () => Promise<unknown>, onError?: (e: unknown) => void | Promise<void>): Promise<boolean>;
  /** A failure from outside run (e.g. loading the screen): a lost session goes to the app, anything else to the banner. */
  report(e: unknown): void;
}

/** Without onSessionLost a lost session is shown as the error (a dialog that cannot leave for the login screen). */
export function useApiAction(onSessionLost?: (() => void) | undefined): ApiAction {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const lostRef = useRef(onSessionLost);
  lostRef.current = onSessionLost;
  const report = useCallback((e: unknown) => {
    if (isSessionEnd(e) && lostRef.current) lostRef.current();
    else setError(e);
  }, []);
  const run = useCallback(
    async (action: () => Promise<unknown>, onError?: (e: unknown) => void | Promise<void>) => {
      setBusy(true);
      setError(null);
      try {
        await action();
        return true;
      } catch (e) {
        await onError?.(e);
        report(e);
        return false;
      } finally {
        setBusy(false);
      }
    },
    [report],
  );
  return { busy, error, run, report };
}
