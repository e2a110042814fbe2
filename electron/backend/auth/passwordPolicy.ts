// The password policy every new password passes (first-run admin, new account, reset, own change, command line):
// at least 12 characters, not one of the ~49,000 common passwords of zxcvbn-ts's maintained list, not the username.
import { dictionary } from '@zxcvbn-ts/language-common';
import { MIN_PASSWORD_LENGTH } from '../../../shared/api/calls/common';
import { fail } from '../errors';

let common: Set<string> | null = null;
const commonPasswords = () => (common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase())));

export type PasswordProblem = 'too_short' | 'common' | 'username';

/** Why a password is refused, or null when it passes. */
export function passwordProblem(password: string, username?: string): PasswordProblem | null {
  const normalised = password.normalize('NFKC');
  if ([...normalised].length < MIN_PASSWORD_LENGTH) return 'too_short';
  const lower = normalised.toLowerCase();
  if (commonPasswords().has(lower)) return 'common';
  if (username && lower.includes(username.toLowerCase())) return 'username';
  return null;
}

/** Throws a bilingual VALIDATION error for a password the policy refuses. */
export function checkPasswordPolicy(password: string, username?: string): void {
  switch (passwordProblem(password, username)) {
    case null:
      return;
    case 'too_short':
      return fail('VALIDATION', `密码至少 ${MIN_PASSWORD_LENGTH} 个字符`, `The password needs at least ${MIN_PASSWORD_LENGTH} characters`);
    case 'common':
      return fail('VALIDATION', '该密码属于常见密码，很容易被猜中，请换一个', 'This is a common password that is easily guessed; choose another');
    case 'username':
      return fail('VALIDATION', '密码不能包含用户名', 'The password must not contain the username');
  }
}
