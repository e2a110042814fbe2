// API calls for reading the audit trail of one form (or one item of it), with allocation rows withheld from blinded roles.
import { z } from 'zod';
import { bilingualSchema } from '../result';
import { formKeySchema } from './forms';
import { QUERY_MESSAGE_KINDS } from './queries';
import type { CallDef } from '../define';

export const auditViewRowSchema = z.object({
  seq: z.number().int(),
  atUtc: z.string(),
  /** Ward local time (Asia/Shanghai). */
  atLocal: z.string(),
  username: z.string().nullable(),
  action: z.string(),
  itemCode: z.string().nullable(),
  itemLabel: bilingualSchema.nullable(),
  /** Values as stored (JSON text for item values); null when empty or withheld. */
  oldValue: z.string().nullable(),
  newValue: z.string().nullable(),
  reason: z.string().nullable(),
  /** For 'query' rows: the step, and whether the system took it (on a save by the row's user) rather than a person. */
  query: z.object({ step: z.enum(QUERY_MESSAGE_KINDS), system: z.boolean() }).nullable(),
  /** The reason was written by the system in both languages, '中文 / English' (auto-raised queries, an AE opened from an infusion reaction). */
  reasonBySystem: z.boolean(),
});
export type AuditViewRow = z.infer<typeof auditViewRowSchema>;

export const auditCalls = {
  'audit.forForm': {
    access: 'user',
    args: formKeySchema.extend({ itemCode: z.string().min(1).max(60).optional() }),
    result: z.object({ rows: z.array(auditViewRowSchema), withheld: z.number().int() }),
  },
} satisfies Record<string, CallDef>;
