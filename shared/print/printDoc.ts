// A printable document as plain blocks (headings, item tables, tables, paragraphs), in one language: built once in
// shared/ from the casebook or the protocol, drawn by the print view (HTML, Electron printToPDF, the browser's print)
// and by `ecrf casebook pdf` (pdfkit), so the paper trail reads the same whichever way it was made.

export interface PrintDoc {
  /** The document's title (first page, and the PDF's Title). */
  title: string;
  /** The running header of every page: protocol, site and, for a casebook, the subject. */
  header: string;
  /** The running footer's words around the page number: 'Page {page} of {pages}' with both placeholders. */
  pageLabel: string;
  /** Shown under the title on the first page (generated when, by whom, blinded). */
  subtitle: string[];
  blocks: PrintBlock[];
}

export type PrintBlock =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string; /** Starts on a new page (each visit of a casebook, each form of a CRF). */ newPage?: boolean }
  | { kind: 'paragraph'; text: string; muted?: boolean }
  /** A form's items: label, value, unit and a short note column (SDV tick, derived, OID …). */
  | { kind: 'items'; columns: [string, string, string, string]; rows: ItemRow[] }
  /** A plain table (the audit trail, signatures); widths are relative. */
  | { kind: 'table'; columns: string[]; widths: number[]; rows: string[][] }
  /** A picture (a screenshot in the quick guide): a PNG file on the machine that prints, with its caption. */
  | { kind: 'image'; file: string; caption: string }
  /** A list of points. */
  | { kind: 'list'; items: string[] };

export interface ItemRow {
  label: string;
  value: string;
  unit: string;
  note: string;
  /** Grey the row (not entered, hidden from this reader). */
  muted?: boolean;
}

/** 'Page 3 of 12' from the document's page label. */
export function pageText(doc: Pick<PrintDoc, 'pageLabel'>, page: number, pages: number): string {
  return doc.pageLabel.replace('{page}', String(page)).replace('{pages}', String(pages));
}
