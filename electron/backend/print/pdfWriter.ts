// Draws printable documents (shared/print/printDoc.ts) into one PDF with pdfkit: A4, the running header (protocol,
// site, subject) and "page x of y" on every page of each document, Chinese text in an embedded CJK font (a subset of
// the ward PC's own: Noto Sans CJK on Linux, Microsoft YaHei or SimSun on Windows, PingFang on macOS, or --font).
import { createWriteStream, existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { pageText, type PrintBlock, type PrintDoc } from '../../../shared/print/printDoc';

export interface PdfFont {
  file: string;
  /** The font's PostScript name inside a collection (.ttc); absent for a single font file. */
  family?: string | undefined;
}

export interface CjkFonts {
  regular: PdfFont;
  bold: PdfFont;
}

/** Fonts with Chinese glyphs where the operating systems keep them, regular and bold. */
const KNOWN_FONTS: { regular: PdfFont; bold?: PdfFont }[] = [
  {
    regular: { file: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
    bold: { file: '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc', family: 'NotoSansCJKsc-Bold' },
  },
  { regular: { file: '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' }, bold: { file: '/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc', family: 'NotoSansCJKsc-Bold' } },
  { regular: { file: 'C:\\Windows\\Fonts\\msyh.ttc', family: 'MicrosoftYaHei' }, bold: { file: 'C:\\Windows\\Fonts\\msyhbd.ttc', family: 'MicrosoftYaHei-Bold' } },
  { regular: { file: 'C:\\Windows\\Fonts\\simsun.ttc', family: 'SimSun' }, bold: { file: 'C:\\Windows\\Fonts\\simhei.ttf' } },
  { regular: { file: '/System/Library/Fonts/PingFang.ttc', family: 'PingFangSC-Regular' }, bold: { file: '/System/Library/Fonts/PingFang.ttc', family: 'PingFangSC-Semibold' } },
  { regular: { file: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYiMicroHei' } },
];

export class NoCjkFontError extends Error {
  constructor() {
    super(
      '找不到含中文字形的字体，无法生成 PDF。请用 --font 指定一个 .ttf/.otf/.ttc 字体文件（Linux：apt-get install fonts-noto-cjk）。 / ' +
        'No font with Chinese glyphs was found, so no PDF was written. Name a .ttf/.otf/.ttc font with --font (Linux: apt-get install fonts-noto-cjk).',
    );
    this.name = 'NoCjkFontError';
  }
}

/** The font to embed: the one named (a file, or file#PostScriptName for a collection), else the first the system has. */
export function findCjkFonts(explicit?: string): CjkFonts {
  if (explicit) {
    const [file, family] = explicit.split('#');
    if (!file || !existsSync(file)) throw new NoCjkFontError();
    const font = { file, family };
    return { regular: font, bold: font };
  }
  for (const known of KNOWN_FONTS) {
    if (!existsSync(known.regular.file)) continue;
    const bold = known.bold && existsSync(known.bold.file) ? known.bold : known.regular;
    return { regular: known.regular, bold };
  }
  throw new NoCjkFontError();
}

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = { top: 62, bottom: 56, left: 42, right: 42 };
const INK = '#1d2733';
const MUTED = '#5c6b7a';
const LINE = '#c9d2dc';
const HEAD_FILL = '#eef2f6';

type Doc = PDFKit.PDFDocument;

/**
 * CJK fonts have ² and ³ but not the other superscript and subscript digits (×10⁹/L, SpO₂): those are written as
 * ^9 and 2 so no box is printed in their place.
 */
export function printable(text: string): string {
  return text.replace(/[\u2070\u2074-\u2079\u2080-\u2089]/g, (ch) => {
    const cp = ch.codePointAt(0)!;
    return cp >= 0x2080 ? String(cp - 0x2080) : `^${cp === 0x2070 ? 0 : cp - 0x2070}`;
  });
}

/** Writes the documents one after another into `outFile`; each starts on a new page and numbers its own pages. */
export async function writePdf(docs: Iterable<PrintDoc>, outFile: string, fonts: CjkFonts, info: { title: string }): Promise<{ pages: number }> {
  const pdf = new PDFDocument({ size: 'A4', margins: MARGIN, bufferPages: true, autoFirstPage: false, info: { Title: info.title, Creator: 'Kunming LN eCRF' } });
  const out = createWriteStream(outFile);
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
    pdf.on('error', reject);
  });
  pdf.pipe(out);
  pdf.registerFont('body', fonts.regular.file, fonts.regular.family);
  pdf.registerFont('bold', fonts.bold.file, fonts.bold.family);
  let pages = 0;
  for (const doc of docs) {
    const first = pages;
    pdf.addPage();
    drawTitle(pdf, doc);
    for (const block of doc.blocks) drawBlock(pdf, block);
    const range = pdf.bufferedPageRange();
    const count = range.start + range.count - first;
    for (let i = 0; i < count; i++) {
      pdf.switchToPage(first + i);
      drawRunningText(pdf, doc, i + 1, count);
    }
    pages += count;
    pdf.flushPages();
  }
  pdf.end();
  await done;
  return { pages };
}

const contentWidth = () => A4.width - MARGIN.left - MARGIN.right;
const bottom = () => A4.height - MARGIN.bottom;

function drawRunningText(pdf: Doc, doc: PrintDoc, page: number, pages: number): void {
  // Text in the margins must not move pdfkit's cursor onto a new page: the margins are lifted while it is drawn.
  const saved = pdf.page.margins;
  pdf.page.margins = { top: 0, bottom: 0, left: 0, right: 0 };
  pdf.font('body').fontSize(8).fillColor(MUTED);
  pdf.text(printable(doc.header), MARGIN.left, 28, { width: contentWidth() * 0.72, lineBreak: false, ellipsis: true });
  pdf.text(pageText(doc, page, pages), MARGIN.left, 28, { width: contentWidth(), align: 'right', lineBreak: false });
  pdf.moveTo(MARGIN.left, 42).lineTo(A4.width - MARGIN.right, 42).lineWidth(0.5).strokeColor(LINE).stroke();
  pdf.text(printable(doc.title), MARGIN.left, A4.height - 36, { width: contentWidth() * 0.7, lineBreak: false, ellipsis: true });
  pdf.text(pageText(doc, page, pages), MARGIN.left, A4.height - 36, { width: contentWidth(), align: 'right', lineBreak: false });
  pdf.page.margins = saved;
}

function drawTitle(pdf: Doc, doc: PrintDoc): void {
  pdf.font('bold').fontSize(18).fillColor(INK).text(printable(doc.title), MARGIN.left, MARGIN.top, { width: contentWidth() });
  pdf.moveDown(0.3);
  pdf.font('body').fontSize(9).fillColor(MUTED);
  for (const line of doc.subtitle) pdf.text(printable(line), { width: contentWidth() });
  pdf.moveDown(0.8);
}

/** Room left on the page, else a new page. */
function ensure(pdf: Doc, height: number): void {
  if (pdf.y + height > bottom()) pdf.addPage();
}

function drawBlock(pdf: Doc, block: PrintBlock): void {
  switch (block.kind) {
    case 'heading': {
      const size = block.level === 1 ? 15 : block.level === 2 ? 13 : 10.5;
      if (block.newPage && pdf.y > MARGIN.top + 40) pdf.addPage();
      ensure(pdf, size * 4);
      pdf.moveDown(block.level === 3 ? 0.5 : 0.3);
      pdf.font('bold').fontSize(size).fillColor(INK).text(printable(block.text), MARGIN.left, pdf.y, { width: contentWidth() });
      if (block.level === 2) {
        pdf.moveTo(MARGIN.left, pdf.y + 1).lineTo(A4.width - MARGIN.right, pdf.y + 1).lineWidth(0.8).strokeColor(INK).stroke();
        pdf.moveDown(0.3);
      }
      return;
    }
    case 'paragraph':
      pdf.font('body').fontSize(8.5).fillColor(block.muted ? MUTED : INK);
      ensure(pdf, pdf.heightOfString(printable(block.text), { width: contentWidth() }) + 4);
      pdf.text(printable(block.text), MARGIN.left, pdf.y, { width: contentWidth() });
      pdf.moveDown(0.2);
      return;
    case 'items':
      drawTable(
        pdf,
        block.columns,
        [38, 34, 14, 14],
        block.rows.map((r) => [r.label, r.value, r.unit, r.note]),
        block.rows.map((r) => r.muted === true),
      );
      return;
    case 'table':
      drawTable(pdf, block.columns, block.widths, block.rows, []);
      return;
    case 'list':
      pdf.font('body').fontSize(9.5).fillColor(INK);
      for (const item of block.items) {
        const text = printable(item);
        ensure(pdf, pdf.heightOfString(text, { width: contentWidth() - 14 }) + 4);
        const y = pdf.y;
        pdf.text('•', MARGIN.left + 2, y);
        pdf.text(text, MARGIN.left + 14, y, { width: contentWidth() - 14 });
        pdf.moveDown(0.25);
      }
      pdf.x = MARGIN.left;
      return;
    case 'image': {
      // A screenshot at the page's width, at most half a page high; its caption under it.
      const maxH = (bottom() - MARGIN.top) * 0.5;
      const img = (pdf as unknown as { openImage(src: string): { width: number; height: number } }).openImage(block.file);
      const scale = Math.min(contentWidth() / img.width, maxH / img.height);
      const h = img.height * scale;
      ensure(pdf, h + 24);
      const y = pdf.y;
      pdf.image(block.file, MARGIN.left, y, { width: img.width * scale, height: h });
      pdf.rect(MARGIN.left, y, img.width * scale, h).lineWidth(0.5).strokeColor(LINE).stroke();
      pdf.font('body').fontSize(8).fillColor(MUTED).text(printable(block.caption), MARGIN.left, y + h + 3, { width: contentWidth() });
      pdf.moveDown(0.6);
      return;
    }
    default: {
      const never: never = block;
      throw new Error(`unknown block ${JSON.stringify(never)}`);
    }
  }
}

const PAD = 3;
const SIZE = 8;

function drawTable(pdf: Doc, rawColumns: string[], widths: number[], rawRows: string[][], muted: boolean[]): void {
  const columns = rawColumns.map(printable);
  const rows = rawRows.map((r) => r.map(printable));
  const total = widths.reduce((a, b) => a + b, 0);
  const cols = widths.map((w) => (w / total) * contentWidth());
  const xs = cols.map((_, i) => MARGIN.left + cols.slice(0, i).reduce((a, b) => a + b, 0));
  const heightOf = (cells: string[], font: 'body' | 'bold') => {
    pdf.font(font).fontSize(SIZE);
    return Math.max(...cells.map((c, i) => (c ? pdf.heightOfString(c, { width: cols[i]! - 2 * PAD }) : SIZE))) + 2 * PAD;
  };
  const drawRow = (cells: string[], font: 'body' | 'bold', fill: string | null, color: string) => {
    const h = heightOf(cells, font);
    const y = pdf.y;
    if (fill) pdf.rect(MARGIN.left, y, contentWidth(), h).fillColor(fill).fill();
    pdf.font(font).fontSize(SIZE).fillColor(color);
    cells.forEach((c, i) => c && pdf.text(c, xs[i]! + PAD, y + PAD, { width: cols[i]! - 2 * PAD }));
    pdf.moveTo(MARGIN.left, y + h).lineTo(A4.width - MARGIN.right, y + h).lineWidth(0.4).strokeColor(LINE).stroke();
    pdf.x = MARGIN.left;
    pdf.y = y + h;
  };
  const head = () => {
    if (columns.some((c) => c)) drawRow(columns, 'bold', HEAD_FILL, INK);
  };
  ensure(pdf, heightOf(columns, 'bold') + heightOf(rows[0] ?? [''], 'body'));
  head();
  rows.forEach((row, i) => {
    const h = heightOf(row, 'body');
    if (pdf.y + h > bottom()) {
      pdf.addPage();
      head();
    }
    drawRow(row, 'body', null, muted[i] ? MUTED : INK);
  });
  pdf.moveDown(0.4);
}
