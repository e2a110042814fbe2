// Lets the clinical screens hand a locked or expired session back to the app (which shows the login screen).
import { createContext } from 'react';

export const SessionLostContext = createContext<() => void>(() => {});
