// The ODM names of the study's parts (OIDs of events, forms, item groups, items and code lists) and each field's ODM
// data type: one naming for the sponsor's ODM export and the blank annotated CRF printed for the sponsor.
import { FORMS, VISITS, isFormCode } from './study';
import type { FieldDef, FieldType } from './types';

export const eventOid = (visit: string) => `SE.${visit}`;
export const formOid = (form: string) => `F.${form}`;
export const groupOid = (form: string) => `IG.${form}`;
export const itemOid = (form: string, field: string) => `IT.${form}.${field}`;
export const codeListOid = (form: string, field: string) => `CL.${form}.${field}`;

/** Visits that repeat as a whole (the unscheduled visit): StudyEventData carries StudyEventRepeatKey. */
export const REPEATING_VISITS: readonly string[] = VISITS.filter((v) => v.repeating).map((v) => v.code);

/** Forms that repeat within one visit (the logs, and CYC: a held pulse given later): FormData carries FormRepeatKey. */
export const formRepeats = (formCode: string): boolean => formCode === 'CYC' || (isFormCode(formCode) && FORMS[formCode].repeating === true);

/**
 * ODM DataType of a field: its type's, except a lab result that may be reported against a limit ('<0.1', field full:
 * amendment 1, rule 11), which travels as text (the dictionary says so).
 */
export function odmFieldDataType(f: FieldDef): string {
  return f.qualified ? 'text' : odmDataType(f.type);
}

/** ODM DataType of each field type; multichoice values travel as text ("a;b"). */
export function odmDataType(type: FieldType): string {
  switch (type) {
    case 'number':
      return 'float';
    case 'integer':
      return 'integer';
    case 'date':
      return 'date';
    case 'time':
      return 'partialTime';
    case 'boolean':
      return 'boolean';
    case 'choice':
    case 'multichoice':
    case 'text':
    case 'textarea':
      return 'text';
    default: {
      const never: never = type;
      throw new Error(`unknown field type ${String(never)}`);
    }
  }
}

