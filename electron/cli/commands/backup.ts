// `ecrf backup now|restore`: take a backup of a database, or restore one over it (app closed) after checking it.
import type { Command } from 'commander';
import { cliBackend } from '../cliBackend';
import { cliActor, runCommand } from '../../backend/export/cliOutput';
import { restoreBackup } from '../../backend/gcp/backupRestore';
import { defaultDbFile } from '../dataDir';

export function registerBackup(program: Command): void {
  const backup = program.command('backup').description('database backups / 数据库备份');
  backup
    .command('now')
    .description('take a backup into the configured folder (default: backups/ beside the database)')
    .option('--db <file>', 'SQLite database file', defaultDbFile())
    .action((opts: { db: string }) =>
      runCommand(async () => {
        const backend = cliBackend(opts.db);
        try {
          const info = await backend.services.backup.backupNow('manual', null);
          console.log(`备份完成 / backup written: ${info.file} (${info.sizeBytes} bytes)`);
        } finally {
          backend.close();
        }
      }),
    );
  backup
    .command('restore')
    .description('restore a backup over the database: refused unless integrity_check and audit verify pass; the current file is kept as FILE.before-restore-<time>')
    .requiredOption('--from <backup>', 'backup file')
    .option('--db <file>', 'SQLite database file to replace', defaultDbFile())
    .action((opts: { from: string; db: string }) =>
      runCommand(async () => {
        const r = restoreBackup(opts.from, opts.db, cliActor());
        console.log(
          `已恢复 / restored: ${r.restoredFrom}\n` +
            (r.movedAside ? `原数据库已保留 / previous database kept as: ${r.movedAside}\n` : '') +
            `audit verify OK: ${r.auditRows} rows, head ${r.head}`,
        );
      }),
    );
}
