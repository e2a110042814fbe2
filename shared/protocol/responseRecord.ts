// The RESPONSE of record (PROTOCOL.md cross-form rule 10; issue 14 storage contract item 3). Confirming RESPONSE
// stores, as system items of the form: the category, every rule step, each input value with the LAB form and version
// it came from, and the rules version; a not-evaluable result with its missing inputs. A later change to an input
// withdraws the confirmation (the back end writes confirmed = false, recordWithdrawal naming the change, and puts the
// form back in progress); an edit check on RESPONSE names the change and raises the query, which closes when the
// investigator confirms again. The record* items stay, as what was confirmed, until the next confirmation.
import type { Bilingual, CasebookForm, FormData, ItemValue } from './types';
import { RENAL_INPUT_LABELS, RENAL_RESPONSE_LABELS, classifyRenalResponse, type RenalResponseCategory } from '../rules/renalResponse';
import { RULES_VERSION } from '../rules/version';
import { RENAL_INPUT_SOURCES, renalResponseInputs } from './endpointInputs';
import { formAt } from './crossFormData';
import { qualifiedText } from './labValues';
import { isMissingReason, missingReasonOf, missingReasonText, type MissingReason } from './missingValues';

/** The system items of RESPONSE, in the order the form lists them. */
export const RECORD_ITEMS = ['recordCategory', 'recordSteps', 'recordInputs', 'recordRulesVersion', 'recordMissing', 'recordWithdrawal'] as const;
export type RecordItem = (typeof RECORD_ITEMS)[number];

/** One input as confirmed: its value (a number, or a limit / token as stored) and where it came from. */
export interface RecordedInput {
  visit: 'SCR' | 'M6';
  form: 'LAB';
  repeatKey: number;
  item: string;
  /** The version of the LAB form when confirmed; null when there was no such form. */
  formVersion: number | null;
  value: number | string | null;
  /** Why the value is empty, when the LAB says (not done / unknown). */
  missingReason?: MissingReason;
}

export type VersionOf = (visit: 'SCR' | 'M6', form: 'LAB', repeatKey: number) => number | null;

const storedValue = (v: ItemValue | undefined): number | string | null => (typeof v === 'number' || (typeof v === 'string' && v !== '') ? v : null);

/** Each input of the endpoint as the casebook holds it now, with its source form and version. */
export function currentInputs(casebook: readonly CasebookForm[], versionOf: VersionOf): Record<string, RecordedInput> {
  const out: Record<string, RecordedInput> = {};
  for (const [key, src] of Object.entries(RENAL_INPUT_SOURCES)) {
    const lab = formAt(casebook, src.form, src.visit);
    const reason = missingReasonOf(lab?.data, src.item);
    out[key] = {
      visit: src.visit,
      form: src.form,
      repeatKey: 0,
      item: src.item,
      formVersion: lab ? versionOf(src.visit, src.form, 0) : null,
      value: storedValue(lab?.data[src.item]),
      ...(reason ? { missingReason: reason } : {}),
    };
  }
  return out;
}

/**
 * The record* items a confirmation writes, for the casebook as it is now (the RESPONSE form's own data aside):
 * category, steps, inputs with versions, the rules version, the missing (or undecided) inputs when not evaluable;
 * recordWithdrawal is cleared.
 */
export function responseOfRecord(casebook: readonly CasebookForm[], versionOf: VersionOf): Record<RecordItem, string | null> {
  const r = classifyRenalResponse(renalResponseInputs(casebook));
  const missing = [...r.missing, ...r.undecided];
  return {
    recordCategory: r.category,
    recordSteps: JSON.stringify([r.steps.renalFunction, r.steps.urineRbc, r.steps.proteinuria, r.steps.complete]),
    recordInputs: JSON.stringify(currentInputs(casebook, versionOf)),
    recordRulesVersion: RULES_VERSION,
    recordMissing: r.category === 'not_evaluable' ? JSON.stringify(missing) : null,
    recordWithdrawal: null,
  };
}

/** The confirmed inputs stored on a RESPONSE (null when never confirmed or unreadable). */
export function recordedInputs(data: FormData | null | undefined): Record<string, RecordedInput> | null {
  const text = data?.recordInputs;
  if (typeof text !== 'string') return null;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
    const out: Record<string, RecordedInput> = {};
    for (const [key, v] of Object.entries(parsed as Record<string, Partial<RecordedInput>>)) {
      if (!v || typeof v !== 'object' || !RENAL_INPUT_SOURCES[key]) continue;
      out[key] = {
        ...RENAL_INPUT_SOURCES[key],
        repeatKey: 0,
        formVersion: typeof v.formVersion === 'number' ? v.formVersion : null,
        value: typeof v.value === 'number' || typeof v.value === 'string' ? v.value : null,
        ...(isMissingReason(v.missingReason) ? { missingReason: v.missingReason } : {}),
      } as RecordedInput;
    }
    return out;
  } catch {
    return null;
  }
}

/** The category the RESPONSE of record holds (null when never confirmed). */
export function recordedCategory(data: FormData | null | undefined): RenalResponseCategory | null {
  const c = data?.recordCategory;
  return c === 'complete' || c === 'partial' || c === 'none' || c === 'not_evaluable' ? c : null;
}

export interface InputChange {
  key: string;
  label: Bilingual;
  unit: string;
  before: RecordedInput;
  after: RecordedInput;
}

/** Inputs whose value differs from the one confirmed (a change of another item of the LAB is not one). */
export function changedInputs(data: FormData | null | undefined, casebook: readonly CasebookForm[]): InputChange[] {
  const recorded = recordedInputs(data);
  if (!recorded) return [];
  const now = currentInputs(casebook, () => null);
  const changes: InputChange[] = [];
  for (const [key, before] of Object.entries(recorded)) {
    const after = now[key];
    if (!after || before.value === after.value) continue;
    changes.push({ key, label: RENAL_INPUT_LABELS[key] ?? { zh: key, en: key }, unit: RENAL_INPUT_SOURCES[key]?.unit ?? '', before, after });
  }
  return changes;
}

/** How an input value reads in a message: '0.37', '满视野', '未做' (a reason), or '（空）'. */
function shown(i: RecordedInput): Bilingual {
  if (i.value !== null) return typeof i.value === 'number' ? { zh: String(i.value), en: String(i.value) } : qualifiedText(i.value);
  if (i.missingReason) return missingReasonText(i.missingReason);
  return { zh: '（空）', en: '(empty)' };
}

/** '第 6 个月 24 小时尿蛋白 0.37 → 1.2 g/24 h' for each change, joined. */
export function describeChanges(changes: readonly InputChange[]): Bilingual {
  const one = (c: InputChange, lang: 'zh' | 'en') => `${c.label[lang]} ${shown(c.before)[lang]} → ${shown(c.after)[lang]}${c.after.value !== null || c.before.value !== null ? ` ${c.unit}` : ''}`;
  return { zh: changes.map((c) => one(c, 'zh')).join('；'), en: changes.map((c) => one(c, 'en')).join('; ') };
}

/**
 * Why a confirmation no longer holds: which inputs changed since, the category confirmed and the one the rules give
 * now. null when nothing the confirmation used has changed.
 */
export function withdrawalReason(data: FormData | null | undefined, casebook: readonly CasebookForm[]): Bilingual | null {
  const changes = changedInputs(data, casebook);
  if (changes.length === 0) return null;
  const was = recordedCategory(data);
  const now = classifyRenalResponse(renalResponseInputs(casebook)).category;
  const what = describeChanges(changes);
  const wasLabel = was ? RENAL_RESPONSE_LABELS[was] : { zh: '—', en: '—' };
  const nowLabel = RENAL_RESPONSE_LABELS[now];
  return {
    zh: `确认后输入值已更改：${what.zh}。确认时判定为“${wasLabel.zh}”，现判定为“${nowLabel.zh}”`,
    en: `An input changed after the confirmation: ${what.en}. Confirmed as "${wasLabel.en}", the rules now give "${nowLabel.en}"`,
  };
}
