// Electron main process: single instance, secure window, app:// protocol with CSP, IPC wiring.
import { app, BrowserWindow, dialog, ipcMain, net, protocol, safeStorage, session, type IpcMainInvokeEvent } from 'electron';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CALL_NAMES } from '../shared/api/contract';
import type { KeyStorage } from '../shared/api/calls/auth';
import { createBackend, type Backend } from './backend/backend';
import { keyFilePath, keyFromFile, newDatabaseKey, readKeyFile, writePrivateFile, type DbKey } from './backend/db/encryption';
import { AppError } from './backend/errors';
import { rendererFiles } from './backend/host/rendererFiles';
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
    // A database the start-up checks refuse (newer schema, unreadable): say so before quitting.
    const message = error instanceof AppError ? `${error.bilingual.zh}\n\n${error.bilingual.en}` : error instanceof Error ? error.message : String(error);
    dialog.showErrorBox('eCRF 无法启动 / cannot start', message);
    app.exit(1);
  });
}

/** The API may only be called from the app's own top-level frame. */
function trustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return Boolean(frame && frame.parent === null && isAppUrl(frame.url) && mainWindow && event.sender === mainWindow.webContents);
}

function serveRenderer(): void {
  const files = rendererFiles(rendererDir);
  protocol.handle('app', async (request) => {
    const found = files.lookup(new URL(request.url).pathname);
    if (found.kind === 'bad_request') return new Response('Malformed path', { status: 400 });
    if (found.kind !== 'file') return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(found.path).toString());
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

/**
 * The database key, kept by the OS keystore through safeStorage as Signal Desktop does: config.json in userData holds
 * it as `encryptedKey` (DPAPI on Windows, Keychain on macOS, libsecret/kwallet on Linux). A key file left by browser
 * mode on the same database moves into the keystore. On Linux without a keyring Electron falls back to 'basic_text'
 * (the key is only obfuscated): the app still runs, and app.info tells the administrator. Without safeStorage at all,
 * the key file (0600) beside the database.
 */
function databaseKey(userData: string, dbFile: string): { key: DbKey; storage: KeyStorage } {
  if (!safeStorage.isEncryptionAvailable()) return { key: keyFromFile(dbFile), storage: 'key-file' };
  const selected = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os';
  const storage: KeyStorage = selected === 'basic_text' || selected === 'unknown' ? 'weak-os-keystore' : 'os-keystore';
  const configFile = join(userData, 'config.json');
  const config = existsSync(configFile) ? (JSON.parse(readFileSync(configFile, 'utf8')) as { encryptedKey?: string }) : {};
  if (config.encryptedKey) {
    return { key: Buffer.from(safeStorage.decryptString(Buffer.from(config.encryptedKey, 'base64')), 'hex'), storage };
  }
  const keyFile = keyFilePath(dbFile);
  const key = existsSync(keyFile) ? readKeyFile(keyFile) : existsSync(dbFile) ? keyFromFile(dbFile) : newDatabaseKey();
  writePrivateFile(configFile, JSON.stringify({ ...config, encryptedKey: safeStorage.encryptString(key.toString('hex')).toString('base64') }, null, 2));
  rmSync(keyFile, { force: true });
  return { key, storage };
}

async function start(): Promise<void> {
  // Every file the app writes (database, WAL, backups, config) is its owner's only.
  process.umask(0o077);
  hardenSessions();
  serveRenderer();
  const dbFile = join(app.getPath('userData'), 'ecrf.db');
  const { key, storage } = databaseKey(app.getPath('userData'), dbFile);
  backend = createBackend({
    dbFile,
    dbKey: key,
    keyStorage: storage,
    transport: 'electron',
    appVersion: app.getVersion(),
  });
  backend.services.backup.protectFolders([rendererDir, app.getAppPath()]);
  registerIpc(backend);
  registerPrintToPdf();
  // A database the start-up checks opened read-only (damaged, read-only medium) is not backed up; the window says why.
  if (backend.startup.mode === 'normal') backend.services.backup.startSchedule();
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
  closing?.services.exports.abandonInFlight();
  const lastBackup = closing && closing.startup.mode === 'normal' ? closing.services.backup.backupAtExit() : Promise.resolve(null);
  void lastBackup.finally(() => {
    closing?.close();
    app.quit();
  });
});
