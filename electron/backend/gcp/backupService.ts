// Database backups: SQLite online backup (better-sqlite3 db.backup) into a folder from settings (default
// <data dir>/backups), UTC-timestamped file names, the newest N kept, on a schedule (every 4 h by default),
// on demand and at shutdown; each backup is audited. Restore lives in backupRestore.ts (command line only).
import { accessSync, constants, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { User } from '../../../shared/api/calls/common';
import type { AuditTrail } from '../audit/auditTrail';
import { stamp } from '../audit/clock';
import type { Db } from '../db/connection';
import { copyEncrypted } from '../db/encryption';
import { readSetting, writeSetting } from '../db/settings';
import { AppError, fail } from '../errors';
import { checkBackupFolderPolicy } from './backupFolderPolicy';
import { requireRole } from './roleGuard';

export type BackupTrigger = 'manual' | 'scheduled' | 'exit';

export interface BackupInfo {
  file: string;
  atUtc: string;
  sizeBytes: number;
  trigger: BackupTrigger;
}

export interface BackupStatus {
  folder: string;
  defaultFolder: boolean;
  intervalHours: number;
  keep: number;
  last: BackupInfo | null;
  /** Backup files now in the folder, newest first. */
  files: number;
  nextDueUtc: string | null;
}

export const DEFAULT_INTERVAL_HOURS = 4;
export const DEFAULT_KEEP = 30;
const KEYS = { folder: 'backup.folder', interval: 'backup.intervalHours', keep: 'backup.keep', last: 'backup.last' } as const;
/** ecrf-backup-20261125T103000Z.db (a second backup in the same second gets -2, -3 …). */
export const BACKUP_NAME = /^ecrf-backup-\d{8}T\d{6}Z(?:-\d+)?\.db$/;

const compact = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

export class BackupService {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<BackupInfo> | null = null;
  private readonly protectedFolders: string[] = [];

  constructor(
    private readonly db: Db,
    private readonly audit: AuditTrail,
  ) {}

  /** Folders the app serves or ships (the renderer build, the app): backups may never go inside them. */
  protectFolders(folders: readonly string[]): void {
    this.protectedFolders.push(...folders);
  }

  private setting(key: string): string | undefined {
    return readSetting(this.db, key);
  }

  private put(key: string, value: string): void {
    writeSetting(this.db, key, value);
  }

  get defaultFolder(): string {
    return join(dirname(this.db.name), 'backups');
  }

  get folder(): string {
    return this.setting(KEYS.folder) ?? this.defaultFolder;
  }

  get intervalHours(): number {
    return Number(this.setting(KEYS.interval) ?? DEFAULT_INTERVAL_HOURS);
  }

  get keep(): number {
    return Number(this.setting(KEYS.keep) ?? DEFAULT_KEEP);
  }

  /** Backup files in the folder, newest first (names sort by their UTC timestamp). */
  listBackups(): string[] {
    if (!existsSync(this.folder)) return [];
    const key = (n: string) => {
      const m = /(\d{8}T\d{6}Z)(?:-(\d+))?/.exec(n)!;
      return `${m[1]}${String(Number(m[2] ?? 1)).padStart(6, '0')}`;
    };
    return readdirSync(this.folder)
      .filter((n) => BACKUP_NAME.test(n))
      .sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0));
  }

  status(): BackupStatus {
    const lastText = this.setting(KEYS.last);
    const last = lastText ? (JSON.parse(lastText) as BackupInfo) : null;
    const due = last ? new Date(Date.parse(last.atUtc) + this.intervalHours * 3_600_000).toISOString() : null;
    return {
      folder: this.folder,
      defaultFolder: this.setting(KEYS.folder) === undefined,
      intervalHours: this.intervalHours,
      keep: this.keep,
      last,
      files: this.listBackups().length,
      nextDueUtc: this.timer ? due : null,
    };
  }

  /** Changes folder and interval (admin): the folder must exist and be writable. Audited as 'settings'. */
  setFolder(folder: string, intervalHours: number, user: User): BackupStatus {
    requireRole(user, ['admin']);
    const target = folder.trim();
    if (!isAbsolute(target)) fail('VALIDATION', '请填写完整的文件夹路径（绝对路径）', 'Give the full (absolute) folder path');
    checkWritableFolder(target);
    checkBackupFolderPolicy(target, this.db.name, this.protectedFolders);
    if (!Number.isFinite(intervalHours) || intervalHours < 1 || intervalHours > 168) {
      fail('VALIDATION', '备份间隔须为 1–168 小时', 'The backup interval must be 1 to 168 hours');
    }
    const before = { folder: this.folder, intervalHours: this.intervalHours };
    this.db
      .transaction(() => {
        this.put(KEYS.folder, target);
        this.put(KEYS.interval, String(intervalHours));
        this.audit.append({
          userId: user.id,
          username: user.username,
          action: 'settings',
          itemCode: 'backup',
          oldValue: JSON.stringify(before),
          newValue: JSON.stringify({ folder: target, intervalHours }),
        });
      })
      .immediate();
    if (this.timer) this.startSchedule();
    return this.status();
  }

  /**
   * Takes a backup now: online backup to a temporary name in the folder, renamed into place when complete, then the
   * oldest beyond `keep` removed; audited as 'backup'. Concurrent requests share the one running backup.
   */
  backupNow(trigger: BackupTrigger, user: User | null): Promise<BackupInfo> {
    if (user) requireRole(user, ['admin']);
    if (!this.running) {
      this.running = this.run(trigger, user).finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  private async run(trigger: BackupTrigger, user: User | null): Promise<BackupInfo> {
    const folder = this.folder;
    if (folder === this.defaultFolder) mkdirSync(folder, { recursive: true });
    checkWritableFolder(folder);
    checkBackupFolderPolicy(folder, this.db.name, this.protectedFolders);
    const at = stamp();
    // Same second as an earlier backup: the next suffix after the highest one (never a pruned name, which would sort as oldest).
    const base = `ecrf-backup-${compact(at.utc)}`;
    const taken = readdirSync(folder)
      .filter((n) => n.startsWith(base))
      .map((n) => Number(/-(\d+)\.db/.exec(n.slice(base.length))?.[1] ?? 1));
    const name = taken.length ? `${base}-${Math.max(...taken) + 1}.db` : `${base}.db`;
    const partial = join(folder, `${name}.partial`);
    try {
      // Encrypted with the database's own key (SQLCipher): online backup cannot copy between encrypted databases.
      copyEncrypted(this.db, partial);
      renameSync(partial, join(folder, name));
    } catch (e) {
      rmSync(partial, { force: true });
      return fail('INTERNAL', `备份失败：${(e as Error).message}`, `Backup failed: ${(e as Error).message}`);
    }
    const info: BackupInfo = { file: join(folder, name), atUtc: at.utc, sizeBytes: statSync(join(folder, name)).size, trigger };
    this.db
      .transaction(() => {
        this.put(KEYS.last, JSON.stringify(info));
        this.audit.append(
          { userId: user?.id ?? null, username: user?.username ?? 'system', action: 'backup', newValue: name, details: { trigger, folder, sizeBytes: info.sizeBytes } },
          at,
        );
      })
      .immediate();
    for (const old of this.listBackups().slice(this.keep)) rmSync(join(folder, old), { force: true });
    return info;
  }

  /** Backs up every `intervalHours` while the app runs (the timer never keeps the process alive). */
  startSchedule(onError: (e: unknown) => void = (e) => console.error(e instanceof AppError ? e.bilingual.en : e)): void {
    this.stopSchedule();
    this.timer = setInterval(() => {
      this.backupNow('scheduled', null).catch(onError);
    }, this.intervalHours * 3_600_000);
    this.timer.unref();
  }

  stopSchedule(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** At shutdown: stops the schedule and takes a last backup; never throws (the app must still close). */
  async backupAtExit(): Promise<BackupInfo | null> {
    this.stopSchedule();
    try {
      return await this.backupNow('exit', null);
    } catch (e) {
      console.error(`backup at exit failed: ${e instanceof AppError ? e.bilingual.en : String(e)}`);
      return null;
    }
  }
}

/** A folder exists, is a folder, and a file can be written in it. */
export function checkWritableFolder(folder: string): void {
  let isDir = false;
  try {
    isDir = statSync(folder).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) fail('VALIDATION', `文件夹不存在：${folder}`, `The folder does not exist: ${folder}`);
  const probe = join(folder, `.ecrf-write-test-${process.pid}`);
  try {
    accessSync(folder, constants.W_OK);
    writeFileSync(probe, 'ok');
    rmSync(probe, { force: true });
  } catch {
    fail('VALIDATION', `文件夹不可写入：${folder}`, `The folder is not writable: ${folder}`);
  }
}
