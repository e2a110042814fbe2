// Schemas shared by several API calls: ids, codes, roles, users.
import { z } from 'zod';

export const ROLES = ['admin', 'data_entry', 'investigator', 'monitor', 'pharmacist'] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES);

export const VISIT_CODES = ['SCR', 'D0', 'D7', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'UNS', 'LOG'] as const;
export const visitCodeSchema = z.enum(VISIT_CODES);

export const FORM_CODES = [
  'CONSENT', 'DEMOG', 'MEDHX', 'BIOPSY', 'SLEDAI', 'BILAG', 'VITALS', 'LAB', 'PREG', 'ELIG', 'RAND',
  'PHARM', 'INFUSION', 'CYC', 'RESPONSE', 'EOS', 'AE', 'CONMED', 'UNBLIND',
] as const;
export const formCodeSchema = z.enum(FORM_CODES);

export const FORM_STATUSES = ['in_progress', 'complete', 'verified', 'signed', 'locked'] as const;
export const formStatusSchema = z.enum(FORM_STATUSES);

export const idSchema = z.number().int().positive();
export const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const userSchema = z.object({
  id: idSchema,
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  /** The password was set by an administrator: the user must choose their own before doing anything else. */
  mustChangePassword: z.boolean().optional(),
});
export type User = z.infer<typeof userSchema>;

export const itemValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);
export const formDataSchema = z.record(z.string(), itemValueSchema);

export const usernameSchema = z.string().trim().min(3).max(40).regex(/^[A-Za-z0-9._-]+$/);
/** The back end also refuses common passwords and one containing the username (electron/backend/auth/passwordPolicy.ts). */
export const MIN_PASSWORD_LENGTH = 12;
export const passwordSchema = z.string().min(MIN_PASSWORD_LENGTH).max(200);
