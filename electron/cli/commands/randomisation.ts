// `ecrf randomisation generate|import|status`: prepare the sealed randomisation list of a database from the command line.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import type { User } from '../../../shared/api/calls/common';
import { createBackend } from '../../backend/backend';
import { cliActor, runCommand } from '../../backend/export/cliOutput';
import type { RandomisationStatus } from '../../backend/gcp/randomisationService';
import { defaultDbFile } from '../dataDir';
import { readStdinLine } from './users';
import { APP_VERSION } from '../version';

/** The command line acts as an administrator recorded by its OS account (no user id). */
const cliAdmin = (): User => ({ id: 0, username: cliActor(), displayName: cliActor(), role: 'admin' });

function printStatus(s: RandomisationStatus): void {
  console.log(
    s.present
      ? `随机表 / list: ${s.size} numbers (${s.source}), used ${s.used}, remaining ${s.remaining}\n  list commitment (HMAC-SHA256 under the list key): ${s.listCommitment}`
      : '尚无随机表 / no randomisation list yet',
  );
}

function withBackend(db: string, body: (b: ReturnType<typeof createBackend>) => void | Promise<void>): Promise<void> {
  return runCommand(async () => {
    const backend = createBackend({ dbFile: db, transport: 'browser', appVersion: APP_VERSION });
    try {
      await body(backend);
    } finally {
      backend.close();
    }
  });
}

export function registerRandomisation(program: Command): void {
  const rand = program.command('randomisation').description('sealed randomisation list, made by the unblinded pharmacist / 随机表（由非盲药师生成）');
  rand
    .command('generate')
    .description('generate the 2:1 permuted-block list from a seed (refused once any subject is randomised)')
    .option('--db <file>', 'SQLite database file', defaultDbFile())
    .requiredOption('--seed <seed>', 'seed (used once, stored nowhere: keep it sealed, it reproduces the list)')
    .requiredOption('--size <n>', 'number of randomisation numbers (whole blocks, so up to 5 more)')
    .requiredOption('--pharmacist <username>', "the unblinded pharmacist making the list; their password is read from stdin's first line")
    .action((opts: { db: string; seed: string; size: string; pharmacist: string }) =>
      withBackend(opts.db, async (b) => {
        const password = await readStdinLine();
        const pharmacist = await b.services.users.authenticate(opts.pharmacist, password);
        printStatus(await b.services.randomisation.generateList(opts.seed, Number(opts.size), pharmacist, password));
      }),
    );
  rand
    .command('import')
    .description('import a list from CSV (columns rand_no,kit_no,allocation[,block_no])')
    .option('--db <file>', 'SQLite database file', defaultDbFile())
    .argument('<csv>', 'CSV file')
    .requiredOption('--pharmacist <username>', "the unblinded pharmacist importing the list; their password is read from stdin's first line")
    .action((csv: string, opts: { db: string; pharmacist: string }) =>
      withBackend(opts.db, async (b) => {
        const password = await readStdinLine();
        const pharmacist = await b.services.users.authenticate(opts.pharmacist, password);
        printStatus(await b.services.randomisation.importList(readFileSync(csv, 'utf8'), pharmacist, password));
      }),
    );
  rand
    .command('recovery-copy')
    .description("print the sponsor's recovery copy of the list (an OpenPGP message to the sponsor key: gpg --decrypt opens it)")
    .option('--db <file>', 'SQLite database file', defaultDbFile())
    .action((opts: { db: string }) =>
      withBackend(opts.db, (b) => {
        const armored = b.services.randomisation.recoveryCopy();
        if (!armored) throw new Error('no recovery copy yet: install the sponsor key, then a pharmacist opens the allocation list once / 尚无恢复副本');
        process.stdout.write(armored.endsWith('\n') ? armored : `${armored}\n`);
      }),
    );
  rand
    .command('status')
    .description('print whether a list exists and how many numbers are used (no allocations)')
    .option('--db <file>', 'SQLite database file', defaultDbFile())
    .action((opts: { db: string }) => withBackend(opts.db, (b) => printStatus(b.services.randomisation.status(cliAdmin()))));
}
