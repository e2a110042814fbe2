// API calls for the form lifecycle: source data verification (monitor), e-signature (investigator), lock/unlock (admin).
import { z } from 'zod';
import { bilingualSchema } from '../result';
import { formStatusSchema, idSchema, visitCodeSchema } from './common';
import { formKeySchema } from './forms';
import type { CallDef } from '../define';

/** The fixed meaning of an investigator's signature, shown in the dialog and stored with every signature row. */
export const SIGNATURE_MEANINGS = {
  accurate_complete: {
    zh: '本人确认本病例报告表中的数据真实、准确、完整',
    en: 'I confirm that the data in this casebook are accurate and complete',
  },
} as const;
export const signatureMeaningSchema = z.enum(['accurate_complete']);

export const SIGNATURE_SCOPES = ['form', 'visit', 'casebook'] as const;

export const signatureSchema = z.object({
  scope: z.enum(SIGNATURE_SCOPES),
  username: z.string(),
  displayName: z.string(),
  meaning: bilingualSchema,
  formVersion: z.number().int().nullable(),
  signedAtUtc: z.string(),
  signedAtLocal: z.string(),
  /** True while the form is still at the version that was signed (false after a later change). */
  current: z.boolean(),
});
export type Signature = z.infer<typeof signatureSchema>;

export const formLifecycleSchema = z.object({
  exists: z.boolean(),
  status: formStatusSchema.nullable(),
  version: z.number().int(),
  /** Items that hold a value (the ones SDV covers). */
  itemsWithValue: z.array(z.string()),
  /** Labels of those items, as the form shows them. */
  itemLabels: z.record(z.string(), bilingualSchema),
  verifiedItems: z.array(z.object({ itemCode: z.string(), username: z.string(), verifiedAt: z.string() })),
  /** Open or answered queries on this form: SDV of the whole form waits for them. */
  unresolvedQueries: z.number().int(),
  /** Items with an open or answered query: they cannot be verified until it is closed. */
  queriedItems: z.array(z.string()),
  signatures: z.array(signatureSchema),
  lock: z.object({ username: z.string().nullable(), atUtc: z.string(), reason: z.string().nullable() }).nullable(),
});
export type FormLifecycle = z.infer<typeof formLifecycleSchema>;

const password = z.string().min(1).max(200);

export const signArgsSchema = z.discriminatedUnion('scope', [
  z.object({ scope: z.literal('form'), formKey: formKeySchema, password, meaning: signatureMeaningSchema }),
  z.object({ scope: z.literal('visit'), subjectId: idSchema, visitCode: visitCodeSchema, password, meaning: signatureMeaningSchema }),
  z.object({ scope: z.literal('casebook'), subjectId: idSchema, password, meaning: signatureMeaningSchema }),
]);

const reason = z.string().trim().min(1).max(500);
export const lockArgsSchema = z.discriminatedUnion('scope', [
  z.object({ scope: z.literal('form'), formKey: formKeySchema, reason }),
  z.object({ scope: z.literal('casebook'), subjectId: idSchema, reason }),
]);

export const lifecycleCalls = {
  /** Status, SDV'd items, signatures and lock of one form instance. */
  'lifecycle.forForm': { access: 'user', args: formKeySchema, result: formLifecycleSchema },
  /** The monitor verifies items of a saved form against source; the form becomes 'verified' once every item with a value is. */
  'lifecycle.verifyItems': {
    access: ['monitor'],
    args: z.object({ formKey: formKeySchema, itemCodes: z.array(z.string().min(1).max(60)).min(1).max(200) }),
    result: formLifecycleSchema,
  },
  /** The monitor withdraws SDV of items (e.g. ticked by mistake), with a reason; a verified form goes back to complete. */
  'lifecycle.unverifyItems': {
    access: ['monitor'],
    args: z.object({ formKey: formKeySchema, itemCodes: z.array(z.string().min(1).max(60)).min(1).max(200), reason }),
    result: formLifecycleSchema,
  },
  /** The monitor verifies every item of a complete form with no open or answered queries. */
  'lifecycle.verifyForm': { access: ['monitor'], args: z.object({ formKey: formKeySchema }), result: formLifecycleSchema },
  /** The investigator signs a form, a visit or the whole casebook after re-entering their password. */
  'lifecycle.sign': { access: ['investigator'], args: signArgsSchema, result: z.object({ signedForms: z.number().int() }) },
  /** The admin locks a form or a whole casebook (no more saves) with a reason. */
  'lifecycle.lock': { access: ['admin'], args: lockArgsSchema, result: z.object({ forms: z.number().int() }) },
  /** The admin unlocks; each form returns to the status it had before the lock. */
  'lifecycle.unlock': { access: ['admin'], args: lockArgsSchema, result: z.object({ forms: z.number().int() }) },
} satisfies Record<string, CallDef>;
