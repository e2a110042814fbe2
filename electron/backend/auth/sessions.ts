// Who is logged in on each transport session (an Electron window or a browser tab), with idle locking.
import type { User } from '../../../shared/api/calls/common';

export const IDLE_LOCK_MS = 15 * 60 * 1000;

interface Session {
  user: User;
  lastActivity: number;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly now: () => number = Date.now) {}

  start(key: string, user: User): void {
    this.sessions.set(key, { user, lastActivity: this.now() });
  }

  end(key: string): void {
    this.sessions.delete(key);
  }

  /** The session's user, or 'locked' after 15 minutes idle (the user must log in again), or null. */
  touch(key: string): User | 'locked' | null {
    const session = this.sessions.get(key);
    if (!session) return null;
    const now = this.now();
    if (now - session.lastActivity > IDLE_LOCK_MS) return 'locked';
    session.lastActivity = now;
    return session.user;
  }

  /** Ends every session of the user (deactivated or role changed); returns how many were open. */
  endForUser(userId: number): number {
    let ended = 0;
    for (const [key, session] of this.sessions) {
      if (session.user.id === userId) {
        this.sessions.delete(key);
        ended++;
      }
    }
    return ended;
  }

  /** Refreshes the user shown by the user's open sessions (e.g. a new display name). */
  refreshUser(user: User): void {
    for (const session of this.sessions.values()) if (session.user.id === user.id) session.user = user;
  }

  peek(key: string): User | null {
    return this.sessions.get(key)?.user ?? null;
  }
}
