// Start-up checks on the study database, kept apart from opening it for work (connection.ts), so a keyed open can slot
// in through the `opener` parameters: before anything is written, the database is opened read-only and
// - a newer schema is refused (DatabaseTooNewError, migrate.ts) without a byte of the folder changed,
// - PRAGMA quick_check runs; a damaged database stays open read-only, with a message naming the last verified backup,
// - a database on a read-only medium (or in a folder this account cannot write) stays open read-only, saying so.
// Only a database that passes is opened for work (WAL, migrations). `ecrf audit verify` uses openReadOnly too.
import Database from 'better-sqlite3-multiple-ciphers';
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Bilingual } from '../../../shared/protocol/types';
import { AppError } from '../errors';
import { openDatabase, type Db } from './connection';
import { DatabaseKeyError, isPlaintextDatabase, keyFromFile, openKeyed, type DbKey } from './encryption';
import { DatabaseTooNewError, latestVersion, refuseIfNewer } from './migrate';

// SQLite URI file names (for ?immutable=1 below) are off in better-sqlite3's build unless this is set before the
// native module loads, i.e. before the first database of the process is opened.
process.env.SQLITE_USE_URI ??= '1';

/** Opens `filename` (a path, or a file: URI for `path`) read-only: the study database and its backups are encrypted. */
export type Opener = (filename: string, options: { readonly: true; fileMustExist: true }, path: string) => Db;

/**
 * The read-only opener for an encrypted database (db/encryption.ts): with `key`, or the key file beside the database.
 * A plaintext database from before encryption at rest is read as it is (its first open for work encrypts it).
 */
export function keyedOpener(key?: DbKey): Opener {
  return (filename, options, path) => {
    const nativeBinding = process.env.ECRF_SQLITE_BINDING;
    const base = { ...options, ...(nativeBinding ? { nativeBinding } : {}) };
    if (isPlaintextDatabase(path)) return new Database(filename, base);
    return openKeyed(filename, key ?? keyFromFile(path), base);
  };
}

export type StartupState =
  | { mode: 'normal' }
  | { mode: 'read-only'; kind: 'damaged' | 'read-only-medium'; message: Bilingual; detail: string; lastGoodBackup: string | null };

export class DatabaseUnreadableError extends AppError {
  constructor(file: string, detail: string, lastGoodBackup: string | null) {
    const backup = lastGoodBackup
      ? { zh: `最近一次经过校验的备份：${lastGoodBackup}，可用 ecrf backup restore --from 恢复`, en: `Last verified backup: ${lastGoodBackup}; restore it with ecrf backup restore --from` }
      : { zh: '没有找到经过校验的备份', en: 'No verified backup was found' };
    super('INTERNAL', {
      zh: `无法打开数据库 ${file}（已损坏或不是 eCRF 数据库）：${detail}。${backup.zh}`,
      en: `Cannot open the database ${file} (damaged, or not an eCRF database): ${detail}. ${backup.en}`,
    });
    this.name = 'DatabaseUnreadableError';
  }
}

/**
 * Opens a database read-only without leaving a trace: with no -wal file beside it nobody has it open in WAL mode, so it
 * is opened immutable (no -shm/-wal created, works on a read-only medium); with a -wal file (the app is running, or
 * crashed with rows not yet in the main file) it is opened read-only through the WAL.
 */
export function openReadOnly(file: string, opener: Opener = keyedOpener()): Db {
  const path = resolve(file);
  if (!existsSync(path)) throw new AppError('NOT_FOUND', { zh: `数据库文件不存在：${path}`, en: `The database file does not exist: ${path}` });
  const walPresent = existsSync(`${path}-wal`);
  const name = walPresent ? path : `${pathToFileURL(path).href}?immutable=1`;
  let db: Db | null = null;
  try {
    db = opener(name, { readonly: true, fileMustExist: true }, path);
    db.prepare('SELECT COUNT(*) FROM sqlite_master').pluck().get();
    return db;
  } catch (error) {
    db?.close();
    const code = (error as { code?: string }).code;
    if (walPresent && code === 'SQLITE_CANTOPEN' && readOnlyMediumReason(path)) {
      throw new AppError('FORBIDDEN', {
        zh: `数据库位于只读介质上，旁边的 ${path}-wal 中还有未写入主文件的数据，无法在此读取：请把数据库连同 -wal 文件复制到可写的文件夹`,
        en: `The database is on a read-only medium and ${path}-wal beside it holds rows not yet in the main file, which cannot be read there: copy the database together with its -wal file to a writable folder`,
      });
    }
    throw error;
  }
}


/** PRAGMA quick_check (O(n), a few seconds at 10,000 subjects); [] when the database is intact. */
export function quickCheck(db: Db): string[] {
  const rows = db.pragma('quick_check(20)') as { quick_check: string }[];
  // One finding a line; SQLite heads them with '*** in database main ***'.
  return rows.flatMap((r) => r.quick_check.split('\n')).filter((v) => v && v !== 'ok' && !v.startsWith('***'));
}

/** Why the database cannot be written where it is (read-only medium, or a folder or file this account cannot write). */
export function readOnlyMediumReason(file: string): string | null {
  for (const [path, what] of [[dirname(resolve(file)), 'folder'], [resolve(file), 'file']] as const) {
    try {
      accessSync(path, constants.W_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      return `${code === 'EROFS' ? 'read-only file system' : 'not writable'} (${what} ${path}: ${code})`;
    }
  }
  return null;
}

export interface StudyDatabase {
  db: Db;
  state: StartupState;
}

/**
 * Opens the study database for the app: checked read-only first; for work only if it passes. `lastGoodBackup` finds
 * the newest verified backup (gcp/backupVerify.ts) for the message; `openForWork` is the usual open (WAL + migrations).
 */
export function openStudyDatabase(
  file: string,
  options: { lastGoodBackup?: (file: string, db: Db | null) => string | null; openForWork?: (file: string) => Db; opener?: Opener } = {},
): StudyDatabase {
  const openForWork = options.openForWork ?? ((f: string) => openDatabase(f));
  if (!existsSync(file)) return { db: openForWork(file), state: { mode: 'normal' } };
  const findBackup = (db: Db | null) => {
    try {
      return options.lastGoodBackup?.(file, db) ?? null;
    } catch {
      return null;
    }
  };
  let ro: Db;
  try {
    ro = openReadOnly(file, options.opener);
  } catch (error) {
    if (error instanceof AppError || error instanceof DatabaseKeyError) throw error;
    throw new DatabaseUnreadableError(file, (error as Error).message, findBackup(null));
  }
  let problems: string[];
  try {
    refuseIfNewer(ro);
    problems = quickCheck(ro);
  } catch (error) {
    if (error instanceof DatabaseTooNewError) {
      ro.close();
      throw error;
    }
    problems = [(error as Error).message];
  }
  if (problems.length) {
    const backup = findBackup(ro);
    return { db: ro, state: damagedState(file, problems, backup) };
  }
  const medium = readOnlyMediumReason(file);
  if (medium) {
    if ((ro.pragma('user_version', { simple: true }) as number) < latestVersion()) {
      ro.close();
      throw new AppError('FORBIDDEN', {
        zh: `数据库位于只读介质上（${medium}），且需要升级结构后才能由本版本打开：请复制到可写的文件夹`,
        en: `The database is on a read-only medium (${medium}) and needs a schema upgrade this version must write: copy it to a writable folder`,
      });
    }
    return {
      db: ro,
      state: {
        mode: 'read-only', kind: 'read-only-medium', detail: medium, lastGoodBackup: null,
        message: {
          zh: `数据库位于只读介质上或所在文件夹不可写入（${medium}）。程序以只读方式打开：可以查看和核对，不能保存。请把数据库复制到可写的文件夹后再录入。`,
          en: `The database is on a read-only medium, or its folder cannot be written (${medium}). It is open read-only: it can be read and verified, nothing can be saved. Copy it to a writable folder to enter data.`,
        },
      },
    };
  }
  ro.close();
  return { db: openForWork(file), state: { mode: 'normal' } };
}

function damagedState(file: string, problems: string[], backup: string | null): StartupState {
  const first = problems[0]!;
  return {
    mode: 'read-only', kind: 'damaged', detail: problems.join('; '), lastGoodBackup: backup,
    message: {
      zh: `数据库文件已损坏（quick_check：${first}）。程序以只读方式打开，不能保存，也不会再备份这个损坏的文件。` +
        (backup ? `最近一次经过校验的备份：${backup}。关闭程序后运行 ecrf backup restore --from "${backup}" --db "${file}" 恢复。` : '没有找到经过校验的备份，请联系管理员。'),
      en: `The database file is damaged (quick_check: ${first}). It is open read-only: nothing can be saved, and the damaged file is not backed up again. ` +
        (backup ? `Last verified backup: ${backup}. Close the app and run ecrf backup restore --from "${backup}" --db "${file}" to restore it.` : 'No verified backup was found; contact the administrator.'),
    },
  };
}

/** Refuses a write on a database the start-up checks left read-only, in the words of why it is read-only. */
export function assertWritable(db: Db, state: StartupState): void {
  if (!db.readonly) return;
  const message = state.mode === 'read-only' ? state.message : { zh: '数据库以只读方式打开，不能保存', en: 'The database is open read-only; nothing can be saved' };
  throw new AppError('READ_ONLY', message);
}
