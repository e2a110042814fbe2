// Who may set an item (FieldDef.editRoles: the investigator's confirmations and BILAG grades): one answer for the form
// screen, the clinical screens' confirmation boxes and the back end.
import type { Role } from '../api/calls/common';
import { fieldDef } from './study';
import type { FieldDef, FormCode } from './types';

/** Whether this role may set or change the item (true for items that name no roles). */
export function mayEditItem(f: Pick<FieldDef, 'editRoles'>, role: Role): boolean {
  return f.editRoles === undefined || f.editRoles.includes(role);
}

/** The same, by form and item id (an unknown item: false). */
export function mayEditFormItem(formCode: FormCode, fieldId: string, role: Role): boolean {
  const f = fieldDef(formCode, fieldId);
  return f !== undefined && mayEditItem(f, role);
}
