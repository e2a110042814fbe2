// `ecrf demo --subjects N --db FILE`: a database filled with realistic synthetic subjects.
import type { Command } from 'commander';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { cliBackend } from '../cliBackend';
import { DEMO_PASSWORD, generateDemo } from '../../backend/demo/demoStudy';
import { prepareDemoList, randomiseForDemo } from '../../backend/demo/demoRandomise';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('fill a database with realistic synthetic subjects (for trying the app and for benchmarks)')
    .requiredOption('--db <file>', 'SQLite database file (created if missing)')
    .option('--subjects <n>', 'number of subjects to add', '25')
    .option('--seed <n>', 'seed for reproducible data', '20120215')
    .option('--today <date>', 'study date to stop at (YYYY-MM-DD)')
    .action(async (opts: { db: string; subjects: string; seed: string; today?: string }) => {
      const count = Number(opts.subjects);
      if (!Number.isInteger(count) || count < 1 || count > 100_000) throw new Error('--subjects must be a whole number from 1 to 100000');
      mkdirSync(dirname(opts.db), { recursive: true });
      const backend = cliBackend(opts.db);
      const started = Date.now();
      let lastPrint = 0;
      try {
        const result = await generateDemo(
          backend.services,
          {
            subjects: count,
            seed: Number(opts.seed),
            prepare: () => prepareDemoList(backend.services, opts.seed, count),
            ...(opts.today ? { today: opts.today } : {}),
            onProgress: (done, total) => {
              if (process.stderr.isTTY && Date.now() - lastPrint > 500) {
                lastPrint = Date.now();
                process.stderr.write(`\r${done}/${total} subjects`);
              }
            },
          },
          (subjectId, date, user) => randomiseForDemo(backend.services, subjectId, date, user),
        );
        if (process.stderr.isTTY) process.stderr.write('\n');
        console.log(
          `Added ${result.subjects} subjects (${result.forms} forms) to ${opts.db} in ${((Date.now() - started) / 1000).toFixed(1)} s.\n` +
            `Users: ${result.users.join(', ')} (password: ${DEMO_PASSWORD})`,
        );
      } finally {
        backend.close();
      }
    });
}
