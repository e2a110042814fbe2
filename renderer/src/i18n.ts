// i18next set-up: zh-CN by default, English as a toggle, the choice remembered on this computer.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { uiEn, uiZh } from '../../shared/i18n/ui';
import type { Bilingual, Lang } from '../../shared/protocol/types';

const STORAGE_KEY = 'ecrf.lang';
const stored = localStorage.getItem(STORAGE_KEY);
const initial: Lang = stored === 'en' ? 'en' : 'zh-CN';

void i18next.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: uiZh }, en: { translation: uiEn } },
  lng: initial,
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
  initAsync: false,
});
document.documentElement.lang = initial;

export function setLanguage(lang: Lang): void {
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang;
  void i18next.changeLanguage(lang);
}

export function currentLang(): Lang {
  return i18next.language === 'en' ? 'en' : 'zh-CN';
}

/** Picks the current language's side of a bilingual label or message. */
export function pick(text: Bilingual, lang: Lang = currentLang()): string {
  return lang === 'en' ? text.en : text.zh;
}

export default i18next;
