// API calls for subjects: create with a generated screening number, list with per-visit status, get one.
import { z } from 'zod';
import { VISIT_STATUS_STRING } from '../../protocol/subjectListCodec';
import { dateSchema, formStatusSchema, idSchema, visitCodeSchema } from './common';
import type { CallDef } from '../define';

import { ALL_STATUS_REASONS, STATUS_CHANGES, SUBJECT_STATUSES } from '../../protocol/subjectStatus';

export { SUBJECT_STATUSES };

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
  /** Emergency-unblinded (an UNBLIND form exists): that it happened, never the arm. */
  unblinded: z.boolean(),
  /** The date, reason code and note of the last recorded status change (screen failure, withdrawal, …). */
  statusChange: z.object({ date: dateSchema, reason: z.string(), note: z.string().nullable() }).nullable(),
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
  /** Present (true) only for an emergency-unblinded subject: that it happened, never the arm; absent keeps rows small. */
  unblinded: z.literal(true).optional(),
});
export type SubjectListRow = z.infer<typeof subjectListRowSchema>;

/** Which state of the study a list reflects: the audit trail's last row (seq 0 / null on an empty trail). */
export const subjectListVersionSchema = z.object({ seq: z.number().int().nonnegative(), hash: z.string().max(128).nullable() });
export type SubjectListVersion = z.infer<typeof subjectListVersionSchema>;

/**
 * The subject list with the server's local date, which the next due visit and "overdue" are reckoned from.
 * complete: rows is the whole (or searched) list. Not complete: the caller sent `since` (the version of a whole list
 * it holds) and rows are only the subjects changed after it, to replace or add by id (mergeListRows); count is the
 * number of subjects the merged list must have. version is what to send as `since` next time (null for a search).
 */
export const subjectListSchema = z.object({
  today: dateSchema,
  version: subjectListVersionSchema.nullable(),
  complete: z.boolean(),
  count: z.number().int().nonnegative(),
  rows: z.array(subjectListRowSchema),
});
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
    args: z.object({ search: z.string().max(40).optional(), since: subjectListVersionSchema.optional() }),
    result: subjectListSchema,
  },
  /** Screen failure, withdrawal, completion or created in error; role and status rules in shared/protocol/subjectStatus.ts. */
  'subjects.changeStatus': {
    access: ['admin', 'data_entry', 'investigator'],
    args: z.object({
      subjectId: idSchema,
      to: z.enum(STATUS_CHANGES),
      date: dateSchema,
      reason: z.enum(ALL_STATUS_REASONS),
      note: z.string().trim().max(500).optional(),
    }),
    result: subjectSummarySchema,
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
