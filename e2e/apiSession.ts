// A second API session from the test process (Node side) over the browser-mode HTTP host, logged in as the UI's admin:
// for seeding data a test is not about, and for steps whose feature is not in this build yet.
import { randomUUID } from 'node:crypto';
import { enteredBy } from '../shared/protocol/testing/fixtures';
import type { FormCode } from '../shared/protocol/types';
import { ADMIN, type EcrfHost } from './fixtures';

export type ApiCall = (name: string, args: unknown) => Promise<unknown>;

/** Logged in as the UI's admin unless another user's name and password are given. */
export async function apiSession(host: EcrfHost, as: { username: string; password: string } = ADMIN): Promise<ApiCall> {
  const token = /#token=([0-9a-f]+)/.exec(host.openUrl)![1]!;
  const session = randomUUID();
  const api: ApiCall = async (name, args) => {
    const res = await fetch(new URL(`api/${name}`, host.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Ecrf-Token': token, 'X-Ecrf-Session': session },
      body: JSON.stringify(args),
    });
    const body = (await res.json()) as { ok: boolean; value?: unknown; error?: unknown };
    if (!body.ok) throw new Error(`${name}: ${JSON.stringify(body.error)}`);
    return body.value;
  };
  await api('auth.login', { username: as.username, password: as.password });
  return api;
}

export type FormSaver = (args: { subjectId: number; visitCode: string; formCode: FormCode; data: unknown; expectedVersion: number; repeatKey?: number; reason?: string }) => Promise<unknown>;

/**
 * Saves forms as the role that enters each on the ward (the shared fixtures' enteredBy): the given session for most,
 * an investigator and a pharmacist created by the admin for seeding for theirs (BILAG, ELIG, RESPONSE; PHARM).
 */
export async function formSeeder(host: EcrfHost, admin: ApiCall): Promise<FormSaver> {
  const sessions = new Map<string, ApiCall>();
  const sessionFor = async (role: ReturnType<typeof enteredBy>): Promise<ApiCall> => {
    if (role === 'data_entry') return admin;
    let session = sessions.get(role);
    if (!session) {
      const user = { username: `seed.${role}`, displayName: `seed ${role}`, password: 'seed-password-2026-e2e' };
      // An admin-set password is replaced at the first login (issue 12), as createAccount does.
      const initial = 'initial-seed-password-7';
      await admin('users.create', { ...user, role, password: initial });
      const first = await apiSession(host, { username: user.username, password: initial });
      await first('users.changeOwnPassword', { oldPassword: initial, newPassword: user.password });
      session = await apiSession(host, user);
      sessions.set(role, session);
    }
    return session;
  };
  return async (args) => (await sessionFor(enteredBy(args.formCode)))('forms.save', args);
}
