// API calls for the sealed randomisation list, randomising a subject, the pharmacist's allocation table and emergency unblinding.
import { z } from 'zod';
import { dateSchema, idSchema } from './common';
import type { CallDef } from '../define';

export const allocationSchema = z.enum(['MSC', 'PLACEBO']);

export const randomisationStatusSchema = z.object({
  present: z.boolean(),
  source: z.enum(['generated', 'imported']).nullable(),
  algorithm: z.string().nullable(),
  size: z.number().int(),
  used: z.number().int(),
  remaining: z.number().int(),
  /** The list's keyed commitment (HMAC-SHA256 under the list key: tests no guess): the pharmacist only. The seed is never stored. */
  listCommitment: z.string().nullable(),
  createdAt: z.string().nullable(),
  createdBy: z.string().nullable(),
});
export type RandomisationStatus = z.infer<typeof randomisationStatusSchema>;

export const allocationRowSchema = z.object({
  randNo: z.string(),
  kitNo: z.string(),
  blockNo: z.number().int(),
  allocation: allocationSchema,
  subjectId: idSchema.nullable(),
  screeningNo: z.string().nullable(),
  assignedAt: z.string().nullable(),
});
export type AllocationRow = z.infer<typeof allocationRowSchema>;

/** The pharmacist's own password: arms come out of the vault only with a key holder's password. */
const holderPassword = z.string().min(1).max(200);

export const accessHolderSchema = z.object({
  userId: idSchema,
  username: z.string(),
  role: z.string(),
  purpose: z.enum(['pharmacist', 'emergency']),
  grantedBy: z.string(),
  grantedAt: z.string(),
});
export type AccessHolderView = z.infer<typeof accessHolderSchema>;

export const listAccessSchema = z.object({
  holders: z.array(accessHolderSchema),
  /** The sponsor key the recovery copy is encrypted to, or null (no sponsor key yet). */
  recoveryFingerprint: z.string().nullable(),
});

export const randomisationCalls = {
  'randomisation.status': {
    access: 'user',
    args: z.object({}),
    result: randomisationStatusSchema,
  },
  /** The unblinded pharmacist makes the list (or imports an independent statistician's); the seed is used once, never stored. */
  'randomisation.generateList': {
    access: ['pharmacist'],
    args: z.object({ seed: z.string().trim().min(8).max(200), size: z.number().int().min(1).max(99_990), password: holderPassword }),
    result: randomisationStatusSchema,
  },
  'randomisation.importList': {
    access: ['pharmacist'],
    args: z.object({ csv: z.string().min(1).max(5_000_000), password: holderPassword }),
    result: randomisationStatusSchema,
  },
  /** The investigator only, confirming that it cannot be undone and re-entering their own password (like a signature). */
  'randomisation.randomise': {
    access: ['investigator'],
    args: z.object({
      subjectId: idSchema,
      date: dateSchema.optional(),
      password: z.string().min(1).max(200),
      confirmIrreversible: z.literal(true),
    }),
    result: z.object({ randNo: z.string(), kitNo: z.string(), day0Date: dateSchema }),
  },
  /** The whole list with arms: a pharmacist holding a key, with their password. */
  'randomisation.allocations': {
    access: ['pharmacist'],
    args: z.object({ password: holderPassword }),
    result: z.array(allocationRowSchema),
  },
  /** Who holds a key to the list (and the sponsor recovery copy's key): for the pharmacist. */
  'randomisation.access': {
    access: ['pharmacist'],
    args: z.object({}),
    result: listAccessSchema,
  },
  /**
   * A key holder gives another pharmacist, or an investigator (emergency unblinding), a key to the list: both present,
   * the holder's password and the grantee's own password (it wraps their copy). Audited and listed in every export.
   */
  'randomisation.grantAccess': {
    access: ['pharmacist'],
    args: z.object({ password: holderPassword, granteeUsername: z.string().min(1).max(80), granteePassword: holderPassword }),
    result: listAccessSchema,
  },
  'unblinding.emergency': {
    access: ['investigator'],
    args: z.object({ subjectId: idSchema, password: z.string().min(1).max(200), reason: z.string().trim().min(5).max(1000) }),
    result: z.object({ randNo: z.string(), allocation: allocationSchema, unblindedAt: z.string() }),
  },
} satisfies Record<string, CallDef>;
