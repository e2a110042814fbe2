// Opening the query list from the top bar, which sits outside the study screens' navigation state.
import { useEffect } from 'react';

const OPEN_QUERY_LIST = 'ecrf:open-query-list';

export function openQueryList(): void {
  window.dispatchEvent(new Event(OPEN_QUERY_LIST));
}

/** The study screens call this to switch to the query list when the top bar asks. */
export function useOpenQueryList(onOpen: () => void): void {
  useEffect(() => {
    window.addEventListener(OPEN_QUERY_LIST, onOpen);
    return () => window.removeEventListener(OPEN_QUERY_LIST, onOpen);
  }, [onOpen]);
}
