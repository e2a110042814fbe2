// How a stored item value reads for people (screen, audit view, paper): choice labels, yes/no, qualified lab values
// (满视野, <0.1), lists joined, in one language; the unit is separate.
import { qualifiedText } from '../protocol/labValues';
import type { Bilingual, FieldDef, Lang } from '../protocol/types';

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
    if (typeof x === 'boolean') return x ? words.yes : words.no;
    const choice = field?.choices?.find((c) => c.value === x);
    if (choice) return pickLang(choice.label, lang);
    if (typeof x === 'string' && field?.qualified) return pickLang(qualifiedText(x), lang);
    return String(x);
  };
  if (Array.isArray(v)) return v.length ? v.map(one).join(lang === 'en' ? ', ' : '、') : words.empty;
  return one(v);
}
