// Encryption at rest: every connection to the study database (and its WAL and backups) uses SQLCipher 4 page
// encryption through better-sqlite3-multiple-ciphers, with a 256-bit raw key. Where the key comes from: Electron
// safeStorage in the desktop app (electron/main.ts), a key file readable by its owner only beside the database in
// browser mode and at the command line (`ecrf keys where`). A plaintext database from an earlier version is encrypted
// once, in place and crash-safely (encryptPlaintextInPlace). Kept apart from connection.ts's other concerns.
import Database from 'better-sqlite3-multiple-ciphers';
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, copyFileSync, existsSync, fsyncSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { AuditTrail, verifyAuditChain } from '../audit/auditTrail';
import { DatabaseTooNewError, latestVersion } from './migrate';

export type DbKey = Buffer;

/** Every file the app writes is readable and writable by its owner only. */
export const PRIVATE_FILE_MODE = 0o600;

const PLAINTEXT_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
/** Which key opened which connection, so a second connection (export snapshot, backup) can use the same one. */
const keyOf = new WeakMap<Database.Database, DbKey>();
/** Connections of the benchmark's plaintext baseline (never the app's). */
const plaintextBaseline = new WeakSet<Database.Database>();

export class DatabaseKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseKeyError';
  }
}

/** The key file of a database in browser mode and at the command line: FILE.key beside it. */
export const keyFilePath = (dbFile: string) => `${dbFile}.key`;

export function newDatabaseKey(): DbKey {
  return randomBytes(32);
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // not every platform can fsync a folder (Windows); the rename is still atomic
  }
}

/**
 * Writes a file readable by its owner only, durably and atomically: written and synced under a temporary name, then
 * renamed into place, so a crash never leaves a half-written key.
 */
export function writePrivateFile(path: string, content: string | Buffer): void {
  const temp = `${path}.${process.pid}.tmp`;
  rmSync(temp, { force: true });
  const fd = openSync(temp, 'wx', PRIVATE_FILE_MODE);
  try {
    writeSync(fd, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  fsyncDir(dirname(path));
}

/** Reads a key file (64 hex digits); refuses one others may read. */
export function readKeyFile(path: string): DbKey {
  if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
    throw new DatabaseKeyError(
      `The database key file ${path} may be read by other users (mode ${(statSync(path).mode & 0o777).toString(8)}); run chmod 600 on it. / 数据库密钥文件 ${path} 其他用户可读，请执行 chmod 600。`,
    );
  }
  const hex = readFileSync(path, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new DatabaseKeyError(`The database key file ${path} is damaged (64 hex digits expected). / 数据库密钥文件 ${path} 已损坏。`);
  return Buffer.from(hex, 'hex');
}

/**
 * Browser mode and the command line: the key in FILE.key, made (0600) the first time the database is opened or a
 * plaintext database is met. A database that exists encrypted without its key file cannot be opened: a new key would
 * not open it.
 */
export function keyFromFile(dbFile: string): DbKey {
  const path = keyFilePath(dbFile);
  if (existsSync(path)) return readKeyFile(path);
  if (existsSync(dbFile) && statSync(dbFile).size > 0 && !isPlaintextDatabase(dbFile)) {
    throw new DatabaseKeyError(
      `The database ${dbFile} is encrypted and its key file ${path} is missing (the desktop app keeps its key in the OS keystore). / 数据库已加密，但缺少密钥文件 ${path}。`,
    );
  }
  const key = newDatabaseKey();
  writePrivateFile(path, `${key.toString('hex')}\n`);
  return key;
}

/** A file that starts with SQLite's plaintext header (an unencrypted database from before issue 12). */
export function isPlaintextDatabase(file: string): boolean {
  if (!existsSync(file)) return false;
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(16);
    return readSync(fd, head, 0, 16, 0) === 16 && head.equals(PLAINTEXT_HEADER);
  } finally {
    closeSync(fd);
  }
}

/** Applies the SQLCipher 4 key: must be the first thing done on a new connection. */
function keyConnection(db: Database.Database, key: DbKey): void {
  db.pragma(`cipher = 'sqlcipher'`);
  db.pragma('legacy = 4');
  db.pragma(`key = "x'${key.toString('hex')}'"`);
}

/** Opens a connection with the key; a wrong key (or a damaged file) is refused with a clear message. */
export function openKeyed(file: string, key: DbKey, options: Database.Options = {}): Database.Database {
  if (!options.readonly && !existsSync(file)) closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  const db = new Database(file, options);
  try {
    keyConnection(db, key);
    db.prepare('SELECT COUNT(*) FROM sqlite_master').get();
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_NOTADB') {
      throw new DatabaseKeyError(`Cannot open ${file}: wrong database key, or not an eCRF database. / 无法打开 ${file}：数据库密钥不对，或不是 eCRF 数据库。`);
    }
    throw error;
  }
  keyOf.set(db, key);
  return db;
}

/** The key a connection was opened with (for a second connection to the same file). */
export function connectionKey(db: Database.Database): DbKey {
  const key = keyOf.get(db);
  if (!key) throw new DatabaseKeyError('This connection was not opened with a database key');
  return key;
}

/** Another connection to the same file with the same key (e.g. the export's read snapshot). */
export function openSibling(db: Database.Database, options: Database.Options = {}): Database.Database {
  if (plaintextBaseline.has(db)) return new Database(db.name, { fileMustExist: true, ...options });
  return openKeyed(db.name, connectionKey(db), { fileMustExist: true, ...options });
}

/**
 * An encrypted copy of the open database at `target` (same key), written with VACUUM INTO on a read connection of
 * its own: SQLite's online backup cannot copy between encrypted databases. The target is created 0600 first.
 */
export function copyEncrypted(db: Database.Database, target: string): void {
  closeSync(openSync(target, 'wx', PRIVATE_FILE_MODE));
  const reader = openSibling(db, { readonly: true });
  try {
    reader.prepare('VACUUM INTO ?').run(target);
  } finally {
    reader.close();
  }
  chmodSync(target, PRIVATE_FILE_MODE);
  const fd = openSync(target, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The audit chain of a database (an empty one from before the first migration has none: zero rows). */
function auditChain(db: Database.Database): ReturnType<typeof verifyAuditChain> {
  const hasTrail = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'").get();
  return hasTrail ? verifyAuditChain(db) : { ok: true, rows: 0, head: '' };
}

/**
 * Encrypts a plaintext database once, crash-safely: its WAL is folded in, a copy is made beside it and encrypted
 * there (PRAGMA rekey), checked (integrity, the same audit chain head and row count), synced, and renamed over the
 * original in one atomic step. A crash before the rename leaves the plaintext original as it was (the half-made copy
 * is removed on the next try); after it, the encrypted file. Returns the audit rows and head, unchanged.
 */
export function encryptPlaintextInPlace(file: string, key: DbKey): { auditRows: number; head: string } {
  const temp = `${file}.encrypting`;
  rmSync(temp, { force: true });
  rmSync(`${temp}-journal`, { force: true });
  const source = new Database(file, { fileMustExist: true });
  let before: { rows: number; head: string };
  try {
    source.pragma('busy_timeout = 5000');
    source.pragma('wal_checkpoint(TRUNCATE)');
    source.pragma('journal_mode = DELETE');
    const chain = auditChain(source);
    if (!chain.ok) throw new DatabaseKeyError(`Refusing to encrypt ${file}: its audit trail is broken at row ${chain.brokenSeq} (${chain.reason}). / 审计链已损坏，拒绝加密。`);
    before = { rows: chain.rows, head: chain.head };
  } finally {
    source.close();
  }
  if (existsSync(`${file}-wal`) && statSync(`${file}-wal`).size > 0) throw new DatabaseKeyError(`${file}-wal could not be folded into the database; close the app and try again.`);
  copyFileSync(file, temp);
  chmodSync(temp, PRIVATE_FILE_MODE);
  const copy = new Database(temp, { fileMustExist: true });
  try {
    copy.pragma(`cipher = 'sqlcipher'`);
    copy.pragma('legacy = 4');
    copy.pragma(`rekey = "x'${key.toString('hex')}'"`);
    const integrity = copy.pragma('integrity_check', { simple: true });
    const chain = auditChain(copy);
    if (integrity !== 'ok' || !chain.ok || chain.rows !== before.rows || chain.head !== before.head) {
      throw new DatabaseKeyError(`The encrypted copy of ${file} did not check out; the plaintext database was left as it was.`);
    }
  } catch (error) {
    copy.close();
    rmSync(temp, { force: true });
    throw error;
  }
  copy.close();
  if (isPlaintextDatabase(temp)) throw new DatabaseKeyError(`Encrypting ${temp} left it readable; the plaintext database was left as it was.`);
  const fd = openSync(temp, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  for (const suffix of ['-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  renameSync(temp, file);
  fsyncDir(dirname(file));
  return { auditRows: before.rows, head: before.head };
}

/** A plaintext database from a newer version is refused before anything is written to it (not even encryption). */
function refuseNewerPlaintext(file: string): void {
  const probe = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const found = probe.pragma('user_version', { simple: true }) as number;
    if (found > latestVersion()) throw new DatabaseTooNewError(found, latestVersion());
  } finally {
    probe.close();
  }
}

export interface StudyFileOptions {
  readonly?: boolean;
  /**
   * `npm run bench` only, for the "before" side of its encryption figures: opens a plaintext copy as it is. Nothing in
   * the app, the command line or the API can ask for it.
   */
  benchmarkPlaintextBaseline?: boolean;
  /** The key (the desktop app's, from safeStorage); without it the key file beside the database. */
  key?: DbKey;
  nativeBinding?: string;
}

/**
 * Opens the study database encrypted: the key given or the key file, and a plaintext database from an earlier version
 * encrypted in place first (not for a read-only open, which refuses it instead of changing a byte). The encryption of
 * an existing trail is audited in it.
 */
export function openStudyFile(file: string, options: StudyFileOptions = {}): Database.Database {
  const base: Database.Options = {
    readonly: options.readonly ?? false,
    fileMustExist: options.readonly ?? false,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  };
  if (options.benchmarkPlaintextBaseline) {
    const plain = new Database(file, base);
    plaintextBaseline.add(plain);
    keyOf.set(plain, Buffer.alloc(32));
    return plain;
  }
  const key = options.key ?? keyFromFile(file);
  if (!isPlaintextDatabase(file)) return openKeyed(file, key, base);
  refuseNewerPlaintext(file);
  if (options.readonly) {
    throw new DatabaseKeyError(`${file} is not encrypted yet; open it once with the app (or ecrf serve) to encrypt it. / 数据库尚未加密，请先用程序打开一次以完成加密。`);
  }
  const done = encryptPlaintextInPlace(file, key);
  const db = openKeyed(file, key, base);
  if (done.auditRows > 0) {
    db.transaction(() => {
      new AuditTrail(db).append({
        action: 'settings',
        itemCode: 'database.encryption',
        oldValue: 'plaintext',
        newValue: 'sqlcipher4',
        details: { event: 'database encrypted in place', auditRowsBefore: done.auditRows, headBefore: done.head },
      });
    }).immediate();
  }
  return db;
}
