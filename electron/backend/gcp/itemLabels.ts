// Bilingual labels for a form and one of its items (field or derived value), as queries and the audit view show them.
import { FORMS, isFormCode } from '../../../shared/protocol/study';
import { isBlindedItem } from '../../../shared/protocol/blindedItems';
import type { Bilingual } from '../../../shared/protocol/types';
import { fieldOfMissingItem, missingItemLabel } from '../../../shared/protocol/missingValues';

export function formLabel(formCode: string): Bilingual {
  return isFormCode(formCode) ? FORMS[formCode].label : { zh: formCode, en: formCode };
}

/**
 * The field's or derived value's label ('24 小时尿蛋白（缺失原因）' for a missing-value reason item); the code itself in
 * both languages when the form does not define it.
 */
export function itemLabel(formCode: string, itemCode: string): Bilingual {
  if (!isFormCode(formCode)) return { zh: itemCode, en: itemCode };
  const def = FORMS[formCode];
  const reasonOf = fieldOfMissingItem(itemCode);
  const field = reasonOf === null ? undefined : def.fields.find((f) => f.id === reasonOf);
  if (field) return missingItemLabel(field);
  return def.fields.find((f) => f.id === itemCode)?.label ?? def.derived?.find((d) => d.id === itemCode)?.label ?? { zh: itemCode, en: itemCode };
}

/** Items whose value reveals the treatment allocation (never shown to blinded roles, never queried), older ones included. */
export function isAllocationItem(formCode: string, itemCode: string): boolean {
  return isBlindedItem(formCode, itemCode);
}
