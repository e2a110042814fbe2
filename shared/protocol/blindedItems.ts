// Items blinded roles may never read, in one place: the fields marked unblindedOnly (the allocation, PHARM's product,
// cells, viability and release note) and items a form no longer defines but older data may still hold (INFUSION's
// product lot, cells, viability and release note from before amendment 1 moved them into PHARM).
import { FORMS, isFormCode } from './study';
import { missingItemId } from './missingValues';

/** Items of older versions of a form that revealed the allocation, still withheld wherever old data or audit rows show. */
export const RETIRED_BLINDED_ITEMS: Readonly<Record<string, readonly string[]>> = {
  INFUSION: ['productLot', 'cellsInBag', 'viabilityPercent', 'releaseDeviationNote'],
};

const cache = new Map<string, ReadonlySet<string>>();

/** Every item of the form that blinded roles must not read (current and retired). */
export function blindedItemsOf(formCode: string): ReadonlySet<string> {
  let set = cache.get(formCode);
  if (!set) {
    // A hidden field's missing-value reason is hidden with it.
    const current = isFormCode(formCode) ? FORMS[formCode].fields.filter((f) => f.unblindedOnly).flatMap((f) => [f.id, missingItemId(f.id)]) : [];
    set = new Set([...current, ...(RETIRED_BLINDED_ITEMS[formCode] ?? [])]);
    cache.set(formCode, set);
  }
  return set;
}

export function isBlindedItem(formCode: string, itemCode: string): boolean {
  return blindedItemsOf(formCode).has(itemCode);
}
