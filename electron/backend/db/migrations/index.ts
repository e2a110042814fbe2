// The ordered list of schema migrations; position n (1-based) is user_version n.
import type Database from 'better-sqlite3-multiple-ciphers';
import { migration0001Initial } from './0001-initial';
import { migration0002Export } from './0002-export';
import { migration0003Gcp } from './0003-gcp';
import { migration0004AccountSecurity } from './0004-account-security';
import { migration0005AllocationVault } from './0005-allocation-vault';
import { migration0006PharmacyPart } from './0006-pharmacy-part';
import { migration0007ExportIntegrity } from './0007-export-integrity';
import { migration0008SubjectStatus } from './0008-subject-status';
import { migration0009DerivedValues } from './0009-derived-values';

export interface Migration {
  name: string;
  up(db: Database.Database): void;
  /** Rebuilds a table others refer to: run with foreign keys off, then PRAGMA foreign_key_check before commit. */
  foreignKeysOff?: boolean;
}

export const MIGRATIONS: readonly Migration[] = [
  migration0001Initial,
  migration0002Export,
  migration0003Gcp,
  migration0004AccountSecurity,
  migration0005AllocationVault,
  migration0006PharmacyPart,
  migration0007ExportIntegrity,
  migration0008SubjectStatus,
  migration0009DerivedValues,
];
