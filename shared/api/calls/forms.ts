// API calls for form data: read a form instance, save it (validated by the back end), drafts.
import { z } from 'zod';
import { issueSchema } from '../result';
import { formCodeSchema, formDataSchema, formStatusSchema, idSchema, visitCodeSchema } from './common';
import type { CallDef } from '../define';

export const formKeySchema = z.object({
  subjectId: idSchema,
  visitCode: visitCodeSchema,
  formCode: formCodeSchema,
  repeatKey: z.number().int().min(0).max(10_000).default(0),
});

export const formInstanceSchema = z.object({
  exists: z.boolean(),
  status: formStatusSchema.nullable(),
  version: z.number().int(),
  data: formDataSchema,
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
  draft: z.object({ data: formDataSchema, savedAt: z.string() }).nullable(),
  /**
   * Opened by the system (an AE from an infusion reaction) and never saved by a person: the first person's save
   * completes it without a reason for change.
   */
  openedBySystem: z.boolean().optional(),
});
export type FormInstance = z.infer<typeof formInstanceSchema>;

export const formCalls = {
  'forms.get': { access: 'user', args: formKeySchema, result: formInstanceSchema },
  'forms.save': {
    // The pharmacist saves the pharmacy's PHARM form only; FormService checks each form's and item's roles.
    access: ['data_entry', 'investigator', 'admin', 'pharmacist'],
    args: formKeySchema.extend({
      data: formDataSchema,
      /** Required for any change after the first save. */
      reason: z.string().trim().max(500).optional(),
      /** The version the user edited; a save against an older version is refused (CONFLICT). */
      expectedVersion: z.number().int().min(0),
      markComplete: z.boolean().default(true),
    }),
    result: z.object({
      version: z.number().int(),
      status: formStatusSchema,
      changedItems: z.number().int(),
      warnings: z.array(issueSchema),
      /** The form was verified or signed and this save changed its data: back to complete, SDV / signature needed again. */
      statusReset: z.enum(['verified', 'signed']).nullable(),
    }),
  },
  'drafts.save': {
    access: ['data_entry', 'investigator', 'admin', 'pharmacist'],
    args: formKeySchema.extend({ data: formDataSchema }),
    result: z.object({ savedAt: z.string() }),
  },
  'drafts.discard': { access: 'user', args: formKeySchema, result: z.null() },
} satisfies Record<string, CallDef>;
