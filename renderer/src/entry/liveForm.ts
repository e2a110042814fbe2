// Live state of a form being typed, worked out once per change (validateForm: cleaned values, warnings, visible and
// required fields, derived values) and read by each field row, derived row and panel through a selector, so a
// keystroke re-renders only the parts whose answer changed.
import { useRef, useSyncExternalStore } from 'react';
import { useFormState, type Control } from 'react-hook-form';
import type { DerivedValue, FieldDef, FormCode, FormContext, FormData, ValidationIssue } from '../../../shared/protocol/types';
import { FORMS } from '../../../shared/protocol/study';
import { isRequired, isVisible, validateForm } from '../../../shared/protocol/validateForm';
import type { RawValues } from './FieldInput';

export interface LiveForm {
  /** validateForm's cleaned values (numbers as numbers, hidden fields removed). */
  values: FormData;
  /** The (last) warning of each field. */
  warnings: ReadonlyMap<string, ValidationIssue>;
  /** Warnings not tied to a visible field (cross-form checks, hidden fields): shown above the Save button. */
  looseWarnings: readonly ValidationIssue[];
  /** Ids of the fields on screen, in form order, joined by spaces (a string, so "same fields" is ===). */
  visibleKey: string;
  required: ReadonlySet<string>;
  derived: Readonly<Record<string, DerivedValue | null>>;
}

/** Everything the screen shows that depends on the typed values, for one set of values. */
export function computeLive(formCode: FormCode, raw: RawValues, ctx: FormContext, showUnblinded: boolean): LiveForm {
  const def = FORMS[formCode];
  const result = validateForm(formCode, raw, ctx);
  const visibleFields = def.fields.filter((f) => (!f.unblindedOnly || showUnblinded) && isVisible(f, result.values, ctx));
  const visible = new Set(visibleFields.map((f) => f.id));
  const required = new Set(visibleFields.filter((f) => isRequired(f, result.values, ctx)).map((f) => f.id));
  return {
    values: result.values,
    warnings: new Map(result.warnings.map((w) => [w.fieldId, w])),
    looseWarnings: result.warnings.filter((w) => !visible.has(w.fieldId)),
    visibleKey: visibleFields.map((f) => f.id).join(' '),
    required,
    derived: result.derived,
  };
}

/** Holds the current LiveForm; components read slices of it with useLive. */
export class LiveStore {
  private listeners = new Set<() => void>();
  constructor(private live: LiveForm) {}
  get = (): LiveForm => this.live;
  set(live: LiveForm): void {
    this.live = live;
    for (const l of this.listeners) l();
  }
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

/**
 * A slice of the live form: the component re-renders only when `select`'s answer changes (by `same`, default ===).
 * `select` may be a new function each render; it must depend only on props that do not change while mounted.
 */
export function useLive<T>(store: LiveStore, select: (live: LiveForm) => T, same: (a: T, b: T) => boolean = Object.is): T {
  const last = useRef<{ live: LiveForm; value: T } | null>(null);
  const snapshot = () => {
    const live = store.get();
    const prev = last.current;
    if (prev && prev.live === live) return prev.value;
    const value = select(live);
    last.current = { live, value: prev && same(prev.value, value) ? prev.value : value };
    return last.current.value;
  };
  return useSyncExternalStore(store.subscribe, snapshot);
}

/** Same warning on screen: same check and the same words (a message may quote the value). */
export const sameWarning = (a: ValidationIssue | undefined, b: ValidationIssue | undefined): boolean =>
  a === b || (!!a && !!b && a.checkId === b.checkId && a.message.zh === b.message.zh && a.message.en === b.message.en);

/** What one field shows besides its input: its error (react-hook-form, this field only), warning and required mark. */
export function useFieldLive(field: FieldDef, control: Control<RawValues>, store: LiveStore) {
  const { errors } = useFormState({ control, name: field.id, exact: true });
  const error = errors[field.id]?.message;
  const warning = useLive(store, (l) => l.warnings.get(field.id), sameWarning);
  const required = useLive(store, (l) => l.required.has(field.id));
  return { error: typeof error === 'string' ? error : undefined, warning, required };
}
