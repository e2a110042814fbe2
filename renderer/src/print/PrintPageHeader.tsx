// On paper, a screen printed with the browser's Print (a form, say) names its subject in every page's top margin,
// with the page number: the screen's navigation and save bar are left off by the print CSS.
import { useTranslation } from 'react-i18next';
import { PRINT_WORDS, pickText } from '../../../shared/print/casebookDoc';
import { currentLang } from '../i18n';
import { cssString, pageCounterCss } from './pageCss';

export function PrintPageHeader({ text }: { text: string }) {
  useTranslation(); // follows the language toggle
  const box = 'font-size: 8pt; color: #5c6b7a;';
  return <style>{`@media print { @page { margin: 18mm 12mm 14mm 12mm; @top-left { content: ${cssString(text)}; ${box} } @top-right { content: ${pageCounterCss(pickText(PRINT_WORDS.page, currentLang()))}; ${box} } } }`}</style>;
}
