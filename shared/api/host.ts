// What the desktop app's host offers besides the API contract: saving the page being shown as a PDF (Electron
// webContents.printToPDF with a save dialog). Absent in browser mode, where the browser's own print does it.

export interface PrintToPdfArgs {
  /** The file name the save dialog suggests, e.g. 'KM01-S001-casebook.pdf'. */
  fileName: string;
}

/** null when the user cancelled the save dialog. */
export type PrintToPdfResult = { ok: true; value: { path: string } | null } | { ok: false; error: { code: string; message: { zh: string; en: string } } };

export interface HostApi {
  'host.printToPdf'(args: PrintToPdfArgs): Promise<PrintToPdfResult>;
}
