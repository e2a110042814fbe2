// API calls for the clinical panels: the subject's saved casebook with every allocation-revealing item removed.
import { z } from 'zod';
import { formCodeSchema, formDataSchema, idSchema, visitCodeSchema } from './common';
import type { CallDef } from '../define';

export const blindedCasebookFormSchema = z.object({
  visitCode: visitCodeSchema,
  formCode: formCodeSchema,
  repeatKey: z.number().int(),
  data: formDataSchema,
  /** When the form was last saved (UTC ISO), e.g. to tell whether data changed after a confirmation. */
  updatedAt: z.string(),
});

export const clinicalCalls = {
  /** Every saved form of the subject (values as stored), without unblinded-only items and without UNBLIND forms. */
  'clinical.casebook': {
    access: 'user',
    args: z.object({ subjectId: idSchema }),
    result: z.array(blindedCasebookFormSchema),
  },
} satisfies Record<string, CallDef>;
