// `ecrf audit verify --db FILE`: walks the hash-chained audit trail of a database opened read-only.
import type { Command } from 'commander';
import type Database from 'better-sqlite3-multiple-ciphers';
import { openStudyFile } from '../../backend/db/encryption';
import { verifyAuditChain } from '../../backend/audit/auditTrail';
import { defaultDbFile } from '../dataDir';

/** Verifies the chain; returns the line to print and the exit code (0 intact, 1 broken, 2 unreadable). */
export function auditVerify(file: string): { line: string; exitCode: number } {
  let db: Database.Database | null = null;
  try {
    db = openStudyFile(file, { readonly: true });
    const r = verifyAuditChain(db);
    return r.ok ? { line: `OK: ${r.rows} rows, head ${r.head}`, exitCode: 0 } : { line: `BROKEN at row id ${r.brokenSeq}: ${r.reason}`, exitCode: 1 };
  } catch (e) {
    return { line: `ERROR: cannot read ${file}: ${(e as Error).message}`, exitCode: 2 };
  } finally {
    db?.close();
  }
}

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('audit trail tools / 稽查轨迹');
  audit
    .command('verify')
    .description('verify the hash chain of the audit trail (database opened read-only)')
    .option('--db <file>', 'SQLite database file', defaultDbFile())
    .action((opts: { db: string }) => {
      const r = auditVerify(opts.db);
      (r.exitCode === 0 ? console.log : console.error)(r.line);
      process.exitCode = r.exitCode;
    });
}
