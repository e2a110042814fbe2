// The study definition in one place: study meta, every form by code, the visit schedule, and which forms each visit holds.
import type { FieldDef, FormCode, FormDef, VisitCode } from './types';
import { VISITS, visitDef } from './visits';
import { WARD_TIME_ZONE } from '../rules/wardClock';
import { AE } from './forms/AE';
import { BILAG } from './forms/BILAG';
import { BIOPSY } from './forms/BIOPSY';
import { CONMED } from './forms/CONMED';
import { CONSENT } from './forms/CONSENT';
import { CYC } from './forms/CYC';
import { DEMOG } from './forms/DEMOG';
import { ELIG } from './forms/ELIG';
import { EOS } from './forms/EOS';
import { INFUSION } from './forms/INFUSION';
import { LAB } from './forms/LAB';
import { MEDHX } from './forms/MEDHX';
import { PHARM } from './forms/PHARM';
import { PREG } from './forms/PREG';
import { RAND } from './forms/RAND';
import { RESPONSE } from './forms/RESPONSE';
import { SLEDAI } from './forms/SLEDAI';
import { UNBLIND } from './forms/UNBLIND';
import { VITALS } from './forms/VITALS';

export { VISITS };

export const STUDY = {
  oid: 'ST.NCT01539902.CT-11-03',
  registryId: 'NCT01539902',
  protocol: 'CT 11-03',
  protocolVersion: 'CT 11-03 eCRF spec 1.0 (2012-02)',
  site: 'KM01',
  siteName: {
    zh: '昆明医科大学第二附属医院 系统性红斑狼疮研究中心',
    en: 'Second Affiliated Hospital & SLE Research Centre, Kunming Medical University',
  },
  title: {
    zh: '人脐带间充质干细胞治疗狼疮性肾炎的随机、双盲、安慰剂对照研究',
    en: 'A randomised, double-blind, placebo-controlled study of human umbilical cord MSC for lupus nephritis',
  },
  /** Screening numbers KM01-S001…, randomisation numbers R001… (3 digits for the 25-subject study; up to 5 so demo and benchmark databases of 10,000 subjects fit). */
  screeningNumberPattern: '^KM01-S[0-9]{3,5}$',
  randomisationNumberPattern: '^R[0-9]{3,5}$',
  plannedSubjects: 25,
  allocationRatio: { MSC: 2, PLACEBO: 1 },
  timeZone: WARD_TIME_ZONE,
} as const;

/** Every form, by code. Adding a field = one edit in that form's file under forms/. */
export const FORMS: Record<FormCode, FormDef> = {
  CONSENT,
  DEMOG,
  MEDHX,
  BIOPSY,
  SLEDAI,
  BILAG,
  VITALS,
  LAB,
  PREG,
  ELIG,
  RAND,
  PHARM,
  INFUSION,
  CYC,
  RESPONSE,
  EOS,
  AE,
  CONMED,
  UNBLIND,
};

export const FORM_CODES = Object.keys(FORMS) as FormCode[];

export function isFormCode(value: unknown): value is FormCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(FORMS, value);
}

/** The forms scheduled at a visit, in schedule order (empty for an unknown visit). */
export function formsForVisit(visitCode: VisitCode): FormDef[] {
  return (visitDef(visitCode)?.forms ?? []).map((code) => FORMS[code]);
}

/** One field of a form, or undefined. */
export function fieldDef(formCode: FormCode, fieldId: string): FieldDef | undefined {
  return isFormCode(formCode) ? FORMS[formCode].fields.find((f) => f.id === fieldId) : undefined;
}
