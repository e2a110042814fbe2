// Reads and writes form instances and their item values (JSON-encoded) for one subject.
import type { CasebookForm, FormCode, FormData, ItemValue, VisitCode } from '../../../shared/protocol/types';
import type { Db } from '../db/connection';

export interface FormInstanceRow {
  id: number;
  subject_id: number;
  visit_code: VisitCode;
  form_code: FormCode;
  repeat_key: number;
  status: 'in_progress' | 'complete' | 'verified' | 'signed' | 'locked';
  version: number;
  updated_at: string;
  updated_by: number;
}

export interface FormKey {
  subjectId: number;
  visitCode: VisitCode;
  formCode: FormCode;
  repeatKey: number;
}

export const encodeValue = (value: ItemValue): string => JSON.stringify(value);
export const decodeValue = (text: string): ItemValue => JSON.parse(text) as ItemValue;

/** How many subjects' casebooks the validation cache keeps (least recently used dropped first). */
const CACHE_SUBJECTS = 256;

interface CachedCasebook {
  /** form_instances count : sum of versions : max id of the subject when the forms were read. */
  stamp: string;
  forms: readonly CasebookForm[];
}

const freezeForm = (form: CasebookForm): CasebookForm => {
  Object.freeze(form.data);
  return Object.freeze(form);
};

export class CasebookRepository {
  private readonly findInstance;
  private readonly valuesOf;
  private readonly subjectValues;
  private readonly subjectStamp;
  private readonly cache = new Map<number, CachedCasebook>();

  constructor(private readonly db: Db) {
    this.findInstance = db.prepare(
      'SELECT * FROM form_instances WHERE subject_id = ? AND visit_code = ? AND form_code = ? AND repeat_key = ?',
    );
    this.valuesOf = db.prepare('SELECT item_code, value FROM item_values WHERE form_id = ?');
    // One row per form with its items as one JSON object: one JSON.parse per form instead of one per item.
    this.subjectValues = db.prepare(
      `SELECT f.visit_code, f.form_code, f.repeat_key,
              (SELECT json_group_object(v.item_code, json(v.value)) FROM item_values v WHERE v.form_id = f.id) AS data
         FROM form_instances f
        WHERE f.subject_id = ? ORDER BY f.id`,
    );
    // Every change of a form's items goes through FormService.save, which bumps the form's version (or inserts a
    // form), so count / sum of versions / max id change whenever the subject's casebook changes, from any connection.
    this.subjectStamp = db
      .prepare("SELECT COUNT(*) || ':' || TOTAL(version) || ':' || IFNULL(MAX(id), 0) FROM form_instances WHERE subject_id = ?")
      .pluck();
  }

  instance(key: FormKey): FormInstanceRow | undefined {
    return this.findInstance.get(key.subjectId, key.visitCode, key.formCode, key.repeatKey) as FormInstanceRow | undefined;
  }

  values(formId: number): Record<string, ItemValue> {
    const data: Record<string, ItemValue> = {};
    for (const row of this.valuesOf.all(formId) as { item_code: string; value: string }[]) {
      data[row.item_code] = decodeValue(row.value);
    }
    return data;
  }

  /** Every saved form of the subject with its values: the input of cross-form rules. */
  casebook(subjectId: number): CasebookForm[] {
    return (this.subjectValues.all(subjectId) as { visit_code: VisitCode; form_code: FormCode; repeat_key: number; data: string }[]).map(
      (row) => ({ visitCode: row.visit_code, formCode: row.form_code, repeatKey: row.repeat_key, data: JSON.parse(row.data) as FormData }),
    );
  }

  /** The subject's form stamp (count : sum of versions : max id); changes whenever any of its forms changes. */
  stamp(subjectId: number): string {
    return this.subjectStamp.get(subjectId) as string;
  }

  /**
   * The same forms as casebook(), frozen, from a per-subject cache that is checked against the subject's stamp on
   * every read (so a save from another connection or process is seen). For validation: callers must not mutate.
   */
  cachedCasebook(subjectId: number): readonly CasebookForm[] {
    const stamp = this.stamp(subjectId);
    const hit = this.cache.get(subjectId);
    this.cache.delete(subjectId);
    if (hit && hit.stamp === stamp) {
      this.cache.set(subjectId, hit);
      return hit.forms;
    }
    const forms = Object.freeze(this.casebook(subjectId).map(freezeForm));
    this.remember(subjectId, { stamp, forms });
    return forms;
  }

  /**
   * After a committed save: put the saved values into the cached casebook, keyed by the subject's new stamp.
   * `stampBefore` is the stamp the cached forms were read at; the entry is dropped unless the cache still holds
   * exactly those forms and the only change since is this one save (`stampAfterSave`, taken right after its own
   * writes, equals the stamp now, i.e. no listener or other writer added anything).
   */
  afterSave(subjectId: number, key: FormKey, stored: FormData, stampBefore: string, stampAfterSave: string): void {
    const hit = this.cache.get(subjectId);
    this.cache.delete(subjectId);
    if (!hit || hit.stamp !== stampBefore || this.stamp(subjectId) !== stampAfterSave) return;
    const data: FormData = {};
    for (const [item, value] of Object.entries(stored)) {
      if (value !== undefined && value !== null) data[item] = decodeValue(encodeValue(value));
    }
    const form = freezeForm({ visitCode: key.visitCode, formCode: key.formCode, repeatKey: key.repeatKey, data });
    const at = hit.forms.findIndex((f) => f.visitCode === key.visitCode && f.formCode === key.formCode && f.repeatKey === key.repeatKey);
    const forms = at >= 0 ? hit.forms.map((f, i) => (i === at ? form : f)) : [...hit.forms, form];
    this.remember(subjectId, { stamp: stampAfterSave, forms: Object.freeze(forms) });
  }

  private remember(subjectId: number, entry: CachedCasebook): void {
    this.cache.set(subjectId, entry);
    if (this.cache.size > CACHE_SUBJECTS) this.cache.delete(this.cache.keys().next().value as number);
  }
}
