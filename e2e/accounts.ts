// Accounts for the e2e tests: the admin creates them through the API with an initial password, and each owner
// replaces it with their own at the first login (issue 12: an admin-set password must be changed before anything else).
import { enteredBy } from '../shared/protocol/testing/fixtures';
import type { FormCode } from '../shared/protocol/types';
import { apiSession, type ApiCall } from './apiSession';
import type { EcrfHost } from './fixtures';

export interface Account {
  username: string;
  displayName: string;
  role: string;
  password: string;
}

const INITIAL = 'initial-set-by-admin-7';

/** Creates the account as the UI's admin and makes its first login (own password set), as its owner would. */
export async function createAccount(host: EcrfHost, account: Account): Promise<void> {
  const admin = await apiSession(host);
  await admin('users.create', { username: account.username, displayName: account.displayName, role: account.role, password: INITIAL });
  const owner = await apiSession(host, { username: account.username, password: INITIAL });
  await owner('users.changeOwnPassword', { oldPassword: INITIAL, newPassword: account.password });
}

export type FormSaver = (args: { subjectId: number; visitCode: string; formCode: FormCode; data: unknown; expectedVersion: number; repeatKey?: number; reason?: string }) => Promise<unknown>;

/**
 * Saves forms as the role that enters each on the ward (the shared fixtures' enteredBy): the given session for most,
 * an investigator's and a pharmacist's account made for seeding for theirs (BILAG, ELIG, RESPONSE; PHARM).
 */
export async function formSeeder(host: EcrfHost, admin: ApiCall): Promise<FormSaver> {
  const sessions = new Map<string, ApiCall>();
  const sessionFor = async (role: ReturnType<typeof enteredBy>): Promise<ApiCall> => {
    if (role === 'data_entry') return admin;
    let session = sessions.get(role);
    if (!session) {
      const account = { username: `seed.${role}`, displayName: `seed ${role}`, role, password: 'seed-password-2026-e2e' };
      // Made once per study; a later seeder (a new session after the clock moved on) logs in to the same account.
      session = await apiSession(host, account).catch(async () => {
        await createAccount(host, account);
        return apiSession(host, account);
      });
      sessions.set(role, session);
    }
    return session;
  };
  return async (args) => (await sessionFor(enteredBy(args.formCode)))('forms.save', args);
}
