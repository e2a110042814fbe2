// API calls for subjects: create with a generated screening number, list with per-visit status, get one.
import { z } from 'zod';
import { VISIT_STATUS_STRING } from '../../protocol/subjectListCodec';
import { dateSchema, formStatusSchema, idSchema, visitCodeSchema } from './common';
import type { CallDef } from '../define';

export const SUBJECT_STATUSES = ['screening', 'screen_failed', 'randomised', 'completed', 'withdrawn'] as const;

/** Status of a visit as the subject list shows it. */
export const VISIT_STATUSES = ['not_started', 'in_progress', 'complete', 'queried', 'verified', 'signed', 'locked'] as const;
export const visitStatusSchema = z.enum(VISIT_STATUSES);

export const subjectSummarySchema = z.object({
  id: idSchema,
  screeningNo: z.string(),
  randNo: z.string().nullable(),
  kitNo: z.string().nullable(),
  status: z.enum(SUBJECT_STATUSES),
  createdAt: z.string(),
  visits: z.array(z.object({ visitCode: visitCodeSchema, status: visitStatusSchema })),
  nextVisit: z
    .object({ visitCode: visitCodeSchema, targetDate: dateSchema, from: dateSchema, to: dateSchema, overdue: z.boolean() })
    .nullable(),
});
export type SubjectSummary = z.infer<typeof subjectSummarySchema>;

/**
 * One subject-list row, compact because the list carries the whole study (10,000 rows must arrive, be checked and
 * parsed in well under half a second): only what the list screen shows or searches. The next due visit is derived
 * on screen from day0 and the visit statuses with the same rule the server uses (listRowNextVisit).
 */
export const subjectListRowSchema = z.object({
  id: idSchema,
  screeningNo: z.string(),
  randNo: z.string().nullable(),
  status: z.enum(SUBJECT_STATUSES),
  /** One letter per scheduled visit in SCHEDULED_VISIT_CODES order (VISIT_STATUS_LETTER), e.g. "CCPNNNNNN". */
  visits: z.string().regex(VISIT_STATUS_STRING),
  /** Day 0 (randomisation) date, null before it is recorded. */
  day0: dateSchema.nullable(),
});
export type SubjectListRow = z.infer<typeof subjectListRowSchema>;

/** The subject list with the server's local date, which the next due visit and "overdue" are reckoned from. */
export const subjectListSchema = z.object({ today: dateSchema, rows: z.array(subjectListRowSchema) });
export type SubjectList = z.infer<typeof subjectListSchema>;

export const formSummarySchema = z.object({
  visitCode: visitCodeSchema,
  formCode: z.string(),
  repeatKey: z.number().int(),
  status: formStatusSchema,
  version: z.number().int(),
  updatedAt: z.string(),
});

export const subjectCalls = {
  'subjects.create': {
    access: ['admin', 'data_entry', 'investigator'],
    args: z.object({}),
    result: subjectSummarySchema,
  },
  'subjects.list': {
    access: 'user',
    args: z.object({ search: z.string().max(40).optional() }),
    result: subjectListSchema,
  },
  'subjects.get': {
    access: 'user',
    args: z.object({ subjectId: idSchema }),
    result: z.object({
      subject: subjectSummarySchema,
      visitDates: z.array(z.object({ visitCode: visitCodeSchema, visitDate: dateSchema.nullable() })),
      forms: z.array(formSummarySchema),
    }),
  },
} satisfies Record<string, CallDef>;
