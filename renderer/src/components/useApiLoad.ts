// Loads a screen's data from the back end: drops answers that arrive after the screen moved on, hands a lost session to the app, keeps the error, reloads on demand.
import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import { isSessionEnd } from '../api/client';

export interface ApiLoad<T> {
  /** The last loaded value (kept while a reload runs), or null before the first answer. */
  data: T | null;
  /** The error of the last load (cleared by the next successful one). */
  error: unknown;
  /** Runs the load again (e.g. after a save). */
  reload(): void;
}

/**
 * `load` runs on mount, whenever `deps` change and on reload(). A session that ended (locked, expired) goes to
 * `onSessionLost` instead of the error, so the app can show the login screen.
 */
export function useApiLoad<T>(load: () => Promise<T>, deps: DependencyList, onSessionLost: () => void): ApiLoad<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  // The latest callbacks, so a caller passing fresh closures each render does not reload in a loop.
  const loadRef = useRef(load);
  const lostRef = useRef(onSessionLost);
  loadRef.current = load;
  lostRef.current = onSessionLost;
  useEffect(() => {
    let live = true;
    loadRef.current().then(
      (value) => {
        if (!live) return;
        setData(value);
        setError(null);
      },
      (e: unknown) => {
        if (!live) return;
        if (isSessionEnd(e)) lostRef.current();
        else setError(e);
      },
    );
    return () => {
      live = false;
    };
    // `deps` say when `load` reads something new.
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, reload };
}
