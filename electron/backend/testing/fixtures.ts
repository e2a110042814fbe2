// Test fixtures: a real SQLite file in a fresh temp folder, a back end over it, logged-in sessions.
import { join } from 'node:path';
import type { Role, User } from '../../../shared/api/calls/common';
import { verifyStudy } from '../audit/dataVerify';
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
  /** For a test that edits the database behind the services' back: cleanup() then skips the audit verify. */
  tampered(): void;
  /** Closes and removes the database; first proves its data equal a replay of its audit trail (`ecrf audit verify`). */
  cleanup(): void;
}

export const TEST_PASSWORD = 'correct-horse-42';

export async function testBackend(options: { now?: () => number } = {}): Promise<TestBackend> {
  const { dir, cleanup } = tempDir();
  const dbFile = join(dir, 'study.db');
  const backend = createBackend({ dbFile, transport: 'browser', appVersion: 'test', ...(options.now ? { now: options.now } : {}) });
  let counter = 0;
  let tampered = false;
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
    tampered() {
      tampered = true;
    },
    cleanup() {
      try {
        // Every flow through the services must leave data that a replay of the trail gives back exactly.
        const report = tampered || !backend.services.db.open ? null : verifyStudy(backend.services.db);
        if (report && !report.ok) throw new Error(`audit verify after the test: ${report.problems.map((p) => p.en).join('; ')}`);
      } finally {
        if (backend.services.db.open) backend.close();
        cleanup();
      }
    },
  };
}
