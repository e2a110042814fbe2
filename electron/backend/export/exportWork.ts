// Where an export works: a private folder in the data folder (never the system temp folder), named after the process
// that made it, holding the sealed temp files and target.json (where the bundle is being written on the stick).
// A folder whose process is gone was left by a crash or a kill: the next start removes it, and the hidden .partial
// bundle it names unless the site recorded that bundle (then it is published, see ExportService.recover).
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = '.ecrf-export-';
const WORK_DIR = /^\.ecrf-export-(\d+)-[A-Za-z0-9]{6}$/;

export interface ExportTarget {
  partialPath: string;
  finalPath: string;
  sequence: number;
  test: boolean;
}

export function makeWorkDir(dataDir: string): string {
  return mkdtempSync(join(dataDir, `${PREFIX}${process.pid}-`));
}

/** Written before the first byte of the bundle, so that a crash can be cleaned up after. */
export function writeTarget(workDir: string, target: ExportTarget): void {
  writeFileSync(join(workDir, 'target.json'), JSON.stringify(target), { mode: 0o600 });
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Work folders in the data folder whose process no longer runs, with the target each names (if it got that far). */
export function staleWorkDirs(dataDir: string): { dir: string; target: ExportTarget | null }[] {
  let names: string[] = [];
  try {
    names = readdirSync(dataDir);
  } catch {
    return [];
  }
  const stale: { dir: string; target: ExportTarget | null }[] = [];
  for (const name of names) {
    const m = WORK_DIR.exec(name);
    if (!m || alive(Number(m[1]))) continue;
    const dir = join(dataDir, name);
    let target: ExportTarget | null = null;
    try {
      target = JSON.parse(readFileSync(join(dir, 'target.json'), 'utf8')) as ExportTarget;
    } catch {
      target = null;
    }
    stale.push({ dir, target });
  }
  return stale;
}

export function bytesIn(dir: string): number {
  let total = 0;
  try {
    for (const name of readdirSync(dir)) total += statSync(join(dir, name)).size;
  } catch {
    // gone already
  }
  return total;
}

/** The temp space exports in this data folder take right now (for the benchmark's export_temp_mb). */
export function exportTempBytes(dataDir: string): number {
  let total = 0;
  try {
    for (const name of readdirSync(dataDir)) if (WORK_DIR.test(name)) total += bytesIn(join(dataDir, name));
  } catch {
    // no data folder
  }
  return total;
}

/**
 * Earlier versions wrote an export's CSV/ODM/JSONL (ecrf-export-XXXXXX) and an import's decrypted, not yet
 * authenticated tar (ecrf-import-XXXXXX) in plaintext to the system temp folder, and left them there when killed or
 * when the import stalled. Removes any such folder; this version writes neither.
 */
export function sweepLegacyTempFolders(kind: 'export' | 'import', dir = tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!new RegExp(`^ecrf-${kind}-[A-Za-z0-9]{6}$`).test(name)) continue;
    const path = join(dir, name);
    try {
      if (!statSync(path).isDirectory()) continue;
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      // another user's: not ours to remove
    }
  }
  return removed;
}
