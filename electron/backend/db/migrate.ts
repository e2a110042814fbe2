// Applies numbered migrations in order, tracked by PRAGMA user_version; refuses a newer database.
import type Database from 'better-sqlite3-multiple-ciphers';
import { MIGRATIONS } from './migrations';

export class DatabaseTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `This database was written by a newer version of the eCRF (schema ${found}; this version knows up to ${supported}). ` +
        `Install the newer version; the database was not opened for writing. / 此数据库由更新版本的 eCRF 创建（结构版本 ${found}，本版本最高支持 ${supported}），请安装新版本。`,
    );
    this.name = 'DatabaseTooNewError';
  }
}

/**
 * A migration failed: nothing of that step was written (its transaction rolled back), so the database stays at the
 * schema before it. Names the step and the SQLite words, in both languages (e.g. a database made by a development build
 * whose migrations were numbered otherwise: 'duplicate column name').
 */
export class MigrationFailedError extends Error {
  constructor(
    readonly migration: string,
    readonly version: number,
    override readonly cause: Error,
  ) {
    super(
      `The database could not be upgraded: step ${migration} (schema ${version - 1} → ${version}) failed: ${cause.message}. ` +
        `That step wrote nothing; the database is at schema ${version - 1}. Keep the file and a backup, and ask for support. / ` +
        `数据库无法升级：第 ${migration} 步（结构版本 ${version - 1} → ${version}）失败：${cause.message}。该步未写入任何内容，数据库仍为结构版本 ${version - 1}。请保留该文件和备份，并联系技术支持。`,
    );
    this.name = 'MigrationFailedError';
  }
}

export function currentVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function latestVersion(): number {
  return MIGRATIONS.length;
}

/** Throws for a database written by a newer version (reads user_version only). */
export function refuseIfNewer(db: Database.Database): number {
  const found = currentVersion(db);
  if (found > MIGRATIONS.length) throw new DatabaseTooNewError(found, MIGRATIONS.length);
  return found;
}

/** Runs every pending migration, each in its own transaction together with the user_version bump. */
export function runMigrations(db: Database.Database, target = MIGRATIONS.length): number {
  const found = refuseIfNewer(db);
  for (let version = found + 1; version <= target; version++) {
    const migration = MIGRATIONS[version - 1];
    if (!migration) throw new Error(`Migration ${version} missing`);
    // PRAGMA foreign_keys cannot change inside a transaction: a table rebuild turns them off around it and checks
    // every reference before committing.
    const fkWasOn = migration.foreignKeysOff === true && db.pragma('foreign_keys', { simple: true }) === 1;
    if (fkWasOn) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        try {
          migration.up(db);
        } catch (error) {
          throw new MigrationFailedError(migration.name, version, error as Error);
        }
        if (migration.foreignKeysOff) {
          const broken = db.pragma('foreign_key_check') as unknown[];
          if (broken.length > 0) throw new Error(`Migration ${migration.name} left ${broken.length} broken foreign key reference(s)`);
        }
        db.pragma(`user_version = ${version}`);
      }).immediate();
    } finally {
      if (fkWasOn) db.pragma('foreign_keys = ON');
    }
  }
  return currentVersion(db);
}
