// Test fixtures: a real SQLite file in a fresh temp folder, a back end over it, logged-in sessions.
import { join } from 'node:path';
import type { Role, User } from '../../../shared/api/calls/common';
import { createBackend, type Backend } from '../backend';

import { tempDir } from './tempDir';

export { tempDir };

export interface TestBackend {
  backend: Backend;
  dbFile: string;
  dir: string;
  /** Creates a user of the role and logs it in on a new session key; returns the key and user. */
  login(role: Role, name?: string): Promise<{ key: string; user: User }>;
  call(name: string, args: unknown, key: string): ReturnType<Backend['dispatch']>;
  cleanup(): void;
}

export const TEST_PASSWORD = 'correct-horse-42';

export async function testBackend(options: { now?: () => number } = {}): Promise<TestBackend> {
  const { dir, cleanup } = tempDir();
  const dbFile = join(dir, 'study.db');
  const backend = createBackend({ dbFile, transport: 'browser', appVersion: 'test', ...(options.now ? { now: options.now } : {}) });
  let counter = 0;
  const users = backend.services.users;
  return {
    backend,
    dbFile,
    dir,
    async login(role, name) {
      counter++;
      const username = name ?? `${role}${counter}`;
      if (users.needsSetup() && role !== 'admin') {
        await users.setupAdmin({ username: 'admin0', displayName: 'Admin', password: TEST_PASSWORD });
      }
      const user = users.needsSetup()
        ? await users.setupAdmin({ username, displayName: username, password: TEST_PASSWORD })
        : await users.createUser({ username, displayName: username, password: TEST_PASSWORD, role }, null);
      const key = `test:${username}`;
      const result = await backend.dispatch('auth.login', { username, password: TEST_PASSWORD }, key);
      if (!result.ok) throw new Error(result.error.message.en);
      return { key, user };
    },
    call: (name, args, key) => backend.dispatch(name, args, key),
    cleanup() {
      backend.close();
      cleanup();
    },
  };
}
