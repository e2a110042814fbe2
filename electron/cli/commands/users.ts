// `ecrf users list|unlock|reset-password --db FILE`: user accounts from the command line, for recovery when no
// administrator can log in (e.g. the only admin locked out after 5 wrong passwords). Changes are audited as the local operator.
import type { Command } from 'commander';
import { passwordSchema } from '../../../shared/api/calls/common';
import type { UserAccount } from '../../../shared/api/calls/users';
import { createBackend } from '../../backend/backend';
import { AppError } from '../../backend/errors';
import { defaultDbFile } from '../dataDir';
import { APP_VERSION } from '../version';

/** Runs one account operation on the database file; returns the lines to print and the exit code (0 done, 1 refused). */
export async function usersCommand(
  dbFile: string,
  op: { kind: 'list' } | { kind: 'unlock'; username: string } | { kind: 'reset-password'; username: string; password: string },
): Promise<{ lines: string[]; exitCode: number }> {
  const backend = createBackend({ dbFile, transport: 'browser', appVersion: APP_VERSION });
  const row = (a: UserAccount) =>
    `${a.username.padEnd(24)} ${a.role.padEnd(13)} ${a.active ? 'active' : 'DEACTIVATED'}${a.locked ? ', LOCKED' : ''}  ${a.displayName}`;
  try {
    const admin = backend.services.userAdmin;
    switch (op.kind) {
      case 'list': {
        const all = admin.operatorList();
        return { lines: all.length ? all.map(row) : ['(no users yet: start the app to create the administrator)'], exitCode: 0 };
      }
      case 'unlock':
        return { lines: [`unlocked: ${row(admin.operatorUnlock(op.username))}`], exitCode: 0 };
      case 'reset-password': {
        const parsed = passwordSchema.safeParse(op.password);
        if (!parsed.success) return { lines: ['refused: the new password needs at least 12 characters / 新密码至少 12 个字符'], exitCode: 1 };
        return { lines: [`password reset: ${row(await admin.operatorResetPassword(op.username, parsed.data))}`], exitCode: 0 };
      }
    }
  } catch (e) {
    if (e instanceof AppError) return { lines: [`refused: ${e.bilingual.en} / ${e.bilingual.zh}`], exitCode: 1 };
    throw e;
  } finally {
    backend.close();
  }
}

/** The first line of standard input (a password piped in, never an argument that other users could see). */
export async function readStdinLine(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.split(/\r?\n/)[0] ?? '';
}

export function registerUsers(program: Command): void {
  const users = program.command('users').description('user accounts: list, unlock, reset a password (local recovery) / 用户账户');
  const print = (r: { lines: string[]; exitCode: number }) => {
    for (const line of r.lines) (r.exitCode === 0 ? console.log : console.error)(line);
    process.exitCode = r.exitCode;
  };
  users
    .command('list')
    .description('list accounts with role and state')
    .option('--db <file>', 'SQLite database file', defaultDbFile())
    .action(async (opts: { db: string }) => print(await usersCommand(opts.db, { kind: 'list' })));
  users
    .command('unlock <username>')
    .description('clear a lockout after 5 wrong passwords (and reactivate), audited as the local operator')
    .option('--db <file>', 'SQLite database file', defaultDbFile())
    .action(async (username: string, opts: { db: string }) => print(await usersCommand(opts.db, { kind: 'unlock', username })));
  users
    .command('reset-password <username>')
    .description('set a new password read from the first line of stdin (e.g. echo … | ecrf users reset-password chief)')
    .option('--db <file>', 'SQLite database file', defaultDbFile())
    .action(async (username: string, opts: { db: string }) =>
      print(await usersCommand(opts.db, { kind: 'reset-password', username, password: await readStdinLine() })),
    );
}
