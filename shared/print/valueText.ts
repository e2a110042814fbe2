// How a stored item value reads for people (screen, audit view, paper): choice labels, yes/no, qualified lab values
// (满视野, <0.1), lists joined, in one language; the unit is separate.
import { qualifiedText } from '../protocol/labValues';
import type { Bilingual, DerivedDef, DerivedValue, FieldDef, Lang } from '../protocol/types';

export interface ValueWords {
  empty: string;
  yes: string;
  no: string;
}

export const VALUE_WORDS: Record<Lang, ValueWords> = {
  'zh-CN': { empty: '（空）', yes: '是', no: '否' },
  en: { empty: '(empty)', yes: 'yes', no: 'no' },
};

const pickLang = (b: Bilingual, lang: Lang) => (lang === 'en' ? b.en : b.zh);

/** One stored value (decoded: a string, number, boolean, list or null) of a field, without its unit. */
export function valueText(field: FieldDef | undefined, v: unknown, words: ValueWords, lang: Lang): string {
  const one = (x: unknown): string => {
    if (x === null || x === undefined || x === '') return words.empty;
    if (typeof x === 'boolean') return field?.booleanLabels ? pickLang(field.booleanLabels[x ? 'true' : 'false'], lang) : x ? words.yes : words.no;
    const choice = field?.choices?.find((c) => c.value === x);
    if (choice) return pickLang(choice.label, lang);
    if (typeof x === 'string' && field?.qualified) return pickLang(qualifiedText(x), lang);
    return String(x);
  };
  if (Array.isArray(v)) return v.length ? v.map(one).join(lang === 'en' ? ', ' : '、') : words.empty;
  return one(v);
}

/**
 * A derived value as people read it (form screen, paper): a code by its label, a yes/no flag by the words given, a
 * number to the definition's decimals; null when there is nothing to show.
 */
export function derivedValueText(d: DerivedDef, value: DerivedValue | null | undefined, words: Pick<ValueWords, 'yes' | 'no'>, lang: Lang): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return pickLang(d.choices?.find((c) => c.value === value)?.label ?? { zh: value, en: value }, lang);
  if (!Number.isFinite(value)) return null;
  return d.flag ? (value === 1 ? words.yes : words.no) : value.toFixed(d.decimals ?? 1);
}
