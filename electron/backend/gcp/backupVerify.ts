// Checking backups, kept apart from taking them (backupService.ts): each backup is checked when it is taken (PRAGMA
// integrity_check and the full audit verify: chain, counters, replay of the data), and the outcome is kept beside it
// (<backup>.verified.json); rotation never deletes the newest backup that passed; a damaged database's message names it;
// and `ecrf audit verify` compares the current trail with the last row of every backup's own trail.
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stamp } from '../audit/clock';
import { verifySteps as studySteps, type BackupHead } from '../audit/dataVerify';
import { runSteps, runStepsAsync } from '../audit/steps';
import type { Db } from '../db/connection';
import { readSetting } from '../db/settings';
import { openReadOnly, type Opener } from '../db/startup';

/** ecrf-backup-20261125T103000Z.db (a second backup in the same second gets -2, -3 …). */
export const BACKUP_NAME = /^ecrf-backup-\d{8}T\d{6}Z(?:-\d+)?\.db$/;

export interface BackupCheck {
  ok: boolean;
  checkedAtUtc: string;
  head: { seq: number; hash: string } | null;
  rows: number;
  problems: string[];
}

export const checkFileOf = (backup: string) => `${backup}.verified.json`;

/** Backup files in a folder, newest first (names sort by their UTC timestamp, then the same-second suffix). */
export function listBackupFiles(folder: string): string[] {
  if (!existsSync(folder)) return [];
  const key = (n: string) => {
    const m = /(\d{8}T\d{6}Z)(?:-(\d+))?/.exec(n)!;
    return `${m[1]}${String(Number(m[2] ?? 1)).padStart(6, '0')}`;
  };
  return readdirSync(folder)
    .filter((n) => BACKUP_NAME.test(n))
    .sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0));
}

/** The backup folder a database uses: the setting, or backups/ beside it. */
export function backupFolderOf(dbFile: string, db: Db | null): string {
  try {
    const configured = db ? readSetting(db, 'backup.folder') : undefined;
    if (configured) return configured;
  } catch {
    // a damaged database may not even read its settings
  }
  return join(dbFile, '..', 'backups');
}

/** integrity_check + audit verify of a backup file, read-only; the outcome is written beside it (unless record is false). */
export function verifyBackupFile(file: string, options: { opener?: Opener; record?: boolean } = {}): BackupCheck {
  return runSteps(backupCheckSteps(file, options));
}

/**
 * verifyBackupFile for the running app: the audit verify lets the event loop run between pages. integrity_check is one
 * SQLite call and holds the thread (about 1.3 s per 1,000 subjects; the trial's ~40 subjects take milliseconds).
 */
export function verifyBackupFileAsync(file: string, options: { opener?: Opener; record?: boolean } = {}): Promise<BackupCheck> {
  return runStepsAsync(backupCheckSteps(file, options));
}

function* backupCheckSteps(file: string, options: { opener?: Opener; record?: boolean }): Generator<void, BackupCheck> {
  const { opener, record = true } = options;
  const at = stamp().utc;
  let check: BackupCheck;
  let db: Db | null = null;
  try {
    db = openReadOnly(file, opener);
    const integrity = (db.pragma('integrity_check(20)') as { integrity_check: string }[]).map((r) => r.integrity_check).filter((v) => v !== 'ok');
    if (integrity.length) {
      check = { ok: false, checkedAtUtc: at, head: null, rows: 0, problems: integrity.map((p) => `integrity_check: ${p}`) };
    } else {
      yield;
      const report = yield* studySteps(db);
      const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
      check = { ok: report.ok, checkedAtUtc: at, head: last ?? null, rows: report.rows, problems: report.problems.map((p) => p.en) };
    }
  } catch (error) {
    check = { ok: false, checkedAtUtc: at, head: null, rows: 0, problems: [`unreadable: ${(error as Error).message}`] };
  } finally {
    db?.close();
  }
  if (record) {
    try {
      writeFileSync(checkFileOf(file), `${JSON.stringify(check, null, 2)}\n`, { mode: 0o600 });
    } catch {
      // a read-only backup folder: the outcome is still returned
    }
  }
  return check;
}

export function readBackupCheck(file: string): BackupCheck | null {
  try {
    return JSON.parse(readFileSync(checkFileOf(file), 'utf8')) as BackupCheck;
  } catch {
    return null;
  }
}

/** The newest backup in the folder that passed its check (checking, newest first, those never checked). */
export function lastVerifiedBackup(folder: string, opener?: Opener): string | null {
  for (const name of listBackupFiles(folder)) {
    const file = join(folder, name);
    const check = readBackupCheck(file) ?? verifyBackupFile(file, { opener });
    if (check.ok) return file;
  }
  return null;
}

/**
 * Which backups rotate out when `keep` are kept: the oldest beyond `keep`, except the newest backup that passed its
 * check, wherever it stands (after a few days of a damaged database, every new backup fails: the good one stays).
 */
export function backupsToRemove(folder: string, keep: number, opener?: Opener): string[] {
  const files = listBackupFiles(folder);
  const beyond = files.slice(keep);
  if (!beyond.length) return [];
  const keepToo = lastVerifiedBackup(folder, opener);
  return beyond.map((n) => join(folder, n)).filter((f) => f !== keepToo);
}

export function removeBackup(file: string): void {
  rmSync(file, { force: true });
  rmSync(checkFileOf(file), { force: true });
}

/** The last row of each backup's own audit trail, for `ecrf audit verify`; backups that cannot be read are listed apart. */
export function backupHeads(folder: string, opener?: Opener): { heads: BackupHead[]; unreadable: string[] } {
  const heads: BackupHead[] = [];
  const unreadable: string[] = [];
  for (const name of listBackupFiles(folder)) {
    const file = join(folder, name);
    let db: Db | null = null;
    try {
      db = openReadOnly(file, opener);
      const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
      if (last) heads.push({ file, ...last });
    } catch (error) {
      unreadable.push(`${file}: ${(error as Error).message}`);
    } finally {
      db?.close();
    }
  }
  return { heads, unreadable };
}
