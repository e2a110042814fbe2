// API calls for safety: the serious adverse events of the study with their 24-hour reporting clocks (amendment 1, rule 6).
import { z } from 'zod';
import { idSchema } from './common';
import type { CallDef } from '../define';

export const REPORT_STATES = ['reported', 'reported_late', 'due', 'overdue', 'unknown'] as const;
const reportStateSchema = z.enum(REPORT_STATES);

export const saeRowSchema = z.object({
  subjectId: idSchema,
  screeningNo: z.string(),
  repeatKey: z.number().int(),
  term: z.string().nullable(),
  grade: z.string().nullable(),
  onsetDate: z.string().nullable(),
  /** Ward time 'YYYY-MM-DD HH:MM'; null while awareness is not recorded. */
  awareAt: z.string().nullable(),
  dueAt: z.string().nullable(),
  reportedSponsorDate: z.string().nullable(),
  reportedEcDate: z.string().nullable(),
  sponsor: reportStateSchema,
  ethics: reportStateSchema,
  expectedness: z.string().nullable(),
  susar: z.number().int().nullable(),
});
export type SaeRow = z.infer<typeof saeRowSchema>;

export const safetyCalls = {
  /** Every serious adverse event, overdue first, with the ward's time it was read at. */
  'safety.saes': {
    access: ['investigator', 'data_entry', 'monitor', 'admin'],
    args: z.object({}),
    result: z.object({ now: z.string(), rows: z.array(saeRowSchema) }),
  },
} satisfies Record<string, CallDef>;
