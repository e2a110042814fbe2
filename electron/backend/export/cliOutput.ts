// How the export/keys/sponsor CLI commands report: bilingual errors on stderr and a non-zero exit (1, or the error's
// own code, e.g. the sponsor import's refusal kinds), never a stack trace, and never exit 0 for a command that did not
// finish (a stream that never settles empties the event loop: that is reported as an error, not as success).
import { userInfo } from 'node:os';
import { AppError } from '../errors';

export async function runCommand(body: () => Promise<void>): Promise<void> {
  let settled = false;
  const unfinished = () => {
    if (settled) return;
    process.stderr.write('错误：命令未完成就停止了（内部错误），未做任何更改 / Error: the command stopped before it finished (internal error); nothing was changed\n');
    process.exitCode = 70;
  };
  process.once('beforeExit', unfinished);
  try {
    await body();
  } catch (error) {
    if (error instanceof AppError) {
      process.stderr.write(`${error.bilingual.zh}\n${error.bilingual.en}\n`);
    } else {
      process.stderr.write(`错误 / Error: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    const own = (error as { exitCode?: unknown }).exitCode;
    process.exitCode = typeof own === 'number' && own > 0 ? own : 1;
  } finally {
    settled = true;
    process.removeListener('beforeExit', unfinished);
  }
}

/** The OS account running the CLI, for the audit trail ("cli:<name>"). */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}
