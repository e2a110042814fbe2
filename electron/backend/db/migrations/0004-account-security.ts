// Schema 4: account security: a password set by an administrator (or at the command line) must be changed by its
// owner at the next login before anything else is allowed.
import type { Migration } from './index';

export const migration0004AccountSecurity: Migration = {
  name: '0004-account-security',
  up(db) {
    db.exec(`ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0,1));`);
  },
};
