// `ecrf audit verify --db FILE`: proves the data against the audit trail (dataVerify.ts) on a database opened read-only
// (a copy on a read-only medium too): the chain, the counters kept beside it (SQLite's sequence, every export's head,
// every backup's own last row) and a replay of the trail that must give today's values and form statuses.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { verifyStudy } from '../../backend/audit/dataVerify';
import type { Db } from '../../backend/db/connection';
import { keyFilePath, readKeyFile } from '../../backend/db/encryption';
import { keyedOpener, openReadOnly } from '../../backend/db/startup';
import { AppError } from '../../backend/errors';
import { backupFolderOf, backupHeads } from '../../backend/gcp/backupVerify';
import { defaultDbFile } from '../dataDir';

const MAX_LINES = 200;

/**
 * Verifies; returns the first line (the verdict), all lines to print and the exit code: 0 the data agree with the
 * trail and the trail with its counters, 1 a disagreement (each named with its row and item), 2 unreadable.
 */
export function auditVerify(file: string): { line: string; lines: string[]; exitCode: number } {
  let db: Db | null = null;
  try {
    db = openReadOnly(file);
    // Backups are encrypted with the study database's key (its key file).
    const keyFile = keyFilePath(file);
    const { heads, unreadable } = backupHeads(backupFolderOf(file, db), keyedOpener(existsSync(keyFile) ? readKeyFile(keyFile) : undefined));
    const r = verifyStudy(db, heads);
    const notes = unreadable.map((u) => `  (backup not read / 备份无法读取: ${u})`);
    if (r.ok) {
      const line = `OK: ${r.rows} rows, head ${r.head}`;
      return {
        line,
        exitCode: 0,
        lines: [
          line,
          `  data: ${r.forms} forms, ${r.items} item values, ${r.subjects} subjects = a replay of the trail / 数据与稽查轨迹重放一致`,
          `  counters: audit_log sequence ${r.counters.sequence ?? '-'}, ${r.counters.exports} export head(s), ${r.counters.backups} backup head(s) agree / 计数器一致`,
          ...notes,
        ],
      };
    }
    const chain = r.problems.find((p) => p.kind === 'chain');
    const line = chain ? `BROKEN at row id ${chain.seq}: ${chain.en.replace(/^row \d+: /, '')}` : `BROKEN: ${r.problems.length} disagreement(s) between the data and the audit trail`;
    const detail = r.problems.slice(0, MAX_LINES).flatMap((p) => [`  - ${p.zh}`, `    ${p.en}`]);
    if (r.problems.length > MAX_LINES) detail.push(`  … ${r.problems.length - MAX_LINES} more / 另有 ${r.problems.length - MAX_LINES} 处`);
    return { line, exitCode: 1, lines: [line, `  ${r.problems.length} disagreement(s) / 处不一致:`, ...detail, ...notes] };
  } catch (e) {
    const message = e instanceof AppError ? `${e.bilingual.zh} / ${e.bilingual.en}` : (e as Error).message;
    const line = `ERROR: cannot read ${file}: ${message}`;
    return { line, lines: [line], exitCode: 2 };
  } finally {
    db?.close();
  }
}

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('audit trail tools / 稽查轨迹');
  audit
    .command('verify')
    .description('prove the data against the audit trail: chain, counters (sequence, exports, backups), replay of values and statuses (read-only)')
    .option('--db <file>', 'SQLite database file', defaultDbFile())
    .action((opts: { db: string }) => {
      const r = auditVerify(opts.db);
      (r.exitCode === 0 ? console.log : console.error)(r.lines.join('\n'));
      process.exitCode = r.exitCode;
    });
}
