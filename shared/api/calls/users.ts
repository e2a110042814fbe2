// API calls for user administration by the admin (list, create, edit, deactivate, unlock, reset password) and own password change.
import { z } from 'zod';
import { idSchema, passwordSchema, roleSchema, userSchema, usernameSchema } from './common';
import type { CallDef } from '../define';

export const userAccountSchema = userSchema.extend({
  /** Locked out after 5 wrong passwords until an admin unlocks. */
  locked: z.boolean(),
  /** Deactivated accounts cannot log in; their audit history stays. */
  active: z.boolean(),
  failedAttempts: z.number().int(),
  createdAt: z.string(),
  passwordChangedAt: z.string(),
});
export type UserAccount = z.infer<typeof userAccountSchema>;

const displayNameSchema = z.string().trim().min(1).max(80);
const userIdArgs = z.object({ userId: idSchema });

export const userCalls = {
  'users.list': { access: ['admin'], args: z.object({}), result: z.array(userAccountSchema) },
  'users.create': {
    access: ['admin'],
    args: z.object({ username: usernameSchema, displayName: displayNameSchema, password: passwordSchema, role: roleSchema }),
    result: userAccountSchema,
  },
  /** Changes the display name and/or role; a role change ends the user's open sessions. */
  'users.update': {
    access: ['admin'],
    args: userIdArgs.extend({ displayName: displayNameSchema.optional(), role: roleSchema.optional() }),
    result: userAccountSchema,
  },
  /** Deactivation ends the user's open sessions at once; the last active admin cannot be deactivated. */
  'users.deactivate': { access: ['admin'], args: userIdArgs, result: userAccountSchema },
  'users.reactivate': { access: ['admin'], args: userIdArgs, result: userAccountSchema },
  /** Clears a lockout after 5 wrong passwords. */
  'users.unlock': { access: ['admin'], args: userIdArgs, result: userAccountSchema },
  /** Sets a new password chosen by the admin (also clears a lockout). */
  'users.resetPassword': { access: ['admin'], args: userIdArgs.extend({ newPassword: passwordSchema }), result: userAccountSchema },
  /** Any logged-in user changes their own password, confirming the old one. */
  'users.changeOwnPassword': {
    access: 'user',
    args: z.object({ oldPassword: z.string().min(1).max(200), newPassword: passwordSchema }),
    result: z.null(),
  },
} satisfies Record<string, CallDef>;
