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
  /** SHA-256 of the list: the pharmacist only (a short list could be guessed from it); null for others. The seed is never stored. */
  listSha256: z.string().nullable(),
  createdAt: z.string().nullable(),
  createdBy: z.string().nullable(),
  /** Counts by arm: the unblinded pharmacist only; null for blinded roles. */
  byArm: z.object({ msc: z.number().int(), placebo: z.number().int(), usedMsc: z.number().int(), usedPlacebo: z.number().int() }).nullable(),
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

export const randomisationCalls = {
  'randomisation.status': {
    access: 'user',
    args: z.object({}),
    result: randomisationStatusSchema,
  },
  /** The unblinded pharmacist makes the list (or imports an independent statistician's); the seed is used once, never stored. */
  'randomisation.generateList': {
    access: ['pharmacist'],
    args: z.object({ seed: z.string().trim().min(8).max(200), size: z.number().int().min(1).max(99_990) }),
    result: randomisationStatusSchema,
  },
  'randomisation.importList': {
    access: ['pharmacist'],
    args: z.object({ csv: z.string().min(1).max(5_000_000) }),
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
  'randomisation.allocations': {
    access: ['pharmacist'],
    args: z.object({}),
    result: z.array(allocationRowSchema),
  },
  'unblinding.emergency': {
    access: ['investigator'],
    args: z.object({ subjectId: idSchema, password: z.string().min(1).max(200), reason: z.string().trim().min(5).max(1000) }),
    result: z.object({ randNo: z.string(), allocation: allocationSchema, unblindedAt: z.string() }),
  },
} satisfies Record<string, CallDef>;
