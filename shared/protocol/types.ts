// Types that describe the study as data: visits, forms, fields, derived values and edit checks.
// The UI renders forms from these definitions and the back end validates every save with them.
import type { Role } from '../api/calls/common';
import type { MissingReason } from './missingValues';

/** A label or message in both UI languages. */
export interface Bilingual {
  zh: string;
  en: string;
}

export type Lang = 'zh-CN' | 'en';

/** UNS: unscheduled visit (repeating: one instance per repeat key), any time after consent (amendment 1, rule 12). */
export type VisitCode = 'SCR' | 'D0' | 'D7' | 'M1' | 'M2' | 'M3' | 'M4' | 'M5' | 'M6' | 'UNS' | 'LOG';

export type FormCode =
  | 'CONSENT'
  | 'DEMOG'
  | 'MEDHX'
  | 'BIOPSY'
  | 'SLEDAI'
  | 'BILAG'
  | 'VITALS'
  | 'LAB'
  | 'PREG'
  | 'ELIG'
  | 'RAND'
  | 'PHARM'
  | 'INFUSION'
  | 'CYC'
  | 'RESPONSE'
  | 'EOS'
  | 'AE'
  | 'CONMED'
  | 'UNBLIND';

/** A stored item value. Dates are 'YYYY-MM-DD', times 'HH:MM', empty is null. */
export type ItemValue = string | number | boolean | null | string[];

/** The item values of one form instance, keyed by field id. */
export type FormData = Record<string, ItemValue | undefined>;

export interface Choice {
  value: string;
  label: Bilingual;
}

export type FieldType = 'number' | 'integer' | 'text' | 'textarea' | 'date' | 'time' | 'boolean' | 'choice' | 'multichoice';

export interface Range {
  min?: number;
  max?: number;
}

export interface FieldDef {
  id: string;
  type: FieldType;
  label: Bilingual;
  /** Unit shown beside the input, e.g. 'µmol/L', '×10⁹/L'. */
  unit?: string;
  /** Section heading within the form (for grouping on screen). */
  section?: Bilingual;
  help?: Bilingual;
  choices?: Choice[];
  /** true: always required; a function: required when it returns true for the form data and context. */
  required?: boolean | ((data: FormData, ctx: FormContext) => boolean);
  /** Shown only when this returns true (hidden fields are not required and are cleared on save). */
  visibleWhen?: (data: FormData, ctx: FormContext) => boolean;
  /** Hard range: outside physiology, an error that blocks save. */
  plausible?: Range;
  /** Soft range: outside normal, a warning that raises a query. */
  normal?: Range;
  /** Decimal places accepted for 'number' fields. */
  decimals?: number;
  maxLength?: number;
  /** Hidden from blinded roles (allocation, the pharmacy's cell count and viability): never shown, sent or exported to them. */
  unblindedOnly?: boolean;
  /** Only these roles may set or change the value (e.g. the investigator's confirmation); others see it read-only. */
  editRoles?: readonly Role[];
  /**
   * Lab results that may be reported against a limit instead of a number (amendment 1, rule 11): '<x' / '>x'
   * (reporting limits), and where set 'field_full' (urine sediment 满视野, above `fieldFullAbove` /HPF) or
   * 'undetectable' (below `undetectableBelow`), or 'not_applicable' (a placebo bag's viability). Stored as that text;
   * rules read it with measuredValue().
   */
  qualified?: { fieldFullAbove?: number; undetectableBelow?: number; notApplicable?: boolean };
  // --- additions for issue 3 (all optional, existing shapes unchanged) ---
  /** Sex-specific soft range; overrides `normal` when the subject's sex is known. */
  normalBySex?: { F: Range; M: Range };
  /** Regular expression (source) a 'text' value must match, e.g. '^R\\d{3}$'. */
  pattern?: string;
  /** Example shown in the pattern error message, e.g. 'R001'. */
  patternExample?: string;
  /** Date fields that may legitimately precede consent (date of birth, diagnosis, historical biopsy, medication start). */
  allowBeforeConsent?: boolean;
  /** This date is the date the visit took place: checked against the visit window (a query, never an error). */
  visitDate?: boolean;
  /** Value the UI pre-fills in a new form (e.g. CYC target 750 mg/m²). */
  defaultValue?: ItemValue;
  /** Screen layout only: consecutive fields of the same table are shown as one grid (rows × columns). Data, validation
   *  and export still treat every field on its own. */
  grid?: FieldGrid;
  /**
   * Why the field may be empty, given instead of a value (issue 14): stored as the item `<id>__missing`
   * (missingValues.ts), only while the value is empty; a reason it allows satisfies `required`.
   */
  missingReasons?: readonly MissingReason[];
  /**
   * Written by the back end only (the RESPONSE of record): never an input on screen, a client's value is ignored and
   * the stored one kept; validation passes it through unchecked.
   */
  system?: boolean;
}

/** A table of fields on screen, e.g. INFUSION vital signs: rows are time points, columns are the signs. */
export interface GridTable {
  id: string;
  title: Bilingual;
  /** Heading of the row-label column, e.g. 时间点 / Time point. */
  rowHeading: Bilingual;
}

/** Where a field sits in its table: the row and column it belongs to (the column header also shows the field's unit). */
export interface FieldGrid {
  table: GridTable;
  row: Bilingual;
  col: Bilingual;
}

/** A derived value: a number, or the code of a categorical one (the response category, an eligibility criterion). */
export type DerivedValue = number | string;

export interface DerivedDef {
  id: string;
  label: Bilingual;
  unit?: string;
  /** The formula, as shown on hover. */
  formula: Bilingual;
  decimals?: number;
  /** Reveals the allocation (the PHARM cell dose): computed and shown for the pharmacist only, withheld from exports. */
  unblindedOnly?: boolean;
  /** The codes a categorical value may take, with their labels (a number-valued one has none). */
  choices?: Choice[];
  /** Not listed in the form's derived-values box (its panel already shows it: the ELIG criteria, the response steps). */
  hideOnForm?: boolean;
  /** null when it cannot be computed (an input missing): stored as no row (derived_values). */
  compute: (data: FormData, ctx: FormContext) => DerivedValue | null;
}

export interface FormDef {
  code: FormCode;
  label: Bilingual;
  /** AE and CONMED are repeating logs: many instances per subject. */
  repeating?: boolean;
  /** Derived forms (ELIG, RESPONSE) are computed, the user only confirms. */
  derivedOnly?: boolean;
  /** Only these roles may save the form (the pharmacy's PHARM form: the pharmacist). */
  editRoles?: readonly Role[];
  fields: FieldDef[];
  derived?: DerivedDef[];
  /**
   * The other forms its derived values read (through the casebook or the subject facts): a save of one of these
   * recomputes and stores them again (a LAB's eGFR when DEMOG's date of birth is corrected). Checked by a test.
   */
  derivedReads?: readonly FormCode[];
}

export interface VisitDef {
  code: VisitCode;
  label: Bilingual;
  /** Target study day relative to Day 0 (randomisation); null for screening and logs. */
  targetDay: number | null;
  /** Allowed deviation in days (± window); null when there is no window. */
  windowDays: number | null;
  /** Screening runs from day −28 to −1. */
  dayRange?: { from: number; to: number };
  /** An unscheduled visit: any number of instances (repeat key 1, 2, …), never part of the schedule's roll-up. */
  repeating?: boolean;
  forms: FormCode[];
}

/** One saved form instance as the casebook holds it. */
export interface CasebookForm {
  visitCode: VisitCode;
  formCode: FormCode;
  repeatKey: number;
  data: FormData;
}

/** Facts about the subject drawn from saved forms, needed for cross-form rules. */
export interface SubjectFacts {
  consentDate?: string;
  dateOfBirth?: string;
  sex?: 'F' | 'M';
  childbearingPotential?: boolean;
  heightCm?: number;
  day0Date?: string;
  randNo?: string;
  kitNo?: string;
}

/** What validation of one form may look at besides its own data. */
export interface FormContext {
  subject: SubjectFacts;
  visitCode: VisitCode;
  /** The form instance's repeat key (AE/CONMED entries, unscheduled visits, a held CYC pulse given later); 0 when absent. */
  repeatKey?: number;
  /** The other saved forms of the subject (all visits), for cross-form checks. */
  casebook: CasebookForm[];
  /** Today's date 'YYYY-MM-DD' on the ward (Asia/Shanghai); when given, dates after it are rejected. */
  today?: string;
}

export type Severity = 'error' | 'warning';

/** One validation finding, already translated into both languages. */
export interface ValidationIssue {
  checkId: string;
  fieldId: string;
  severity: Severity;
  message: Bilingual;
}

export interface ValidationResult {
  /** true when there is no error (warnings do not block save). */
  ok: boolean;
  /** The cleaned values (empty strings to null, numbers parsed, hidden fields removed). */
  values: FormData;
  errors: ValidationIssue[];
  warnings: ValidationIssue[];
  derived: Record<string, DerivedValue | null>;
}
