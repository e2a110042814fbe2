// Types for implementing a group of contract calls: one handler per call, typed from its zod schemas.
import type { z } from 'zod';
import type { User } from '../../../shared/api/calls/common';
import type { CallDef } from '../../../shared/api/define';
import type { Services } from '../backend';
import { fail } from '../errors';

export interface CallContext {
  sessionKey: string;
  /** The logged-in user; null only for 'public' calls. */
  user: User | null;
}

export type HandlersFor<Calls extends Record<string, CallDef>> = {
  [K in keyof Calls]: (
    args: z.output<Calls[K]['args']>,
    ctx: CallContext,
    services: Services,
  ) => z.input<Calls[K]['result']> | Promise<z.input<Calls[K]['result']>>;
};

/** The caller of a non-public call (dispatch has already checked the session and role). */
export function requireUser(ctx: CallContext): User {
  return ctx.user ?? fail('UNAUTHENTICATED', '请先登录', 'Please log in');
}
