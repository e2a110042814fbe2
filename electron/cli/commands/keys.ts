// `ecrf keys`: install the sponsor's public key (shown by fingerprint) and print the site's public key.
import type { Command } from 'commander';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { isPlaintextDatabase, keyFilePath } from '../../backend/db/encryption';
import { createBackend } from '../../backend/backend';
import { cliActor, runCommand } from '../../backend/export/cliOutput';
import { defaultDbFile } from '../dataDir';
import { APP_VERSION } from '../version';

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('OpenPGP keys for sponsor bundles / 申办方数据包密钥');
  keys
    .command('sponsor-install')
    .description("install the sponsor's public key (ASCII armored); bundles are encrypted to it")
    .option('--db <file>', 'SQLite database file', defaultDbFile())
    .argument('<pub>', "the sponsor's public key file (.asc)")
    .action((pub: string, opts: { db: string }) =>
      runCommand(async () => {
        const backend = createBackend({ dbFile: opts.db, transport: 'browser', appVersion: APP_VERSION });
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
    .command('where')
    .description('where the database key is kept (browser mode and the command line: a key file readable by its owner only)')
    .option('--db <file>', 'SQLite database file', defaultDbFile())
    .action((opts: { db: string }) => {
      const r = keyLocation(opts.db);
      process.stdout.write(`${r.lines.join('\n')}\n`);
      process.exitCode = r.exitCode;
    });
  keys
    .command('site-public')
    .description("print the site's public key (created on first use) for the sponsor to trust")
    .option('--db <file>', 'SQLite database file', defaultDbFile())
    .option('--fingerprint', 'print only the fingerprint')
    .action((opts: { db: string; fingerprint?: boolean }) =>
      runCommand(async () => {
        const backend = createBackend({ dbFile: opts.db, transport: 'browser', appVersion: APP_VERSION });
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

/** What `ecrf keys where` prints: the key file of the database, its mode, and whether the database is encrypted yet. */
export function keyLocation(dbFile: string): { lines: string[]; exitCode: number } {
  const db = resolve(dbFile);
  const key = keyFilePath(db);
  const lines = [`database / 数据库:      ${db}`, `key file / 密钥文件:   ${key}`];
  if (!existsSync(key)) {
    lines.push(
      existsSync(db) && !isPlaintextDatabase(db)
        ? 'state: the key file is missing: the database cannot be opened here (the desktop app keeps its key in the OS keystore) / 缺少密钥文件'
        : 'state: no key yet: it is made (mode 0600) the first time the database is opened / 首次打开数据库时生成',
    );
    return { lines, exitCode: existsSync(db) && !isPlaintextDatabase(db) ? 1 : 0 };
  }
  const mode = (statSync(key).mode & 0o777).toString(8).padStart(3, '0');
  lines.push(`mode / 权限:           ${mode}${mode === '600' ? ' (owner only / 仅所有者可读写)' : ' (TOO OPEN: run chmod 600 / 权限过宽)'}`);
  lines.push(
    `database / 数据库状态:  ${!existsSync(db) ? 'not created yet' : isPlaintextDatabase(db) ? 'PLAINTEXT: encrypted at the next open / 下次打开时加密' : 'encrypted (SQLCipher 4, AES-256) / 已加密'}`,
  );
  lines.push('Keep this file off backups and USB sticks: with it, a copy of the database can be read. / 请勿将密钥文件与备份或 U 盘放在一起。');
  return { lines, exitCode: mode === '600' ? 0 : 1 };
}
