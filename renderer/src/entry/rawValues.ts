// Between the stored values of a form and what its inputs hold: a field's missing-value reason (`<id>__missing`) rides
// beside it as an input of its own; the system items (the RESPONSE of record) are never inputs and never sent.
import { missingItemId } from '../../../shared/protocol/missingValues';
import type { FieldDef, FormData, ItemValue } from '../../../shared/protocol/types';
import type { RawValues } from './FieldInput';

/** Stored values to input strings (react-hook-form works on what the inputs hold); a reason beside its field. */
export function toRaw(fields: readonly FieldDef[], data: FormData): RawValues {
  const raw: RawValues = {};
  for (const f of fields) {
    if (f.system) continue;
    const v = data[f.id];
    if (v === null || v === undefined) raw[f.id] = f.type === 'multichoice' ? [] : '';
    else if (Array.isArray(v)) raw[f.id] = v.map(String);
    else raw[f.id] = String(v);
    if (f.missingReasons?.length) {
      const reason = data[missingItemId(f.id)];
      raw[missingItemId(f.id)] = typeof reason === 'string' ? reason : '';
    }
  }
  return raw;
}

/**
 * What a save sends: the defined values, without the system items (the back end writes those and ignores a client's;
 * the screen does not even offer them).
 */
export function savePayload(fields: readonly FieldDef[], values: FormData): Record<string, Exclude<ItemValue, undefined>> {
  const system = new Set(fields.filter((f) => f.system).map((f) => f.id));
  const out: Record<string, Exclude<ItemValue, undefined>> = {};
  for (const [k, v] of Object.entries(values)) if (v !== undefined && !system.has(k)) out[k] = v;
  return out;
}
