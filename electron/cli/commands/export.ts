// `ecrf export`: write a signed, encrypted sponsor bundle (full or changes since the last export) into a folder.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { cliBackend } from '../cliBackend';
import { cliActor, runCommand } from '../../backend/export/cliOutput';
import { defaultDbFile } from '../dataDir';

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('write a signed, encrypted sponsor bundle (.tar.gpg) / 导出加密签名的申办方数据包')
    .option('--db <file>', 'SQLite database file', defaultDbFile())
    .requiredOption('--out <dir>', 'destination folder (e.g. the USB stick)')
    .option('--since-last', 'only the changes since the last export (default: full)')
    .option('--sponsor-key <pub>', 'encrypt to this public key instead of the installed sponsor key')
    .option('--json', 'print the result as one JSON line')
    .action((opts: { db: string; out: string; sinceLast?: boolean; sponsorKey?: string; json?: boolean }) =>
      runCommand(async () => {
        const backend = cliBackend(opts.db);
        // Ctrl+C or a kill: the sealed work folder and the unrecorded .partial on the stick go with the process.
        const interrupted = (signal: NodeJS.Signals) => {
          backend.services.exports.abandonInFlight();
          process.stderr.write(`\n导出已中断，未写入数据包 / export interrupted (${signal}); no bundle was written\n`);
          process.exit(130);
        };
        process.once('SIGINT', interrupted);
        process.once('SIGTERM', interrupted);
        try {
          let lastPct = -1;
          const r = await backend.services.exports.create(
            {
              scope: opts.sinceLast ? 'changes' : 'full',
              outDir: opts.out,
              cliActor: cliActor(),
              ...(opts.sponsorKey ? { sponsorKeyArmored: readFileSync(opts.sponsorKey, 'utf8') } : {}),
              onProgress: (p) => {
                if (opts.json || !process.stderr.isTTY) return;
                const pct = p.total ? Math.floor((100 * p.done) / p.total) : 0;
                if (pct !== lastPct) process.stderr.write(`\r${p.phase} ${pct}%   `);
                lastPct = pct;
              },
            },
            null,
          );
          if (opts.json) {
            console.log(JSON.stringify(r));
          } else {
            console.log(
              `数据包已写入 / bundle written: ${r.path}\n  sequence: ${r.sequence} (${r.scope})\n  sha256:   ${r.sha256}\n` +
                `  subjects ${r.counts.subjects}, forms ${r.counts.forms}, items ${r.counts.items}, audit rows ${r.counts.auditRows}` +
                (r.test ? `\n  测试导出（加密给另一把密钥）：未占用序号 / TEST export (to another key): no sequence number taken; the next bundle is still ${r.sequence}` : ''),
            );
          }
        } finally {
          backend.close();
        }
      }),
    );
}
