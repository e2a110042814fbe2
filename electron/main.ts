// Electron main process: single instance, secure window, app:// protocol with CSP, IPC wiring.
import { app, BrowserWindow, dialog, ipcMain, net, protocol, session, type IpcMainInvokeEvent } from 'electron';
import { writeFile } from 'node:fs/promises';
import { basename, join, normalize, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CALL_NAMES } from '../shared/api/contract';
import { createBackend, type Backend } from './backend/backend';
import { CONTENT_SECURITY_POLICY } from './backend/security/csp';
import { APP_ORIGIN, isAppUrl, secureWindowOptions } from './backend/security/windowOptions';

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

const rendererDir = join(__dirname, 'renderer');
let backend: Backend | null = null;
let mainWindow: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  app.whenReady().then(start).catch((error: unknown) => {
    console.error('[ecrf] failed to start', error);
    app.exit(1);
  });
}

/** The API may only be called from the app's own top-level frame. */
function trustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return Boolean(frame && frame.parent === null && isAppUrl(frame.url) && mainWindow && event.sender === mainWindow.webContents);
}

function serveRenderer(): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    const relative = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '') || 'index.html';
    const file = resolve(rendererDir, relative);
    if (!file.startsWith(resolve(rendererDir) + sep)) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString()).catch(() => net.fetch(pathToFileURL(join(rendererDir, 'index.html')).toString()));
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}

function hardenSessions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

/** Saves the page being shown (the print view of a casebook or CRF) as a PDF where the user chooses, A4 with its @page header and page numbers. */
function registerPrintToPdf(): void {
  ipcMain.handle('ecrf-host:printToPdf', async (event, args: unknown) => {
    if (!trustedSender(event) || !mainWindow) return { ok: false, error: { code: 'FORBIDDEN', message: { zh: '调用来源不被信任', en: 'Untrusted caller' } } };
    const name = typeof (args as { fileName?: unknown })?.fileName === 'string' ? basename((args as { fileName: string }).fileName).replace(/[^\w.\-]/g, '_') : 'ecrf.pdf';
    const chosen = await dialog.showSaveDialog(mainWindow, { defaultPath: name.endsWith('.pdf') ? name : `${name}.pdf`, filters: [{ name: 'PDF', extensions: ['pdf'] }] });
    if (chosen.canceled || !chosen.filePath) return { ok: true, value: null };
    const pdf = await event.sender.printToPDF({ printBackground: true, preferCSSPageSize: true });
    await writeFile(chosen.filePath, pdf);
    return { ok: true, value: { path: chosen.filePath } };
  });
}

function registerIpc(active: Backend): void {
  for (const name of CALL_NAMES) {
    ipcMain.handle(`ecrf:${name}`, async (event, args: unknown) => {
      if (!trustedSender(event)) {
        return { ok: false, error: { code: 'FORBIDDEN', message: { zh: '调用来源不被信任', en: 'Untrusted caller' } } };
      }
      return active.dispatch(name, args, `electron:${event.sender.id}`);
    });
  }
}

async function start(): Promise<void> {
  hardenSessions();
  serveRenderer();
  backend = createBackend({
    dbFile: join(app.getPath('userData'), 'ecrf.db'),
    transport: 'electron',
    appVersion: app.getVersion(),
  });
  registerIpc(backend);
  registerPrintToPdf();
  backend.services.backup.startSchedule();
  mainWindow = new BrowserWindow(secureWindowOptions(join(__dirname, 'preload.cjs')));
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
  await mainWindow.loadURL(`${APP_ORIGIN}/index.html`);
}

app.on('window-all-closed', () => {
  const closing = backend;
  backend = null;
  // A last backup before the database closes (never blocks quitting on failure).
  void (closing?.services.backup.backupAtExit() ?? Promise.resolve(null)).finally(() => {
    closing?.close();
    app.quit();
  });
});
