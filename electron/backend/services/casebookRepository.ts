// Reads and writes form instances and their item values (JSON-encoded) for one subject.
import type { CasebookForm, FormCode, ItemValue, VisitCode } from '../../../shared/protocol/types';
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

export class CasebookRepository {
  private readonly findInstance;
  private readonly valuesOf;
  private readonly subjectValues;

  constructor(private readonly db: Db) {
    this.findInstance = db.prepare(
      'SELECT * FROM form_instances WHERE subject_id = ? AND visit_code = ? AND form_code = ? AND repeat_key = ?',
    );
    this.valuesOf = db.prepare('SELECT item_code, value FROM item_values WHERE form_id = ?');
    this.subjectValues = db.prepare(
      `SELECT f.id, f.visit_code, f.form_code, f.repeat_key, v.item_code, v.value
         FROM form_instances f LEFT JOIN item_values v ON v.form_id = f.id
        WHERE f.subject_id = ? ORDER BY f.id`,
    );
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
    const forms = new Map<number, CasebookForm>();
    for (const row of this.subjectValues.all(subjectId) as {
      id: number;
      visit_code: VisitCode;
      form_code: FormCode;
      repeat_key: number;
      item_code: string | null;
      value: string | null;
    }[]) {
      let form = forms.get(row.id);
      if (!form) {
        form = { visitCode: row.visit_code, formCode: row.form_code, repeatKey: row.repeat_key, data: {} };
        forms.set(row.id, form);
      }
      if (row.item_code !== null && row.value !== null) form.data[row.item_code] = decodeValue(row.value);
    }
    return [...forms.values()];
  }
}
