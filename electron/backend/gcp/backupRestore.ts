// Restoring a backup over the study database (command line only, with the app closed): the backup must pass
// PRAGMA integrity_check and audit verify; the current file is moved aside (FILE.before-restore-<ts>), the backup is
// copied in under a temporary name and renamed into place, and the restore is audited in the restored database.
import Database from 'better-sqlite3-multiple-ciphers';
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, copyFileSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { AuditTrail, verifyAuditChain } from '../audit/auditTrail';
import { stamp } from '../audit/clock';
import { openDatabase } from '../db/connection';
import { keyFromFile, openKeyed, PRIVATE_FILE_MODE, type DbKey } from '../db/encryption';
import { AppError, fail } from '../errors';

export interface RestoreResult {
  restoredFrom: string;
  movedAside: string | null;
  auditRows: number;
  head: string;
}

/** Checks a database file without changing it: integrity_check and the audit chain. */
export function checkBackup(file: string, key: DbKey): { rows: number; head: string } {
  if (!existsSync(file)) fail('NOT_FOUND', `备份文件不存在：${file}`, `Backup file not found: ${file}`);
  let db: Database.Database | null = null;
  try {
    db = openKeyed(file, key, { readonly: true, fileMustExist: true });
    const integrity = db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[];
    const problems = integrity.map((r) => r.integrity_check).filter((v) => v !== 'ok');
    if (problems.length) fail('VALIDATION', `备份文件已损坏（integrity_check）：${problems[0]}`, `The backup is damaged (integrity_check): ${problems[0]}`);
    const chain = verifyAuditChain(db);
    if (!chain.ok) return fail('VALIDATION', `备份文件的审计链不完整：第 ${chain.brokenSeq} 行 ${chain.reason}`, `The backup's audit trail is broken at row ${chain.brokenSeq}: ${chain.reason}`);
    return { rows: chain.rows, head: chain.head };
  } catch (e) {
    if (e instanceof AppError) throw e;
    return fail('VALIDATION', `无法读取备份文件（不是有效的数据库）：${(e as Error).message}`, `Cannot read the backup (not a valid database): ${(e as Error).message}`);
  } finally {
    db?.close();
  }
}

/**
 * Makes sure no other connection has the database open (the running app keeps one open even when idle), and folds
 * its WAL into the main file. In WAL mode only exclusive locking mode is refused while another connection is open.
 */
function quiesce(file: string, key: DbKey): void {
  const db = openKeyed(file, key, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    try {
      db.pragma('locking_mode = EXCLUSIVE');
      db.exec('BEGIN EXCLUSIVE; COMMIT;');
    } catch {
      fail('CONFLICT', '数据库正在使用中，请先关闭 eCRF 程序再恢复', 'The database is in use: close the eCRF app before restoring');
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

export function restoreBackup(from: string, dbFile: string, actor: string): RestoreResult {
  const source = resolve(from);
  const target = resolve(dbFile);
  if (source === target) fail('BAD_REQUEST', '备份文件与目标数据库是同一个文件', 'The backup and the target database are the same file');
  const key = keyFromFile(target);
  checkBackup(source, key);
  const ts = stamp().utc.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  let movedAside: string | null = null;
  if (existsSync(target)) {
    quiesce(target, key);
    movedAside = `${target}.before-restore-${ts}`;
    renameSync(target, movedAside);
    for (const suffix of ['-wal', '-shm']) if (existsSync(target + suffix)) renameSync(target + suffix, movedAside + suffix);
  }
  const partial = `${target}.restoring-${ts}`;
  try {
    copyFileSync(source, partial);
    chmodSync(partial, PRIVATE_FILE_MODE);
    const fd = openSync(partial, 'r+');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(partial, target);
  } catch (e) {
    rmSync(partial, { force: true });
    if (movedAside && !existsSync(target)) renameSync(movedAside, target);
    return fail('INTERNAL', `恢复失败，原数据库已放回：${(e as Error).message}`, `Restore failed; the database was put back: ${(e as Error).message}`);
  }
  const db = openDatabase(target);
  try {
    const sha256 = createHash('sha256').update(readFileSync(source)).digest('hex');
    db.transaction(() => {
      new AuditTrail(db).append({ username: actor, action: 'restore', newValue: source, details: { backupSha256: sha256, movedAside } });
    }).immediate();
    const chain = verifyAuditChain(db);
    if (!chain.ok) return fail('INTERNAL', '恢复后审计链校验失败', 'Audit verify failed after the restore');
    return { restoredFrom: source, movedAside, auditRows: chain.rows, head: chain.head };
  } finally {
    db.close();
  }
}
