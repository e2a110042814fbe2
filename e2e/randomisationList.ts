// Prepares a sealed randomisation list on a test database with issue 5's CLI (`ecrf randomisation generate`), when this build has it.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const CLI = join(resolve(__dirname, '..'), 'dist', 'ecrf.cjs');

/** True when the list was generated; false when the CLI has no `randomisation` command yet. Throws if generation fails. */
export function prepareRandomisationList(dbFile: string, size = 12, seed = 'e2e-journey'): boolean {
  const help = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
  if (!/^\s+randomisation\b/m.test(help.stdout)) return false;
  const run = spawnSync(process.execPath, [CLI, 'randomisation', 'generate', '--db', dbFile, '--seed', seed, '--size', String(size)], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`ecrf randomisation generate failed: ${run.stderr || run.stdout}`);
  return true;
}
