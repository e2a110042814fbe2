// CDISC ODM 1.3.2 study metadata written from the shared protocol definitions: study events (visits),
// forms, one item group per form, items with data types, units, range checks and bilingual code lists.
import type { FieldDef } from '../../../shared/protocol/types';
import type { XmlStreamWriter } from './xmlStreamWriter';
import { exportForms, exportVisits, STUDY_INFO, type ExportForm } from './studyDefinition';

export const ODM_NS = 'http://www.cdisc.org/ns/odm/v1.3';
export const STUDY_OID = STUDY_INFO.oid;
export const MDV_OID = 'MDV.1';
export const LOCATION_OID = `LOC.${STUDY_INFO.site}`;
export const SIGNATURE_DEF_OID = 'SD.INVESTIGATOR';

import { codeListOid, eventOid, formOid, formRepeats, groupOid, itemOid, odmFieldDataType } from '../../../shared/protocol/odmNames';
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

/** Writes <Study> with GlobalVariables, BasicDefinitions and MetaDataVersion. */
export function writeStudyMetadata(x: XmlStreamWriter): void {
  const forms = exportForms();
  const visits = exportVisits();
  const units = [...new Set(forms.flatMap((f) => f.fields.map((d) => d.unit).filter((u): u is string => Boolean(u))))];

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

  x.ele('MetaDataVersion', { OID: MDV_OID, Name: `${STUDY_INFO.protocolId} eCRF ${STUDY_INFO.protocolVersion}` });
  x.ele('Protocol');
  visits.forEach((v, i) => x.ele('StudyEventRef', { StudyEventOID: eventOid(v.code), OrderNumber: String(i + 1), Mandatory: v.code === 'LOG' ? 'No' : 'Yes' }).up());
  x.up();

  for (const v of visits) {
    x.ele('StudyEventDef', { OID: eventOid(v.code), Name: v.label.en, Repeating: v.repeating ? 'Yes' : 'No', Type: v.code === 'LOG' ? 'Common' : v.repeating ? 'Unscheduled' : 'Scheduled' });
    translated(x, 'Description', v.label);
    for (const f of v.forms) x.ele('FormRef', { FormOID: formOid(f), Mandatory: 'No' }).up();
    x.up();
  }
  for (const f of forms) {
    x.ele('FormDef', { OID: formOid(f.def.code), Name: f.def.label.en, Repeating: formRepeats(f.def.code) ? 'Yes' : 'No' });
    translated(x, 'Description', f.def.label);
    x.ele('ItemGroupRef', { ItemGroupOID: groupOid(f.def.code), Mandatory: 'Yes' }).up();
    x.up();
  }
  for (const f of forms) {
    x.ele('ItemGroupDef', { OID: groupOid(f.def.code), Name: f.def.label.en, Repeating: 'No' });
    f.fields.forEach((d, i) =>
      x.ele('ItemRef', { ItemOID: itemOid(f.def.code, d.id), OrderNumber: String(i + 1), Mandatory: d.required === true ? 'Yes' : 'No' }).up(),
    );
    x.up();
  }
  for (const f of forms) writeItemDefs(x, f);
  for (const f of forms) {
    for (const d of f.fields) {
      if (d.type !== 'choice' || !d.choices?.length) continue;
      x.ele('CodeList', { OID: codeListOid(f.def.code, d.id), Name: `${f.def.code}.${d.id}`, DataType: 'text' });
      for (const c of d.choices) {
        x.ele('CodeListItem', { CodedValue: c.value });
        translated(x, 'Decode', c.label);
        x.up();
      }
      x.up();
    }
  }
  x.up(); // MetaDataVersion
  x.up(); // Study
}

function writeItemDefs(x: XmlStreamWriter, f: ExportForm): void {
  for (const d of f.fields) {
    const attrs: Record<string, string> = { OID: itemOid(f.def.code, d.id), Name: `${f.def.code}.${d.id}`, DataType: odmFieldDataType(d) };
    if (d.maxLength && (d.type === 'text' || d.type === 'textarea')) attrs.Length = String(d.maxLength);
    if (d.type === 'number' && d.decimals !== undefined) attrs.SignificantDigits = String(d.decimals);
    x.ele('ItemDef', attrs);
    translated(x, 'Question', d.label);
    if (d.unit) x.ele('MeasurementUnitRef', { MeasurementUnitOID: unitOid(d.unit) }).up();
    if ((d.type === 'number' || d.type === 'integer') && !d.qualified) rangeChecks(x, d);
    if (d.type === 'choice' && d.choices?.length) x.ele('CodeListRef', { CodeListOID: codeListOid(f.def.code, d.id) }).up();
    x.up();
  }
}
