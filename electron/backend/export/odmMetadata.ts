// CDISC ODM 1.3.2 study metadata written from the shared protocol definitions: study events (visits),
// forms, one item group per form, items with data types, units, range checks and bilingual code lists.
import type { FieldDef } from '../../../shared/protocol/types';
import { missingItemId } from '../../../shared/protocol/missingValues';
import { RULES_VERSION } from '../../../shared/rules/version';
import {
  allCodeLists, allowsMissingReason, derivedChoices, derivedOdmDataType, fieldCodeList, formTables, MISSING_REASON_LIST, type CodeListItem, type FormTable,
} from './exportSchema';
import type { XmlStreamWriter } from './xmlStreamWriter';
import { exportVisits, STUDY_INFO } from './studyDefinition';

export const ODM_NS = 'http://www.cdisc.org/ns/odm/v1.3';
export const STUDY_OID = STUDY_INFO.oid;
export const MDV_OID = 'MDV.1';
export const LOCATION_OID = `LOC.${STUDY_INFO.site}`;
export const SIGNATURE_DEF_OID = 'SD.INVESTIGATOR';

import { eventOid, formOid, formRepeats, groupOid, itemOid, odmFieldDataType } from '../../../shared/protocol/odmNames';
export { eventOid, formOid, formRepeats, groupOid, itemOid, odmDataType, odmFieldDataType, REPEATING_VISITS } from '../../../shared/protocol/odmNames';
const unitOid = (unit: string) => `MU.${Buffer.from(unit, 'utf8').toString('hex')}`;

function translated(x: XmlStreamWriter, element: string, text: { zh: string; en: string }): void {
  x.ele(element);
  x.ele('TranslatedText', { 'xml:lang': 'zh' }).txt(text.zh).up();
  x.ele('TranslatedText', { 'xml:lang': 'en' }).txt(text.en).up();
  x.up();
}

function rangeChecks(x: XmlStreamWriter, field: FieldDef): void {
  const ranges: [number | undefined, string, string][] = [
    [field.plausible?.min, 'GE', 'Hard'],
    [field.plausible?.max, 'LE', 'Hard'],
    [field.normal?.min, 'GE', 'Soft'],
    [field.normal?.max, 'LE', 'Soft'],
  ];
  for (const [value, comparator, softHard] of ranges) {
    if (value === undefined) continue;
    x.ele('RangeCheck', { Comparator: comparator, SoftHard: softHard });
    x.ele('CheckValue').txt(String(value)).up();
    x.up();
  }
}

/** Multi-choice fields travel as a repeating item group of their own: one ItemData (a code of the list) per choice. */
export const multiGroupOid = (form: string, field: string) => `IG.${form}.${field}`;
export const methodOid = (form: string, derived: string) => `MT.${form}.${derived}`;
const isMulti = (f: FieldDef) => f.type === 'multichoice';

/** Writes <Study> with GlobalVariables, BasicDefinitions and MetaDataVersion. */
export function writeStudyMetadata(x: XmlStreamWriter): void {
  const tables = formTables();
  const visits = exportVisits();
  const units = [
    ...new Set(tables.flatMap((t) => [...t.fields.map((d) => d.unit), ...t.derived.map((d) => d.unit)]).filter((u): u is string => Boolean(u))),
  ];

  x.ele('Study', { OID: STUDY_OID });
  x.ele('GlobalVariables');
  x.ele('StudyName').txt(STUDY_INFO.protocolId).up();
  x.ele('StudyDescription').txt(STUDY_INFO.name).up();
  x.ele('ProtocolName').txt(`${STUDY_INFO.protocolId} (${STUDY_INFO.protocolVersion})`).up();
  x.up();

  if (units.length) {
    x.ele('BasicDefinitions');
    for (const unit of units) {
      x.ele('MeasurementUnit', { OID: unitOid(unit), Name: unit });
      x.ele('Symbol').ele('TranslatedText').txt(unit).up().up();
      x.up();
    }
    x.up();
  }

  x.ele('MetaDataVersion', {
    OID: MDV_OID,
    Name: `${STUDY_INFO.protocolId} eCRF ${STUDY_INFO.protocolVersion}`,
    Description: `Derived items (Origin="Derived", MethodOID) computed with the eCRF rules ${RULES_VERSION}`,
  });
  x.ele('Protocol');
  visits.forEach((v, i) => x.ele('StudyEventRef', { StudyEventOID: eventOid(v.code), OrderNumber: String(i + 1), Mandatory: v.code === 'LOG' ? 'No' : 'Yes' }).up());
  x.up();

  for (const v of visits) {
    x.ele('StudyEventDef', { OID: eventOid(v.code), Name: v.label.en, Repeating: v.repeating ? 'Yes' : 'No', Type: v.code === 'LOG' ? 'Common' : v.repeating ? 'Unscheduled' : 'Scheduled' });
    translated(x, 'Description', v.label);
    for (const f of v.forms) x.ele('FormRef', { FormOID: formOid(f), Mandatory: 'No' }).up();
    x.up();
  }
  for (const t of tables) {
    const f = t.def;
    x.ele('FormDef', { OID: formOid(f.code), Name: f.label.en, Repeating: formRepeats(f.code) ? 'Yes' : 'No' });
    translated(x, 'Description', f.label);
    x.ele('ItemGroupRef', { ItemGroupOID: groupOid(f.code), Mandatory: 'Yes' }).up();
    for (const d of t.fields.filter(isMulti)) x.ele('ItemGroupRef', { ItemGroupOID: multiGroupOid(f.code, d.id), Mandatory: 'No' }).up();
    x.up();
  }
  for (const t of tables) {
    const code = t.def.code;
    x.ele('ItemGroupDef', { OID: groupOid(code), Name: t.def.label.en, Repeating: 'No' });
    let order = 0;
    for (const d of t.fields) {
      if (!isMulti(d)) x.ele('ItemRef', { ItemOID: itemOid(code, d.id), OrderNumber: String(++order), Mandatory: d.required === true ? 'Yes' : 'No' }).up();
      if (allowsMissingReason(d)) x.ele('ItemRef', { ItemOID: itemOid(code, missingItemId(d.id)), OrderNumber: String(++order), Mandatory: 'No' }).up();
    }
    for (const d of t.derived) {
      x.ele('ItemRef', { ItemOID: itemOid(code, d.id), OrderNumber: String(++order), Mandatory: 'No', MethodOID: methodOid(code, d.id) }).up();
    }
    x.up();
    for (const d of t.fields.filter(isMulti)) {
      x.ele('ItemGroupDef', { OID: multiGroupOid(code, d.id), Name: `${t.def.label.en}: ${d.label.en}`, Repeating: 'Yes' });
      translated(x, 'Description', { zh: `${d.label.zh}：每个所选代码一条`, en: `${d.label.en}: one repeat per code chosen` });
      x.ele('ItemRef', { ItemOID: itemOid(code, d.id), OrderNumber: '1', Mandatory: 'Yes' }).up();
      x.up();
    }
  }
  for (const t of tables) writeItemDefs(x, t);
  const lists = new Map<string, CodeListItem[]>();
  for (const c of allCodeLists()) {
    if (c.codeList === 'CL.VISIT' || c.codeList === 'CL.FORM') continue;
    const list = lists.get(c.codeList);
    if (list) list.push(c);
    else lists.set(c.codeList, [c]);
  }
  for (const [oid, items] of lists) {
    x.ele('CodeList', { OID: oid, Name: oid.replace(/^CL\./, ''), DataType: 'text' });
    for (const c of items) {
      x.ele('CodeListItem', { CodedValue: c.code, OrderNumber: String(c.order) });
      translated(x, 'Decode', c.label);
      x.up();
    }
    x.up();
  }
  for (const t of tables) {
    for (const d of t.derived) {
      x.ele('MethodDef', { OID: methodOid(t.def.code, d.id), Name: `${t.def.code}.${d.id}`, Type: 'Computation' });
      translated(x, 'Description', d.formula);
      x.ele('FormalExpression', { Context: `kunming-ln-ecrf rules ${RULES_VERSION} (shared/rules), en` }).txt(d.formula.en).up();
      x.ele('FormalExpression', { Context: `kunming-ln-ecrf rules ${RULES_VERSION} (shared/rules), zh` }).txt(d.formula.zh).up();
      x.up();
    }
  }
  x.up(); // MetaDataVersion
  x.up(); // Study
}

function writeItemDefs(x: XmlStreamWriter, t: FormTable): void {
  const code = t.def.code;
  for (const d of t.fields) {
    const attrs: Record<string, string> = { OID: itemOid(code, d.id), Name: `${code}.${d.id}`, DataType: odmFieldDataType(d) };
    if (d.maxLength && (d.type === 'text' || d.type === 'textarea')) attrs.Length = String(d.maxLength);
    if (d.type === 'number' && d.decimals !== undefined) attrs.SignificantDigits = String(d.decimals);
    x.ele('ItemDef', attrs);
    translated(x, 'Question', d.label);
    if (d.unit) x.ele('MeasurementUnitRef', { MeasurementUnitOID: unitOid(d.unit) }).up();
    if ((d.type === 'number' || d.type === 'integer') && !d.qualified) rangeChecks(x, d);
    if ((d.type === 'choice' || d.type === 'multichoice') && d.choices?.length) x.ele('CodeListRef', { CodeListOID: fieldCodeList(code, d.id) }).up();
    x.up();
    if (allowsMissingReason(d)) {
      x.ele('ItemDef', { OID: itemOid(code, missingItemId(d.id)), Name: `${code}.${missingItemId(d.id)}`, DataType: 'text' });
      translated(x, 'Question', { zh: `${d.label.zh}（缺失原因）`, en: `${d.label.en} (reason missing)` });
      x.ele('CodeListRef', { CodeListOID: MISSING_REASON_LIST }).up();
      x.up();
    }
  }
  for (const d of t.derived) {
    const attrs: Record<string, string> = { OID: itemOid(code, d.id), Name: `${code}.${d.id}`, DataType: derivedOdmDataType(d), Origin: 'Derived' };
    if (d.decimals !== undefined && derivedOdmDataType(d) === 'float') attrs.SignificantDigits = String(d.decimals);
    x.ele('ItemDef', attrs);
    translated(x, 'Question', d.label);
    if (d.unit) x.ele('MeasurementUnitRef', { MeasurementUnitOID: unitOid(d.unit) }).up();
    if (derivedChoices(d)?.length) x.ele('CodeListRef', { CodeListOID: fieldCodeList(code, d.id) }).up();
    x.up();
  }
}
