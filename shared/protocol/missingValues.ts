// Missing-value reasons (issue 14, storage contract item 4): a field may carry, instead of a value, why it has none:
// not done, unknown, or not applicable. The reason is its own item, `<fieldId>__missing`, stored and audited like any
// item, and only while the field's value is empty. Which fields may carry one: FieldDef.missingReasons (defaults in
// forms/fieldKit.ts). A required field is satisfied by a reason it allows. An empty value without a reason is "not
// entered"; a hidden field (and so its reason) is removed on save.
import type { Bilingual, FieldDef, FormData } from './types';

export const MISSING_REASONS = ['not_done', 'unknown', 'not_applicable'] as const;
export type MissingReason = (typeof MISSING_REASONS)[number];

export const MISSING_SUFFIX = '__missing';

/** The item that holds a field's missing-value reason: 'urineProtein24h' → 'urineProtein24h__missing'. */
export const missingItemId = (fieldId: string): string => `${fieldId}${MISSING_SUFFIX}`;

/** The field a reason item belongs to ('urineRbc__missing' → 'urineRbc'), or null for any other item. */
export function fieldOfMissingItem(itemId: string): string | null {
  return itemId.endsWith(MISSING_SUFFIX) && itemId.length > MISSING_SUFFIX.length ? itemId.slice(0, -MISSING_SUFFIX.length) : null;
}

export function isMissingReason(v: unknown): v is MissingReason {
  return typeof v === 'string' && (MISSING_REASONS as readonly string[]).includes(v);
}

/** Short labels, as the form's reason buttons, the casebook and the print view show them. */
export const MISSING_REASON_LABELS: Record<MissingReason, Bilingual> = {
  not_done: { zh: '未做', en: 'Not done' },
  unknown: { zh: '不详', en: 'Unknown' },
  not_applicable: { zh: '不适用', en: 'Not applicable' },
};

/** The reason stored for a field, or null (no reason, or not one of the three). */
export function missingReasonOf(data: FormData | null | undefined, fieldId: string): MissingReason | null {
  if (!data || typeof data !== 'object') return null;
  const v = data[missingItemId(fieldId)];
  return isMissingReason(v) ? v : null;
}

/** The label of a reason item as the audit view and queries name it: '24 小时尿蛋白（缺失原因）'. */
export function missingItemLabel(field: Pick<FieldDef, 'label'>): Bilingual {
  return { zh: `${field.label.zh}（缺失原因）`, en: `${field.label.en} (reason missing)` };
}

/** How a stored reason reads: '未做' / 'Not done' (the code itself for anything else). */
export function missingReasonText(v: unknown): Bilingual {
  return isMissingReason(v) ? MISSING_REASON_LABELS[v] : { zh: String(v ?? ''), en: String(v ?? '') };
}

/**
 * A reason item (`wbc__missing`) as a field of its own, for showing it where items are listed by field (the audit view,
 * the casebook's audit trail): labelled after its field, its codes read as 未做 / 不详 / 不适用. undefined for any
 * other item, or a reason item of a field the list does not have.
 */
export function reasonItemField(fields: readonly FieldDef[], itemCode: string): FieldDef | undefined {
  const of = fieldOfMissingItem(itemCode);
  const field = of === null ? undefined : fields.find((f) => f.id === of);
  if (!field) return undefined;
  return {
    id: itemCode,
    type: 'choice',
    label: missingItemLabel(field),
    choices: MISSING_REASONS.map((r) => ({ value: r, label: MISSING_REASON_LABELS[r] })),
  };
}
