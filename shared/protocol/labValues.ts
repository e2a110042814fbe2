// Qualified lab values (amendment 1, rule 11): what a nurse may type instead of a number ('<0.1', '>10000', 满视野,
// 未检出), how it is stored (canonical text), and how rules read it (a Measured bound, see rules/measured.ts).
import type { Bilingual, FieldDef, FormCode, FormData } from './types';
import { FORMS } from './study';
import { exactly, type Measured } from '../rules/measured';

export const FIELD_FULL = 'field_full';
export const UNDETECTABLE = 'undetectable';
export const NOT_APPLICABLE = 'not_applicable';

const FIELD_FULL_WORDS = /^(满视野|滿視野|field[ _-]?full|full field)$/i;
const UNDETECTABLE_WORDS = /^(未检出|未检测到|未測出|undetectable|not detected|nd)$/i;
const NOT_APPLICABLE_WORDS = /^(不适用|不適用|n\/?a|not applicable|not_applicable)$/i;
const LIMIT = /^([<>])\s*(\d+\.?\d*|\.\d+)$/;

/** The limit or token as stored ('<0.1', 'field_full'), or null when the text is not one this field accepts. */
export function parseQualified(f: FieldDef, text: string): string | null {
  if (!f.qualified) return null;
  const s = text.trim().replace(/＜/g, '<').replace(/＞/g, '>');
  const m = LIMIT.exec(s);
  if (m) return `${m[1]}${Number(m[2])}`;
  if (f.qualified.fieldFullAbove !== undefined && FIELD_FULL_WORDS.test(s)) return FIELD_FULL;
  if (f.qualified.undetectableBelow !== undefined && UNDETECTABLE_WORDS.test(s)) return UNDETECTABLE;
  if (f.qualified.notApplicable && NOT_APPLICABLE_WORDS.test(s)) return NOT_APPLICABLE;
  return null;
}

/** A stored value of a qualified field as a bound: a number exactly, '<x' below x, field full above its limit. */
export function measuredOf(f: FieldDef | undefined, v: unknown): Measured | null {
  if (typeof v === 'number') return Number.isFinite(v) ? exactly(v) : null;
  if (typeof v !== 'string' || !f?.qualified) return null;
  if (v === FIELD_FULL) return f.qualified.fieldFullAbove === undefined ? null : { op: '>', value: f.qualified.fieldFullAbove };
  if (v === UNDETECTABLE) return f.qualified.undetectableBelow === undefined ? null : { op: '<', value: f.qualified.undetectableBelow };
  const m = LIMIT.exec(v);
  return m ? { op: m[1] as '<' | '>', value: Number(m[2]) } : null;
}

/** The measured value of an item of a form's saved data (null when absent or not a value). */
export function measuredValue(formCode: FormCode, data: FormData | null | undefined, id: string): Measured | null {
  if (!data || typeof data !== 'object' || !Object.prototype.hasOwnProperty.call(data, id)) return null;
  return measuredOf(FORMS[formCode]?.fields.find((f) => f.id === id), data[id]);
}

/** The way a stored qualified value reads on screen and in messages. */
export function qualifiedText(v: unknown): Bilingual {
  if (v === FIELD_FULL) return { zh: '满视野', en: 'field full' };
  if (v === UNDETECTABLE) return { zh: '未检出', en: 'undetectable' };
  if (v === NOT_APPLICABLE) return { zh: '不适用', en: 'not applicable' };
  const s = String(v ?? '');
  return { zh: s, en: s };
}

/** The help line of a qualified field: what may be typed instead of a number. */
export function qualifiedHelp(f: FieldDef): Bilingual | undefined {
  if (!f.qualified) return undefined;
  const zh = ['低于/高于检测限可填 <0.1 或 >100'];
  const en = ['Below/above a reporting limit: type <0.1 or >100'];
  if (f.qualified.fieldFullAbove !== undefined) {
    zh.push(`满视野（>${f.qualified.fieldFullAbove}/HPF）可填“满视野”`);
    en.push(`field full (>${f.qualified.fieldFullAbove} /HPF): type "field full" or 满视野`);
  }
  if (f.qualified.undetectableBelow !== undefined) {
    zh.push(`未检出（<${f.qualified.undetectableBelow}）可填“未检出”`);
    en.push(`undetectable (<${f.qualified.undetectableBelow}): type "undetectable" or 未检出`);
  }
  return { zh: zh.join('；'), en: en.join('; ') };
}
