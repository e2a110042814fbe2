// The envelope every API call returns on both transports, and the typed error codes.
import { z } from 'zod';

export const ERROR_CODES = [
  'BAD_REQUEST',
  'VALIDATION',
  'UNAUTHENTICATED',
  'SESSION_LOCKED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'LOCKED_OUT',
  'CONSENT_REQUIRED',
  'REASON_REQUIRED',
  /** Re-entered password (e-signature, unblinding) was wrong; the session stays open. */
  'REAUTH_FAILED',
  /** The password was set by an administrator: the user must choose their own first (users.changeOwnPassword). */
  'PASSWORD_CHANGE_REQUIRED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const bilingualSchema = z.object({ zh: z.string(), en: z.string() });

export const issueSchema = z.object({
  checkId: z.string(),
  fieldId: z.string(),
  severity: z.enum(['error', 'warning']),
  message: bilingualSchema,
});

export const apiErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: bilingualSchema,
  issues: z.array(issueSchema).optional(),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };
