// Derived values as data (PROTOCOL.md cross-form rule 13; issue 14 storage contract item 2): each form's derived
// values (FormDef.derived: eGFR, CrCl, age, BMI, BSA, SLEDAI total, each eligibility criterion, the response category
// and steps, cells/kg, the CYC dose, ...) are stored in derived_values with the rules version (shared/rules/version.ts),
// rewritten in the transaction of every save of the form, and of every save of a form they read (FormDef.derivedReads:
// a LAB's eGFR when DEMOG's date of birth is corrected). A value that cannot be computed is no row.
//
// They are not audited row by row: each is a function of audited item values and of the rules version stored beside
// it, so `ecrf audit verify` proves the inputs and the same rules give the same values. When the rules version changes
// (or a database from before this table is opened) every form's values are computed again at start-up.
import type { CasebookForm, DerivedValue, FormCode, FormData, VisitCode } from '../../../shared/protocol/types';
import { buildFormContext } from '../../../shared/protocol/casebook';
import { FORMS, isFormCode } from '../../../shared/protocol/study';
import { computeDerived, normaliseContext } from '../../../shared/protocol/validateForm';
import { RULES_VERSION } from '../../../shared/rules/version';
import type { Db } from '../db/connection';
import { readSetting, writeSetting } from '../db/settings';
import { statementCache, type Sql } from '../db/statements';
import { encodeValue } from './casebookRepository';

/** settings key: the rules version every stored derived value was computed with. */
export const DERIVED_RULES_SETTING = 'derived_rules_version';

/** A saved form of the subject with its row id (derived values are stored per form instance). */
export interface StoredForm extends CasebookForm {
  id: number;
}

/** The derived values of one saved form, computed against the rest of its subject's casebook. */
export function derivedOf(form: CasebookForm, casebook: readonly CasebookForm[]): Record<string, DerivedValue | null> {
  const def = FORMS[form.formCode];
  if (!def?.derived?.length) return {};
  const ctx = normaliseContext(buildFormContext(casebook.filter((f) => f !== form), form.visitCode, undefined, form.repeatKey ?? 0));
  return computeDerived(def, form.data, ctx);
}

/**
 * Whether a form's derived values read a changed form of the given code: one listed in its derivedReads (VITALS lists
 * VITALS: the screening height). The changed form itself always has its own computed again.
 */
export function derivedReads(formCode: FormCode, changed: FormCode): boolean {
  const def = FORMS[formCode];
  return !!def?.derived?.length && (def.derivedReads ?? []).includes(changed);
}

interface Row {
  form_id: number;
  derived_id: string;
  value: string;
  rules_version: string;
}

export class DerivedValues {
  private readonly sql: Sql;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  /** Every saved form of the subject with its id and values (for the forms the cached casebook lacks ids of). */
  formIds(subjectId: number): Map<string, number> {
    const rows = this.sql('SELECT id, visit_code, form_code, repeat_key FROM form_instances WHERE subject_id = ?').all(subjectId) as {
      id: number;
      visit_code: VisitCode;
      form_code: FormCode;
      repeat_key: number;
    }[];
    return new Map(rows.map((r) => [formKeyOf(r.visit_code, r.form_code, r.repeat_key), r.id]));
  }

  /**
   * After a change to `changed` (a save, or a form written by the system): store again the derived values of every
   * form of the casebook that reads it, the changed form included. `casebook` is the subject's casebook after the
   * change; `own`, when given, are the changed form's values as its validation computed them.
   */
  afterChange(
    subjectId: number,
    changed: Pick<CasebookForm, 'visitCode' | 'formCode' | 'repeatKey'>,
    casebook: readonly CasebookForm[],
    own?: Record<string, DerivedValue | null>,
    /** Derived values already computed against this casebook (the dependents' re-check), by formKeyOf. */
    known?: ReadonlyMap<string, Record<string, DerivedValue | null>>,
  ): void {
    // The changed form, and the forms whose derived values read its form (not every other LAB when a LAB is saved).
    const changedKey = formKeyOf(changed.visitCode, changed.formCode, changed.repeatKey ?? 0);
    const keyed = casebook.map((f) => ({ f, key: formKeyOf(f.visitCode, f.formCode, f.repeatKey ?? 0) }));
    const touched = keyed.filter(({ f, key }) => (key === changedKey ? !!FORMS[f.formCode]?.derived?.length : derivedReads(f.formCode, changed.formCode)));
    if (touched.length === 0) return;
    const ids = this.formIds(subjectId);
    const forms: { id: number; values: Record<string, DerivedValue | null> }[] = [];
    for (const { f, key } of touched) {
      const id = ids.get(key);
      if (id === undefined) continue;
      forms.push({ id, values: (key === changedKey ? own : known?.get(key)) ?? derivedOf(f, casebook) });
    }
    this.write(forms);
  }

  /** Writes the given forms' derived values: rows that differ (value or rules version) are replaced, null ones removed. */
  write(forms: readonly { id: number; values: Record<string, DerivedValue | null> }[]): number {
    if (forms.length === 0) return 0;
    const stored = new Map<string, Row>();
    const rows = this.sql('SELECT form_id, derived_id, value, rules_version FROM derived_values WHERE form_id IN (SELECT value FROM json_each(?))').all(
      JSON.stringify(forms.map((f) => f.id)),
    ) as Row[];
    for (const r of rows) stored.set(`${r.form_id}\u0000${r.derived_id}`, r);
    const upsert = this.sql(
      `INSERT INTO derived_values (form_id, derived_id, value, rules_version) VALUES (?, ?, ?, ?)
       ON CONFLICT (form_id, derived_id) DO UPDATE SET value = excluded.value, rules_version = excluded.rules_version`,
    );
    const remove = this.sql('DELETE FROM derived_values WHERE form_id = ? AND derived_id = ?');
    let written = 0;
    for (const f of forms) {
      for (const [id, v] of Object.entries(f.values)) {
        const old = stored.get(`${f.id}\u0000${id}`);
        stored.delete(`${f.id}\u0000${id}`);
        if (v === null) {
          if (old) remove.run(f.id, id);
          continue;
        }
        const value = encodeValue(v);
        if (old && old.value === value && old.rules_version === RULES_VERSION) continue;
        upsert.run(f.id, id, value, RULES_VERSION);
        written++;
      }
    }
    // Rows of derived values the form no longer defines.
    for (const old of stored.values()) remove.run(old.form_id, old.derived_id);
    return written;
  }
}

export const formKeyOf = (visitCode: string, formCode: string, repeatKey: number) => `${visitCode}\u0000${formCode}\u0000${repeatKey}`;

/**
 * Computes and stores every derived value of every saved form, subject by subject (the first start with this table,
 * and every start after the rules version changed). Runs inside the caller's transaction; returns the forms and the
 * rows it holds afterwards.
 */
export function refreshAllDerived(db: Db): { forms: number; rows: number } {
  const store = new DerivedValues(db);
  const subjectForms = db.prepare(
    `SELECT f.id, f.visit_code, f.form_code, f.repeat_key,
            (SELECT json_group_object(v.item_code, json(v.value)) FROM item_values v WHERE v.form_id = f.id) AS data
       FROM form_instances f WHERE f.subject_id = ? ORDER BY f.id`,
  );
  let forms = 0;
  for (const subjectId of db.prepare('SELECT id FROM subjects ORDER BY id').pluck().all() as number[]) {
    const casebook: StoredForm[] = (subjectForms.all(subjectId) as { id: number; visit_code: VisitCode; form_code: string; repeat_key: number; data: string }[])
      .filter((r) => isFormCode(r.form_code))
      .map((r) => ({ id: r.id, visitCode: r.visit_code, formCode: r.form_code as FormCode, repeatKey: r.repeat_key, data: JSON.parse(r.data) as FormData }));
    const withDerived = casebook.filter((f) => FORMS[f.formCode].derived?.length);
    store.write(withDerived.map((f) => ({ id: f.id, values: derivedOf(f, casebook) })));
    forms += withDerived.length;
  }
  writeSetting(db, DERIVED_RULES_SETTING, RULES_VERSION);
  return { forms, rows: db.prepare('SELECT COUNT(*) FROM derived_values').pluck().get() as number };
}

/** At start-up: when the stored values were computed with other rules (or never), compute them all again. */
export function ensureDerivedCurrent(db: Db): { refreshed: boolean; forms: number; rows: number } {
  if (readSetting(db, DERIVED_RULES_SETTING) === RULES_VERSION) return { refreshed: false, forms: 0, rows: 0 };
  const r = db.transaction(() => refreshAllDerived(db)).immediate();
  return { refreshed: true, ...r };
}
