// The logged-in user and app facts, shared by every screen.
import { createContext, useContext } from 'react';
import type { User } from '../../shared/api/calls/common';
import type { CallResult } from '../../shared/api/contract';

export interface SessionState {
  user: User;
  info: CallResult<'app.info'>;
  logout(): void;
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a logged-in screen');
  return session;
}
