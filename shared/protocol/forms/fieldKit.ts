// Small builders that keep the form definitions short: one call per field, bilingual labels, shared choice lists.
import type { Bilingual, Choice, FieldDef, FieldType, GridTable } from '../types';
import type { MissingReason } from '../missingValues';

export const bi = (zh: string, en: string): Bilingual => ({ zh, en });

/** Build a field: id, type, zh label, en label, then any other FieldDef property. */
export function field(id: string, type: FieldType, zh: string, en: string, extra: Partial<FieldDef> = {}): FieldDef {
  return { id, type, label: { zh, en }, ...extra };
}

/** Items only the investigator may set (a clinical judgement or a confirmation): read-only, with the reason, for others. */
export const INVESTIGATOR_ONLY = { editRoles: ['investigator'] } as const satisfies Partial<FieldDef>;

/*
 * Missing-value reasons a field may carry instead of a value (issue 14; missingValues.ts). The defaults:
 * - a measurement (LAB result, vital sign): not done, or done with the result unknown (report lost);
 * - a vital sign at a time point of the infusion: not done, or not applicable (the infusion had ended);
 * - a lab-based SLEDAI descriptor, a non-renal BILAG domain: not done (not assessed);
 * - a history fact the ward may never learn (an AE's end date, a CONMED dose, death details, glomeruli count): unknown.
 * A reason satisfies `required`; anything else a form asks for needs its value.
 */
export const MEASUREMENT_MISSING = { missingReasons: ['not_done', 'unknown'] as readonly MissingReason[] } satisfies Partial<FieldDef>;
export const TIMEPOINT_MISSING = { missingReasons: ['not_done', 'not_applicable'] as readonly MissingReason[] } satisfies Partial<FieldDef>;
export const NOT_DONE_MISSING = { missingReasons: ['not_done'] as readonly MissingReason[] } satisfies Partial<FieldDef>;
export const UNKNOWN_MISSING = { missingReasons: ['unknown'] as readonly MissingReason[] } satisfies Partial<FieldDef>;

/** The same missing-value reasons for a group of fields (e.g. every LAB result). */
export function withMissing(reasons: Pick<FieldDef, 'missingReasons'>, fields: FieldDef[]): FieldDef[] {
  return fields.map((f) => ({ ...f, ...reasons }));
}

export const choice = (value: string, zh: string, en: string): Choice => ({ value, label: { zh, en } });

/** Apply the same section heading to a group of fields. */
export function inSection(section: Bilingual, fields: FieldDef[]): FieldDef[] {
  return fields.map((f) => ({ ...f, section }));
}

/** Place one row of fields in a screen table: field i goes in column cols[i] of the given row. */
export function inGridRow(table: GridTable, row: Bilingual, cols: Bilingual[], fields: FieldDef[]): FieldDef[] {
  if (cols.length !== fields.length) throw new Error(`grid ${table.id}: ${fields.length} fields for ${cols.length} columns`);
  return fields.map((f, i) => ({ ...f, grid: { table, row, col: cols[i]! } }));
}

export const SEX_CHOICES: Choice[] = [choice('F', '女', 'Female'), choice('M', '男', 'Male')];

/** CTCAE v5 grade 1-5. */
export const CTCAE_GRADE_CHOICES: Choice[] = [
  choice('1', '1 级（轻度）', 'Grade 1 (mild)'),
  choice('2', '2 级（中度）', 'Grade 2 (moderate)'),
  choice('3', '3 级（重度）', 'Grade 3 (severe)'),
  choice('4', '4 级（危及生命）', 'Grade 4 (life-threatening)'),
  choice('5', '5 级（死亡）', 'Grade 5 (death)'),
];

export const BILAG_GRADE_CHOICES: Choice[] = ['A', 'B', 'C', 'D', 'E'].map((g) => choice(g, `${g} 级`, `Grade ${g}`));

/** Causality to a study treatment (WHO-UMC style, as on the ward's AE form). */
export const RELATIONSHIP_CHOICES: Choice[] = [
  choice('not_related', '无关', 'Not related'),
  choice('unlikely', '可能无关', 'Unlikely'),
  choice('possible', '可能有关', 'Possible'),
  choice('probable', '很可能有关', 'Probable'),
  choice('definite', '肯定有关', 'Definite'),
];
