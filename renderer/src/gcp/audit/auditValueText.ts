// How an audit row's stored old/new value reads on screen: item values decoded with choice labels, statuses translated.
import type { AuditViewRow } from '../../../../shared/api/calls/audit';
import { unitIn } from '../../../../shared/i18n/units';
import { fieldDef, isFormCode } from '../../../../shared/protocol/study';
import type { Lang } from '../../../../shared/protocol/types';
import { valueText } from '../../../../shared/print/valueText';

const ITEM_ACTIONS = new Set(['item.create', 'item.update', 'item.clear', 'sdv']);

export interface ValueWords {
  empty: string;
  yes: string;
  no: string;
  formStatus: Record<string, string>;
  queryStatus: Record<string, string>;
}

function decode(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** One stored value as the reader should see it; null (not recorded) is shown as the empty word. */
export function auditValueText(row: Pick<AuditViewRow, 'action' | 'itemCode'>, formCode: string, value: string | null, words: ValueWords, lang: Lang): string {
  if (value === null) return words.empty;
  if (row.action === 'form.status') return words.formStatus[value] ?? value;
  if (row.action === 'query') return words.queryStatus[value] ?? value;
  if (!ITEM_ACTIONS.has(row.action)) return value;
  const decoded = decode(value);
  const field = row.itemCode && isFormCode(formCode) ? fieldDef(formCode, row.itemCode) : undefined;
  const text = valueText(field, decoded, words, lang);
  return field?.unit && typeof decoded === 'number' ? `${text} ${unitIn(field.unit, lang)}` : text;
}
