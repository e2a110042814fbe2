// `ecrf randomisation generate|import|status`: prepare the sealed randomisation list of a database from the command line.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import type { User } from '../../../shared/api/calls/common';
import { cliBackend } from '../cliBackend';
import { cliActor, runCommand } from '../../backend/export/cliOutput';
import type { RandomisationStatus } from '../../backend/gcp/randomisationService';
import { defaultDbFile } from '../dataDir';

/** The command line acts as an administrator recorded by its OS account (no user id). */
const cliAdmin = (): User => ({ id: 0, username: cliActor(), displayName: cliActor(), role: 'admin' });

function printStatus(s: RandomisationStatus): void {
  console.log(
    s.present
      ? `随机表 / list: ${s.size} numbers (${s.source}), used ${s.used}, remaining ${s.remaining}\n  list sha256: ${s.listSha256}${s.seedSha256 ? `\n  seed sha256: ${s.seedSha256}` : ''}`
      : '尚无随机表 / no randomisation list yet',
  );
}

function withBackend(db: string, body: (b: ReturnType<typeof cliBackend>) => void): Promise<void> {
  return runCommand(async () => {
    const backend = cliBackend(db);
    try {
      body(backend);
    } finally {
      backend.close();
    }
  });
}

export function registerRandomisation(program: Command): void {
  const rand = program.command('randomisation').description('sealed randomisation list / 随机表');
  rand
    .command('generate')
    .description('generate the 2:1 permuted-block list from a seed (refused once any subject is randomised)')
    .option('--db <file>', 'SQLite database file', defaultDbFile())
    .requiredOption('--seed <seed>', 'seed to record (keep it sealed: it reproduces the list)')
    .requiredOption('--size <n>', 'number of randomisation numbers (whole blocks, so up to 5 more)')
    .action((opts: { db: string; seed: string; size: string }) =>
      withBackend(opts.db, (b) => printStatus(b.services.randomisation.generateList(opts.seed, Number(opts.size), cliAdmin()))),
    );
  rand
    .command('import')
    .description('import a list from CSV (columns rand_no,kit_no,allocation[,block_no])')
    .option('--db <file>', 'SQLite database file', defaultDbFile())
    .argument('<csv>', 'CSV file')
    .action((csv: string, opts: { db: string }) =>
      withBackend(opts.db, (b) => printStatus(b.services.randomisation.importList(readFileSync(csv, 'utf8'), cliAdmin()))),
    );
  rand
    .command('status')
    .description('print whether a list exists and how many numbers are used (no allocations)')
    .option('--db <file>', 'SQLite database file', defaultDbFile())
    .action((opts: { db: string }) => withBackend(opts.db, (b) => printStatus(b.services.randomisation.status(cliAdmin()))));
}
