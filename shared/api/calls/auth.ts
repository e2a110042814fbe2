// API calls for first-run setup, login and the current session.
import { z } from 'zod';
import { passwordSchema, userSchema, usernameSchema } from './common';
import type { CallDef } from '../define';

/**
 * Where the database key is kept: the OS keystore through Electron safeStorage; Linux's weak 'basic_text' fallback
 * (no keyring: the key is only obfuscated, the administrator is told); a key file readable by its owner only
 * (browser mode, the command line).
 */
export const KEY_STORAGES = ['os-keystore', 'weak-os-keystore', 'key-file'] as const;
export type KeyStorage = (typeof KEY_STORAGES)[number];

export const authCalls = {
  'app.info': {
    access: 'public',
    args: z.object({}),
    result: z.object({
      appVersion: z.string(),
      protocolVersion: z.string(),
      transport: z.enum(['electron', 'browser']),
      needsSetup: z.boolean(),
      site: z.string(),
      keyStorage: z.enum(KEY_STORAGES),
    }),
  },
  'auth.setupAdmin': {
    access: 'public',
    args: z.object({
      username: usernameSchema,
      displayName: z.string().trim().min(1).max(80),
      password: passwordSchema,
    }),
    result: userSchema,
  },
  'auth.login': {
    access: 'public',
    args: z.object({ username: z.string().min(1).max(80), password: z.string().min(1).max(200) }),
    result: userSchema,
  },
  'auth.logout': { access: 'public', args: z.object({}), result: z.null() },
  'auth.me': { access: 'public', args: z.object({}), result: userSchema.nullable() },
} satisfies Record<string, CallDef>;
