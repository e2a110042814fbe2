// Accounts for the e2e tests: the admin creates them through the API with an initial password, and each owner
// replaces it with their own at the first login (issue 12: an admin-set password must be changed before anything else).
import { apiSession } from './apiSession';
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
