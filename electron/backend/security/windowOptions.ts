// BrowserWindow options with the security baseline of DESIGN.md section 4. Pure data (no electron
// import) so a test can check every item; the secure webPreferences are applied last.
export const APP_ORIGIN = 'app://ecrf';

export interface SecureWindowOptions {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: boolean;
  title: string;
  backgroundColor: string;
  webPreferences: {
    preload: string;
    contextIsolation: true;
    sandbox: true;
    nodeIntegration: false;
    nodeIntegrationInWorker: false;
    nodeIntegrationInSubFrames: false;
    webSecurity: true;
    allowRunningInsecureContent: false;
    webviewTag: false;
    experimentalFeatures: false;
    navigateOnDragDrop: false;
    spellcheck: false;
  };
}

export function secureWindowOptions(preloadPath: string, overrides: Partial<Omit<SecureWindowOptions, 'webPreferences'>> = {}): SecureWindowOptions {
  return {
    width: 1360,
    height: 900,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    title: 'KM01 狼疮肾炎 eCRF',
    backgroundColor: '#f5f7fa',
    ...overrides,
    // Applied last so no caller can weaken them.
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}

/** Only the app's own top frame may call the API or be navigated to. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'app:' && parsed.host === 'ecrf';
  } catch {
    return false;
  }
}
