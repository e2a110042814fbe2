// Whether the investigator's eligibility confirmation predates a later change to any screening form (then it must be renewed).
import type { CasebookForm } from '../../../shared/protocol/types';

export type TimedCasebookForm = CasebookForm & { updatedAt?: string };

/** The screening forms saved after the ELIG confirmation (empty when the confirmation is current or absent). */
export function formsChangedAfterConfirmation(casebook: TimedCasebookForm[]): TimedCasebookForm[] {
  const elig = casebook.find((f) => f.formCode === 'ELIG' && f.visitCode === 'SCR');
  if (!elig || elig.data.confirmed !== true || !elig.updatedAt) return [];
  const at = elig.updatedAt;
  return casebook.filter((f) => f.visitCode === 'SCR' && f.formCode !== 'ELIG' && typeof f.updatedAt === 'string' && f.updatedAt > at);
}
