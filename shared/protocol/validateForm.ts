// Form validation: one engine (validateForm) used by the back end on every save, and the zod schema (formSchema) the UI gives react-hook-form; both run the same field defs and edit checks.
import { z } from 'zod';
import type {
  Bilingual,
  DerivedValue,
  FieldDef,
  FormDef,
  FormCode,
  FormContext,
  FormData,
  ItemValue,
  Lang,
  Range,
  ValidationIssue,
  SubjectFacts,
  ValidationResult,
  VisitCode,
} from './types';
import { FORMS, isFormCode } from './study';
import { isVisitCode, visitDef } from './visits';
import { consentGate } from './consentGate';
import { crossChecksFor } from './editChecks';
import { cleanCasebook } from './casebook';
import { daysBetween, isIsoDate, parseIsoDate } from '../rules/dates';
import { visitWindow } from '../rules/visitWindow';
import { VALIDATION_MESSAGES as M } from '../i18n/validation';
import { NOT_APPLICABLE, measuredOf, parseQualified, qualifiedText } from './labValues';
import { isAbove, isBelow, type Measured } from '../rules/measured';
import { normaliseDateText, normaliseNumberText, normaliseTimeText, unitHint, withUnitHint } from './entryNormalise';
import { isMissingReason, missingItemId } from './missingValues';

export { consentGate } from './consentGate';

type Issue = ValidationIssue;

/** Subject facts with every property of the right type (anything else dropped). */
export function sanitiseFacts(raw: unknown): SubjectFacts {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const out: SubjectFacts = {};
  const str = (k: string) => (typeof r[k] === 'string' ? (r[k] as string) : undefined);
  if (isIsoDate(r.consentDate)) out.consentDate = r.consentDate;
  if (isIsoDate(r.dateOfBirth)) out.dateOfBirth = r.dateOfBirth;
  if (isIsoDate(r.day0Date)) out.day0Date = r.day0Date;
  if (r.sex === 'F' || r.sex === 'M') out.sex = r.sex;
  if (typeof r.childbearingPotential === 'boolean') out.childbearingPotential = r.childbearingPotential;
  if (typeof r.heightCm === 'number' && Number.isFinite(r.heightCm)) out.heightCm = r.heightCm;
  const randNo = str('randNo');
  if (randNo) out.randNo = randNo;
  const kitNo = str('kitNo');
  if (kitNo) out.kitNo = kitNo;
  return out;
}

/** A context that is always safe to read, whatever the caller passed. */
export function normaliseContext(ctx: FormContext | null | undefined): FormContext {
  const c = ctx && typeof ctx === 'object' ? ctx : ({} as FormContext);
  const subject = sanitiseFacts(c.subject);
  const out: FormContext = {
    subject,
    visitCode: isVisitCode(c.visitCode) ? c.visitCode : ('LOG' as VisitCode),
    casebook: cleanCasebook(c.casebook),
  };
  if (isIsoDate(c.today)) out.today = c.today;
  if (typeof c.repeatKey === 'number' && Number.isInteger(c.repeatKey) && c.repeatKey > 0) out.repeatKey = c.repeatKey;
  return out;
}

const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/**
 * First-stage cleaning shared by the zod preprocessor and validateForm: trims strings, empty → null,
 * numeric strings → numbers (full-width digits and 。 accepted), 'true'/'false' → booleans, dates and times in the
 * ward's other spellings → 'YYYY-MM-DD' / 'HH:MM' (entryNormalise.ts).
 * Anything it cannot convert is returned unchanged so the type check can report it.
 */
export function precleanValue(f: FieldDef, raw: unknown): unknown {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'string') {
    const s = raw.trim();
    if (s === '') return null;
    if (f.type === 'number' || f.type === 'integer') {
      const ascii = normaliseNumberText(s);
      return NUMERIC.test(ascii) ? Number(ascii) : (parseQualified(f, ascii) ?? raw);
    }
    if (f.type === 'boolean') return s === 'true' ? true : s === 'false' ? false : raw;
    if (f.type === 'date') return normaliseDateText(s);
    if (f.type === 'time') return normaliseTimeText(s);
    return s;
  }
  if (f.type === 'multichoice' && Array.isArray(raw) && raw.length === 0) return null;
  return raw;
}

/** Number of decimal places in a finite number's shortest representation. */
export function decimalPlaces(n: number): number {
  const s = String(n);
  const exp = /e([+-]\d+)$/.exec(s);
  const mantissa = exp ? s.slice(0, exp.index) : s;
  const dot = mantissa.indexOf('.');
  const frac = dot < 0 ? 0 : mantissa.length - dot - 1;
  return Math.max(0, frac - (exp ? Number(exp[1]) : 0));
}

function issue(formCode: FormCode, fieldId: string, check: string, severity: 'error' | 'warning', message: Bilingual): Issue {
  return { checkId: fieldId ? `${formCode}.${fieldId}.${check}` : `${formCode}.${check}`, fieldId, severity, message };
}

function outside(v: number, r: Range): boolean {
  return (r.min !== undefined && v < r.min) || (r.max !== undefined && v > r.max);
}

/** A reported limit that is certainly outside a range ('<0.1' against 3.5-9.5); undecided counts as inside. */
function certainlyOutside(m: Measured, r: Range): boolean {
  return (r.min !== undefined && isBelow(m, r.min) === true) || (r.max !== undefined && isAbove(m, r.max) === true);
}

/** The normal range that applies to this subject: sex-specific when known. */
export function normalRangeFor(f: FieldDef, sex: 'F' | 'M' | undefined): Range | undefined {
  if (f.normalBySex && (sex === 'F' || sex === 'M')) return f.normalBySex[sex];
  return f.normal;
}

/** Type, format and range checks of one field value. Returns the cleaned value (null when invalid) and its issues. */
export function checkFieldValue(formCode: FormCode, f: FieldDef, raw: unknown, sex?: 'F' | 'M'): { value: ItemValue; issues: Issue[] } {
  const v = precleanValue(f, raw);
  const issues: Issue[] = [];
  const bad = (message: Bilingual, check = 'type') => {
    issues.push(issue(formCode, f.id, check, 'error', message));
    return { value: null, issues };
  };
  if (v === null) return { value: null, issues };
  switch (f.type) {
    case 'number':
    case 'integer': {
      if (typeof v === 'string' && f.qualified) {
        // A reporting limit or token (amendment 1, rule 11): the limit must itself be a plausible value.
        if (v === NOT_APPLICABLE && f.qualified.notApplicable) return { value: v, issues };
        const m = measuredOf(f, v);
        if (!m) return bad(M.notNumber(f.label));
        if (v.startsWith('<') || v.startsWith('>')) {
          if (f.type === 'integer' && !Number.isInteger(m.value)) return bad(M.notInteger(f.label));
          if (f.decimals !== undefined && decimalPlaces(m.value) > f.decimals) return bad(M.decimals(f.label, f.decimals), 'decimals');
          if (f.plausible && outside(m.value, f.plausible)) return bad(M.plausible(f.label, v, f.unit, f.plausible), 'plausible');
        }
        const normal = normalRangeFor(f, sex);
        if (normal && certainlyOutside(m, normal)) {
          const shown = qualifiedText(v); // 满视野 / field full, not the stored token
          issues.push(issue(formCode, f.id, 'normal', 'warning', { zh: M.normal(f.label, shown.zh, f.unit, normal).zh, en: M.normal(f.label, shown.en, f.unit, normal).en }));
        }
        return { value: v, issues };
      }
      if (typeof v !== 'number' || !Number.isFinite(v)) return bad(M.notNumber(f.label));
      // A value that fits another common unit (creatinine 1.1 in mg/dL) says so, with the converted value.
      const hinted = (message: Bilingual) => withUnitHint(message, unitHint(f, v));
      if (f.type === 'integer' && !Number.isInteger(v)) return bad(hinted(M.notInteger(f.label)));
      if (f.type === 'number' && f.decimals !== undefined && decimalPlaces(v) > f.decimals) return bad(hinted(M.decimals(f.label, f.decimals)), 'decimals');
      if (f.plausible && outside(v, f.plausible)) return bad(hinted(M.plausible(f.label, v, f.unit, f.plausible)), 'plausible');
      const normal = normalRangeFor(f, sex);
      if (normal && outside(v, normal)) issues.push(issue(formCode, f.id, 'normal', 'warning', M.normal(f.label, v, f.unit, normal)));
      return { value: v, issues };
    }
    case 'text':
    case 'textarea': {
      const s = typeof v === 'number' && Number.isFinite(v) ? String(v) : v;
      if (typeof s !== 'string') return bad(M.notText(f.label));
      if (f.maxLength !== undefined && s.length > f.maxLength) return bad(M.tooLong(f.label, f.maxLength), 'maxLength');
      if (f.pattern && !safeRegex(f.pattern).test(s)) return bad(M.pattern(f.label, f.patternExample), 'pattern');
      return { value: s, issues };
    }
    case 'date':
      return isIsoDate(v) ? { value: v, issues } : bad(M.notDate(f.label));
    case 'time':
      return typeof v === 'string' && /^([01]\d|2[0-3]):[0-5]\d$/.test(v) ? { value: v, issues } : bad(M.notTime(f.label));
    case 'boolean':
      return typeof v === 'boolean' ? { value: v, issues } : bad(M.notBoolean(f.label));
    case 'choice': {
      const s = typeof v === 'number' && Number.isFinite(v) ? String(v) : v;
      return typeof s === 'string' && (f.choices ?? []).some((c) => c.value === s) ? { value: s, issues } : bad(M.notChoice(f.label));
    }
    case 'multichoice': {
      const list = typeof v === 'string' ? [v] : v;
      if (!Array.isArray(list) || !list.every((x) => typeof x === 'string' && (f.choices ?? []).some((c) => c.value === x))) return bad(M.notChoice(f.label));
      const unique = [...new Set(list as string[])];
      return { value: unique, issues };
    }
    default:
      return bad(M.notText(f.label));
  }
}

const regexCache = new Map<string, RegExp>();
function safeRegex(source: string): RegExp {
  let r = regexCache.get(source);
  if (!r) {
    r = new RegExp(source, 'u');
    regexCache.set(source, r);
  }
  return r;
}

/** Run a definition callback without letting a bug in it break validation. */
function safely<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

/** Whether a field is shown for these values (a visibleWhen that throws counts as shown). */
export function isVisible(f: FieldDef, data: FormData, ctx: FormContext): boolean {
  return f.visibleWhen ? safely(() => f.visibleWhen!(data, ctx) === true, true) : true;
}

/** Whether a field must be filled in for these values (a required() that throws counts as optional). */
export function isRequired(f: FieldDef, data: FormData, ctx: FormContext): boolean {
  if (typeof f.required === 'function') {
    const fn = f.required;
    return safely(() => fn(data, ctx) === true, false);
  }
  return f.required === true;
}

/**
 * Whether a form may have more than one instance at a visit: the logs (AE, CONMED), every form of the unscheduled
 * visit (one instance per repeat key), and CYC (a held pulse given later, amendment 1 rule 3; its own check).
 */
export function repeatAllowed(formCode: FormCode, visitCode: VisitCode): boolean {
  return FORMS[formCode]?.repeating === true || visitDef(visitCode)?.repeating === true || formCode === 'CYC';
}

/** Visit-window warning for a field marked visitDate (needs Day 0); null when in window or not applicable. */
function visitWindowIssue(formCode: FormCode, f: FieldDef, date: string, ctx: FormContext): Issue | null {
  const day0 = ctx.subject.day0Date;
  if (!day0 || ctx.visitCode === 'LOG') return null;
  // A second instance at a scheduled visit is a held CYC pulse given later: its own rule checks its timing.
  if ((ctx.repeatKey ?? 0) > 0 && !visitDef(ctx.visitCode)?.repeating) return null;
  const w = visitWindow(ctx.visitCode, day0, date);
  if (w.inWindow !== false) return null;
  const visit = visitDef(ctx.visitCode)?.label ?? { zh: ctx.visitCode, en: ctx.visitCode };
  const span = `${w.earliestDate} – ${w.latestDate}`;
  const late = w.status === 'late';
  // Days beyond the window edge (not from the target), which is what the query is about.
  const beyond = Math.abs(late ? daysBetween(w.latestDate, date) : daysBetween(date, w.earliestDate));
  return issue(formCode, f.id, 'visitWindow', 'warning', {
    zh: `${f.label.zh} ${date} 超出${visit.zh}访视窗 ${span}（${late ? '晚' : '早'} ${beyond} 天）`,
    en: `${f.label.en} ${date} is outside the ${visit.en} window ${span} (${beyond} day${beyond === 1 ? '' : 's'} ${late ? 'late' : 'early'})`,
  });
}

/**
 * Validate one form instance: clean the raw values, drop hidden fields, then run every edit check
 * (type/format/range from the field defs, required, consent, dates, visit window, cross-field and cross-form).
 * Errors block the save; warnings are saved and raise queries. Never throws, whatever rawData is.
 */
export function validateForm(formCode: FormCode, rawData: unknown, ctx: FormContext): ValidationResult {
  const errors: Issue[] = [];
  const warnings: Issue[] = [];
  if (!isFormCode(formCode)) {
    const code = safely(() => String(formCode), '?');
    return {
      ok: false,
      values: {},
      errors: [{ checkId: 'FORM.unknown', fieldId: '', severity: 'error', message: M.unknownForm(code) }],
      warnings,
      derived: {},
    };
  }
  const def = FORMS[formCode];
  const c = normaliseContext(ctx);
  const raw: Record<string, unknown> =
    rawData && typeof rawData === 'object' && !Array.isArray(rawData) ? (rawData as Record<string, unknown>) : {};
  if (rawData !== undefined && rawData !== null && raw !== rawData) {
    errors.push({ checkId: `${formCode}.notAnObject`, fieldId: '', severity: 'error', message: M.notAnObject() });
  }

  // 1. Field by field: type, format, plausible (error) and normal (warning) ranges; a missing-value reason beside it.
  const values: FormData = {};
  const fieldIssues = new Map<string, Issue[]>();
  const typeFailed = new Set<string>();
  const rawOf = (id: string): unknown => safely(() => (Object.prototype.hasOwnProperty.call(raw, id) ? raw[id] : undefined), undefined);
  for (const f of def.fields) {
    if (f.system) {
      // Written by the back end (the RESPONSE of record): passed through as stored, never checked as an input.
      const v = rawOf(f.id);
      values[f.id] = typeof v === 'string' && v !== '' ? v : null;
      continue;
    }
    const r = checkFieldValue(formCode, f, rawOf(f.id), c.subject.sex);
    values[f.id] = r.value;
    const reason = missingReasonIssue(formCode, f, rawOf(missingItemId(f.id)), r.value);
    if (reason.issue) r.issues.push(reason.issue);
    if (reason.value !== null) values[missingItemId(f.id)] = reason.value;
    fieldIssues.set(f.id, r.issues);
    if (r.issues.some((i) => i.severity === 'error')) typeFailed.add(f.id);
  }

  // 2. Hidden fields are cleared (and not checked), with their reasons; visible ones get their issues and the required
  // check, which a missing-value reason the field allows satisfies.
  for (const f of def.fields) {
    if (f.system) continue;
    if (!isVisible(f, values, c)) {
      delete values[f.id];
      delete values[missingItemId(f.id)];
      continue;
    }
    for (const i of fieldIssues.get(f.id) ?? []) (i.severity === 'error' ? errors : warnings).push(i);
    const explained = values[missingItemId(f.id)] !== undefined;
    if (values[f.id] === null && !explained && !typeFailed.has(f.id) && isRequired(f, values, c)) {
      errors.push(issue(formCode, f.id, 'required', 'error', M.required(f.label)));
    }
  }

  // 3. Consent gate and visit scheduling.
  const gate = consentGate(formCode, c);
  if (!gate.allowed && gate.reason) errors.push({ checkId: gate.checkId ?? `${formCode}.consentGate`, fieldId: '', severity: 'error', message: gate.reason });
  const visit = visitDef(c.visitCode);
  if (visit && !visit.forms.includes(formCode)) {
    errors.push(issue(formCode, '', 'visit.notScheduled', 'error', M.notScheduled(def.label, c.visitCode)));
  }
  if ((c.repeatKey ?? 0) > 0 && !repeatAllowed(formCode, c.visitCode)) {
    errors.push(issue(formCode, '', 'visit.repeat', 'error', M.repeatNotAllowed(def.label, c.visitCode)));
  }

  // 4. Dates: not before consent, not in the future, visit date within window.
  const consentDate = formCode === 'CONSENT' ? undefined : c.subject.consentDate;
  for (const f of def.fields) {
    if (f.type !== 'date') continue;
    const d = values[f.id];
    if (typeof d !== 'string' || !parseIsoDate(d)) continue;
    if (consentDate && !f.allowBeforeConsent && d < consentDate) errors.push(issue(formCode, f.id, 'beforeConsent', 'error', M.beforeConsent(f.label, d, consentDate)));
    if (c.today && d > c.today) errors.push(issue(formCode, f.id, 'future', 'error', M.inFuture(f.label, d, c.today)));
    if (f.visitDate) {
      const w = visitWindowIssue(formCode, f, d, c);
      if (w) warnings.push(w);
    }
  }

  // 5. Cross-field and cross-form checks (listed in editChecks.ts).
  for (const check of crossChecksFor(formCode)) {
    if (check.fieldId && !(check.fieldId in values) && def.fields.some((f) => f.id === check.fieldId)) continue; // hidden field
    const message = safely(() => check.test(values, c), null);
    if (message) (check.severity === 'error' ? errors : warnings).push({ checkId: check.id, fieldId: check.fieldId, severity: check.severity, message });
  }

  // 6. Derived values (NaN and failures become null).
  const derived = computeDerived(def, values, c);

  return { ok: errors.length === 0, values, errors, warnings, derived };
}

/**
 * The derived values of a form for its (cleaned) values: a finite number, a non-empty code, or null (NaN, an
 * exception, an input missing). `ctx` is normalised by the caller (validateForm, or the back end's recompute).
 */
export function computeDerived(def: FormDef, values: FormData, ctx: FormContext): Record<string, DerivedValue | null> {
  const derived: Record<string, DerivedValue | null> = {};
  for (const d of def.derived ?? []) {
    const v = safely(() => d.compute(values, ctx), null);
    derived[d.id] = typeof v === 'number' ? (Number.isFinite(v) ? v : null) : typeof v === 'string' && v !== '' ? v : null;
  }
  return derived;
}

/**
 * A missing-value reason given beside a field (`<id>__missing`): accepted only when the field allows that reason and
 * its value is empty. Returns the reason to store (null: none) and the error when it is refused.
 */
function missingReasonIssue(formCode: FormCode, f: FieldDef, rawReason: unknown, value: ItemValue): { value: string | null; issue: Issue | null } {
  const reason = typeof rawReason === 'string' ? rawReason.trim() : rawReason;
  if (reason === undefined || reason === null || reason === '') return { value: null, issue: null };
  if (!f.missingReasons?.length) return { value: null, issue: issue(formCode, f.id, 'missingReason', 'error', M.missingReasonNotAllowed(f.label)) };
  if (!isMissingReason(reason) || !f.missingReasons.includes(reason)) return { value: null, issue: issue(formCode, f.id, 'missingReason', 'error', M.missingReasonUnknown(f.label, f.missingReasons)) };
  if (value !== null) return { value: null, issue: issue(formCode, f.id, 'missingReason', 'error', M.missingReasonWithValue(f.label, reason)) };
  return { value: reason, issue: null };
}

/**
 * The zod schema of a form for react-hook-form's zodResolver: z.object over the form's fields, each preprocessed
 * (empty → null, numeric strings → numbers), then one superRefine that reports every ERROR of validateForm on its
 * field with the message in `lang` (warnings do not block and are not schema issues; read them from validateForm).
 * The parsed output is validateForm's cleaned values (hidden fields removed).
 */
export function formSchema(formCode: FormCode, ctx: FormContext, lang: Lang): z.ZodType<FormData> {
  const key = lang === 'en' ? 'en' : 'zh';
  const fields = isFormCode(formCode) ? FORMS[formCode].fields : [];
  const shape: Record<string, z.ZodType> = {};
  for (const f of fields) {
    shape[f.id] = z.preprocess((v) => precleanValue(f, v), z.unknown()).optional();
    if (f.missingReasons?.length) shape[missingItemId(f.id)] = z.unknown().optional();
  }
  const base = z.preprocess((v) => (v && typeof v === 'object' && !Array.isArray(v) ? v : {}), z.object(shape));
  // The refinement and the transform receive the same parsed object: validate it once, not twice per keystroke.
  let last: { value: unknown; result: ValidationResult } | null = null;
  const validated = (value: unknown): ValidationResult => {
    if (last !== null && last.value === value) return last.result;
    const result = validateForm(formCode, value, ctx);
    last = { value, result };
    return result;
  };
  return base
    .superRefine(
      (value, zctx) => {
        const r = validated(value);
        for (const e of r.errors) {
          zctx.addIssue({ code: 'custom', path: e.fieldId ? [e.fieldId] : [], message: e.message[key], params: { checkId: e.checkId } });
        }
      },
      { when: () => true },
    )
    .transform((value) => {
      const { values } = validated(value);
      last = null; // the next parse is of new values
      return values;
    }) as unknown as z.ZodType<FormData>;
}
