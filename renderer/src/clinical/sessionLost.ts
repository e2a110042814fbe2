// Lets the clinical screens hand a locked or expired session back to the app (which shows the login screen).
import { createContext, useContext } from 'react';
import { isSessionEnd } from '../api/client';

export const SessionLostContext = createContext<() => void>(() => {});

/** Returns a function that reports session errors to the app and says whether it did. */
export function useSessionLost(): (e: unknown) => boolean {
  const lost = useContext(SessionLostContext);
  return (e: unknown) => {
    if (isSessionEnd(e)) {
      lost();
      return true;
    }
    return false;
  };
}
