// Units that the form definitions spell in both languages at once ('岁 / years', '次/分 bpm'), split per language for display.
import type { Bilingual, Lang } from '../protocol/types';

export const BILINGUAL_UNITS: Readonly<Record<string, Bilingual>> = {
  '岁 / years': { zh: '岁', en: 'years' },
  '次/分 bpm': { zh: '次/分', en: 'bpm' },
  '分钟 / min': { zh: '分钟', en: 'min' },
};

/** The unit as shown in the given language: the language's half of a two-language unit, any other unit as it is. */
export function unitIn(unit: string, lang: Lang): string {
  const both = BILINGUAL_UNITS[unit];
  return both ? (lang === 'en' ? both.en : both.zh) : unit;
}
