// Which audit rows a sponsor bundle redacts (old/new value and details nulled, the row hash kept so the chain still
// links): randomisation and unblinding events, and rows of withheld forms or items (the allocation, the UNBLIND form).
// The same rule as auditJsonlSql in export/exportFiles.ts. Such a row gets a random nonce in its details, inside
// what the hash covers, so its exported hash cannot be used to test a guess of what was redacted (a seed, a list,
// MSC or PLACEBO).
import { randomBytes } from 'node:crypto';
import { withheldForms, withheldItems } from '../export/studyDefinition';

const REDACTED_ACTIONS = new Set(['randomisation', 'unblinding']);
let forms: Set<string> | null = null;
let items: Map<string, Set<string>> | null = null;

export function isRedactedOnExport(row: { action: string; formCode?: string | null; itemCode?: string | null }): boolean {
  if (REDACTED_ACTIONS.has(row.action)) return true;
  if (!row.formCode) return false;
  forms ??= new Set(withheldForms());
  items ??= withheldItems();
  if (forms.has(row.formCode)) return true;
  return Boolean(row.itemCode && items.get(row.formCode)?.has(row.itemCode));
}

/** 128 random bits, hex: what makes a redacted row's hash useless for testing guesses. */
export const redactionNonce = (): string => randomBytes(16).toString('hex');
