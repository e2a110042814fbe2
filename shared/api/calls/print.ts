// API call for the paper trail: one subject's casebook as the PDF prints it (values, statuses, SDV, signatures and the
// audit trail), always as a blinded reader sees it (the site file is blinded whoever prints it).
import { z } from 'zod';
import { dateSchema, formCodeSchema, formDataSchema, formStatusSchema, idSchema, visitCodeSchema } from './common';
import { SUBJECT_STATUSES } from '../../protocol/subjectStatus';
import type { CallDef } from '../define';

export const printSignatureSchema = z.object({
  scope: z.enum(['form', 'visit', 'casebook']),
  visitCode: visitCodeSchema.nullable(),
  formCode: formCodeSchema.nullable(),
  repeatKey: z.number().int().nullable(),
  formVersion: z.number().int().nullable(),
  username: z.string(),
  displayName: z.string(),
  meaningZh: z.string(),
  meaningEn: z.string(),
  signedAtLocal: z.string(),
});

export const casebookPrintSchema = z.object({
  generatedAtLocal: z.string(),
  /** Who asked for it ('local operator' for the command line). */
  generatedBy: z.string(),
  subject: z.object({
    id: idSchema,
    screeningNo: z.string(),
    randNo: z.string().nullable(),
    kitNo: z.string().nullable(),
    status: z.enum(SUBJECT_STATUSES),
    statusDate: dateSchema.nullable(),
    statusReason: z.string().nullable(),
    statusNote: z.string().nullable(),
    createdAtUtc: z.string(),
  }),
  forms: z.array(
    z.object({
      visitCode: visitCodeSchema,
      formCode: formCodeSchema,
      repeatKey: z.number().int(),
      status: formStatusSchema,
      version: z.number().int(),
      updatedAtLocal: z.string(),
      updatedBy: z.string(),
      /** Values as a blinded reader sees them (items hidden from blinded roles left out). */
      data: formDataSchema,
      verifiedItems: z.array(z.string()),
      openQueries: z.number().int(),
    }),
  ),
  signatures: z.array(printSignatureSchema),
  audit: z.array(
    z.object({
      atLocal: z.string(),
      username: z.string().nullable(),
      action: z.string(),
      visitCode: z.string().nullable(),
      formCode: z.string().nullable(),
      repeatKey: z.number().int().nullable(),
      itemCode: z.string().nullable(),
      oldValue: z.string().nullable(),
      newValue: z.string().nullable(),
      reason: z.string().nullable(),
    }),
  ),
  /** Audit rows left out because they would reveal the allocation. */
  withheld: z.number().int(),
});
export type CasebookPrint = z.infer<typeof casebookPrintSchema>;

export const printCalls = {
  /** Everyone who reads the casebook may print it; what is printed is the blinded view. */
  'print.casebook': { access: 'user', args: z.object({ subjectId: idSchema }), result: casebookPrintSchema },
} satisfies Record<string, CallDef>;
