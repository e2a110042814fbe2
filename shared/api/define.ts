// The shape of one API call in the contract: who may call it and zod schemas for arguments and result.
import type { z } from 'zod';
import type { Role } from './calls/common';

/** 'public': no login needed; 'user': any logged-in user; or the list of roles allowed. */
export type Access = 'public' | 'user' | readonly Role[];

export interface CallDef {
  access: Access;
  args: z.ZodType;
  result: z.ZodType;
}
