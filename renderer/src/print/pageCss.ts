// CSS for printed pages: strings and "page x of y" counters for the @page margin boxes (the running header and page
// numbers Chromium draws on every printed page, in the browser's print and Electron's printToPDF).
import type { PrintDoc } from '../../../shared/print/printDoc';

/** A CSS string: quotes and backslashes escaped, line breaks dropped. */
export const cssString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/[\r\n]+/g, ' ')}"`;

/** The page label with CSS counters: '第 {page} 页 / 共 {pages} 页' → "第 " counter(page) " 页 / 共 " counter(pages) " 页". */
export function pageCounterCss(label: string): string {
  return label
    .split(/(\{page\}|\{pages\})/)
    .filter((part) => part !== '')
    .map((part) => (part === '{page}' ? 'counter(page)' : part === '{pages}' ? 'counter(pages)' : cssString(part)))
    .join(' ');
}

/** A4 pages with the document's header and page numbers in the margin boxes of every page. */
export function documentPageCss(doc: PrintDoc): string {
  const box = 'font-size: 8pt; color: #5c6b7a;';
  return `@page { size: A4; margin: 20mm 14mm 16mm 14mm;
    @top-left { content: ${cssString(doc.header)}; ${box} }
    @top-right { content: ${pageCounterCss(doc.pageLabel)}; ${box} }
    @bottom-left { content: ${cssString(doc.title)}; ${box} }
    @bottom-right { content: ${pageCounterCss(doc.pageLabel)}; ${box} } }`;
}
