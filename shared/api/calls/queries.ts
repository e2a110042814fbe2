// API calls for data queries: list (with screening number and labels), per-form threads, raise / answer / close / reopen.
import { z } from 'zod';
import { bilingualSchema } from '../result';
import { formCodeSchema, idSchema, visitCodeSchema } from './common';
import { formKeySchema } from './forms';
import type { CallDef } from '../define';

export const QUERY_STATUSES = ['open', 'answered', 'closed'] as const;
export const queryStatusSchema = z.enum(QUERY_STATUSES);
export type QueryStatus = z.infer<typeof queryStatusSchema>;

export const QUERY_MESSAGE_KINDS = ['raise', 'answer', 'close', 'reopen', 'auto_close'] as const;

export const queryMessageSchema = z.object({
  kind: z.enum(QUERY_MESSAGE_KINDS),
  text: z.string(),
  /** null for system messages (automatic raise / auto-close). */
  username: z.string().nullable(),
  atUtc: z.string(),
});

export const dataQuerySchema = z.object({
  id: idSchema,
  subjectId: idSchema,
  screeningNo: z.string(),
  visitCode: visitCodeSchema,
  formCode: formCodeSchema,
  repeatKey: z.number().int(),
  itemCode: z.string(),
  formLabel: bilingualSchema,
  itemLabel: bilingualSchema,
  origin: z.enum(['auto', 'manual']),
  checkId: z.string().nullable(),
  status: queryStatusSchema,
  /** The question: the edit check's message (auto) or the monitor's text (manual, same text in both). */
  text: bilingualSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  messages: z.array(queryMessageSchema),
});
export type DataQuery = z.infer<typeof dataQuerySchema>;

const queryTextSchema = z.string().trim().min(1).max(1000);
const queryIdArgs = z.object({ queryId: idSchema });

export const queryCalls = {
  /** Queries across the study (newest first, unresolved before closed); 'unresolved' = open or answered. */
  'queries.list': {
    access: 'user',
    args: z.object({ status: z.enum([...QUERY_STATUSES, 'unresolved']).optional(), subjectId: idSchema.optional() }),
    result: z.array(dataQuerySchema),
  },
  /** Counts of unresolved queries, for the navigation badge. */
  'queries.counts': {
    access: 'user',
    args: z.object({}),
    result: z.object({ open: z.number().int(), answered: z.number().int() }),
  },
  /** Every query (any status) of one form instance, with its thread. */
  'queries.forForm': { access: 'user', args: formKeySchema, result: z.array(dataQuerySchema) },
  /** A monitor raises a query on an item of a saved form (never on the allocation). */
  'queries.raise': {
    access: ['monitor'],
    args: formKeySchema.extend({ itemCode: z.string().min(1).max(60), text: queryTextSchema }),
    result: dataQuerySchema,
  },
  /** Site staff answer an open query. */
  'queries.answer': { access: ['data_entry', 'investigator'], args: queryIdArgs.extend({ text: queryTextSchema }), result: dataQuerySchema },
  /** The monitor closes an open or answered query (comment optional). */
  'queries.close': {
    access: ['monitor'],
    args: queryIdArgs.extend({ text: z.string().trim().max(1000).optional() }),
    result: dataQuerySchema,
  },
  /** The monitor re-opens an answered or closed query; a text saying why is required. */
  'queries.reopen': { access: ['monitor'], args: queryIdArgs.extend({ text: queryTextSchema }), result: dataQuerySchema },
} satisfies Record<string, CallDef>;
