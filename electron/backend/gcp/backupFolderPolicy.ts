// Where backups may go: never inside a folder the app serves or ships (the renderer build, the app itself), never the
// database's own folder or one of its parents (backups mixed with, or spread above, the live data), and never a folder
// every local user may write to (e.g. /tmp). Paths are compared after resolving links, so a symlink does not get round it.
import { realpathSync, statSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { fail } from '../errors';

const real = (path: string): string => {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
};

const inside = (child: string, parent: string) => child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);

/** Throws a bilingual VALIDATION error when `folder` may not hold backups of `dbFile`. */
export function checkBackupFolderPolicy(folder: string, dbFile: string, protectedFolders: readonly string[]): void {
  const target = real(folder);
  for (const p of protectedFolders) {
    const root = real(p);
    if (inside(target, root)) {
      fail('VALIDATION', `备份不能放在程序自身或其界面文件夹中：${folder}`, `Backups may not go inside the app or the folder it serves: ${folder}`);
    }
  }
  const dataDir = real(dirname(resolve(dbFile)));
  if (inside(dataDir, target)) {
    fail(
      'VALIDATION',
      `备份文件夹不能是数据库所在文件夹或其上级文件夹：${folder}（请选择专用的备份文件夹，例如数据文件夹中的 backups）`,
      `The backup folder may not be the database's folder or one of its parents: ${folder} (choose a folder of its own, e.g. backups in the data folder)`,
    );
  }
  if (process.platform !== 'win32' && (statSync(target).mode & 0o002) !== 0) {
    fail('VALIDATION', `该文件夹所有用户均可写入，不能存放备份：${folder}`, `Every user of this computer may write to this folder; it may not hold backups: ${folder}`);
  }
}
