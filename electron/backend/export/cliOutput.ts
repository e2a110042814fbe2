// How the export/keys/sponsor CLI commands report: bilingual errors on stderr and exit code 1, never a stack trace.
import { userInfo } from 'node:os';
import { AppError } from '../errors';

export async function runCommand(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (error instanceof AppError) {
      process.stderr.write(`${error.bilingual.zh}\n${error.bilingual.en}\n`);
    } else {
      process.stderr.write(`错误 / Error: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    process.exitCode = 1;
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
