// Opens the study database (encrypted at rest, see encryption.ts): WAL journal, synchronous=FULL, foreign keys on,
// then runs migrations.
import type Database from 'better-sqlite3-multiple-ciphers';
import { openStudyFile, type DbKey } from './encryption';
import { runMigrations } from './migrate';

export type Db = Database.Database;

export interface OpenOptions {
  /** Open without migrating (used by tools that only inspect, e.g. audit verify). */
  readonly?: boolean;
  migrate?: boolean;
  /** The database key (the desktop app's, from safeStorage); without it, the key file beside the database. */
  key?: DbKey;
  /** `npm run bench`'s plaintext "before" side only (see encryption.ts). */
  benchmarkPlaintextBaseline?: boolean;
}

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  // In the Electron dev run, npm start points at a better-sqlite3 build for Electron's ABI.
  const nativeBinding = process.env.ECRF_SQLITE_BINDING;
  // Encrypted at rest (db/encryption.ts): the key, and a plaintext database from an earlier version encrypted once.
  const db = openStudyFile(file, {
    ...(options.readonly ? { readonly: true } : {}),
    ...(options.key ? { key: options.key } : {}),
    ...(options.benchmarkPlaintextBaseline ? { benchmarkPlaintextBaseline: true } : {}),
    ...(nativeBinding ? { nativeBinding } : {}),
  });
  try {
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
    }
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    if (options.migrate !== false && !options.readonly) {
      runMigrations(db);
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
