// The ordered list of schema migrations; position n (1-based) is user_version n.
import type Database from 'better-sqlite3';
import { migration0001Initial } from './0001-initial';
import { migration0002Export } from './0002-export';
import { migration0003Gcp } from './0003-gcp';
import { migration0004SubjectStatus } from './0004-subject-status';

export interface Migration {
  name: string;
  up(db: Database.Database): void;
  /** Rebuilds a table others refer to: run with foreign keys off, then PRAGMA foreign_key_check before commit. */
  foreignKeysOff?: boolean;
}

export const MIGRATIONS: readonly Migration[] = [migration0001Initial, migration0002Export, migration0003Gcp, migration0004SubjectStatus];
