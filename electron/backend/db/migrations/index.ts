// The ordered list of schema migrations; position n (1-based) is user_version n.
import type Database from 'better-sqlite3';
import { migration0001Initial } from './0001-initial';
import { migration0002Export } from './0002-export';
import { migration0003Gcp } from './0003-gcp';
import { migration0004ExportIntegrity } from './0004-export-integrity';

export interface Migration {
  name: string;
  up(db: Database.Database): void;
}

export const MIGRATIONS: readonly Migration[] = [migration0001Initial, migration0002Export, migration0003Gcp, migration0004ExportIntegrity];
