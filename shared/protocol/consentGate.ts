// Consent gate: nothing but the CONSENT form may be saved for a subject before a valid consent date is on file.
import type { Bilingual, FormCode, FormContext } from './types';
import { isIsoDate } from '../rules/dates';
import { VALIDATION_MESSAGES } from '../i18n/validation';

export interface ConsentGateResult {
  allowed: boolean;
  checkId?: string;
  reason?: Bilingual;
}

/**
 * Whether `formCode` may be saved at all for this subject: CONSENT always; every other form only once the
 * subject's consent date is known (ctx.subject.consentDate). Dates earlier than consent are a separate check
 * (<FORM>.<field>.beforeConsent in editChecks).
 */
export function consentGate(formCode: FormCode, ctx: FormContext): ConsentGateResult {
  if (formCode === 'CONSENT') return { allowed: true };
  if (isIsoDate(ctx?.subject?.consentDate)) return { allowed: true };
  return { allowed: false, checkId: `${formCode}.consentGate`, reason: VALIDATION_MESSAGES.consentRequired() };
}
