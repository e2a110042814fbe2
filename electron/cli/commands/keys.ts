// `ecrf keys`: install the sponsor's public key (shown by fingerprint) and print the site's public key.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { cliBackend } from '../cliBackend';
import { cliActor, runCommand } from '../../backend/export/cliOutput';
import { defaultDbFile } from '../dataDir';

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('OpenPGP keys for sponsor bundles / 申办方数据包密钥');
  keys
    .command('sponsor-install')
    .description("install the sponsor's public key (ASCII armored); bundles are encrypted to it")
    .option('--db <file>', 'SQLite database file', defaultDbFile())
    .argument('<pub>', "the sponsor's public key file (.asc)")
    .action((pub: string, opts: { db: string }) =>
      runCommand(async () => {
        const backend = cliBackend(opts.db);
        try {
          const armored = readFileSync(pub, 'utf8');
          const r = await backend.services.exports.installSponsorKey(armored, null, cliActor());
          console.log(`申办方公钥已安装 / sponsor key installed\n  fingerprint: ${r.fingerprint}\n  user id:     ${r.userId}`);
        } finally {
          backend.close();
        }
      }),
    );
  keys
    .command('site-public')
    .description("print the site's public key (created on first use) for the sponsor to trust")
    .option('--db <file>', 'SQLite database file', defaultDbFile())
    .option('--fingerprint', 'print only the fingerprint')
    .action((opts: { db: string; fingerprint?: boolean }) =>
      runCommand(async () => {
        const backend = cliBackend(opts.db);
        try {
          const k = await backend.services.exports.sitePublicKey();
          process.stdout.write(opts.fingerprint ? `${k.fingerprint}\n` : k.armored.endsWith('\n') ? k.armored : `${k.armored}\n`);
          if (!opts.fingerprint) process.stderr.write(`site key fingerprint / 中心密钥指纹: ${k.fingerprint}\n`);
        } finally {
          backend.close();
        }
      }),
    );
}
