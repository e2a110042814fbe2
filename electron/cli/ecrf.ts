// The `ecrf` command line: browser mode, demo data, and the tools for monitors and sponsors.
import { Command } from 'commander';
import { registerDemo } from './commands/demo';
import { registerExport } from './commands/export';
import { registerKeys } from './commands/keys';
import { registerServe } from './commands/serve';
import { registerSponsor } from './commands/sponsor';
import { registerRandomisation } from './commands/randomisation';
import { registerAudit } from './commands/audit';
import { registerBackup } from './commands/backup';
import { registerUsers } from './commands/users';
import { registerCasebook } from './commands/casebook';
import { APP_VERSION } from './version';

// Every file the command line writes (database, WAL, key file, backups, temp files, bundles) is its owner's only.
process.umask(0o077);

const program = new Command();
program.name('ecrf').description('Kunming lupus nephritis eCRF (NCT01539902)').version(APP_VERSION);
registerServe(program);
registerDemo(program);
registerExport(program);
registerKeys(program);
registerSponsor(program);
registerRandomisation(program);
registerAudit(program);
registerBackup(program);
registerUsers(program);
registerCasebook(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
