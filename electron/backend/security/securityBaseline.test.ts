// Fails if any item of the Electron security baseline (DESIGN.md section 4) goes missing: window
// options, CSP, navigation/permission guards in main.ts, single-instance lock, userData database, fuses.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from './csp';
import { isAppUrl, secureWindowOptions } from './windowOptions';

const root = join(__dirname, '..', '..', '..');
const mainSource = readFileSync(join(root, 'electron', 'main.ts'), 'utf8');
const preloadSource = readFileSync(join(root, 'electron', 'preload.ts'), 'utf8');

describe('BrowserWindow options', () => {
  it('isolates the renderer and cannot be weakened by overrides', () => {
    const options = secureWindowOptions('/p/preload.cjs', { width: 800, webPreferences: { sandbox: false } } as never);
    expect(options.webPreferences).toMatchObject({
      preload: '/p/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(options.width).toBe(800);
  });

  it('main.ts builds its window from secureWindowOptions', () => {
    expect(mainSource).toMatch(/new BrowserWindow\(secureWindowOptions\(/);
    expect(mainSource).not.toMatch(/new BrowserWindow\(\{/);
  });
});

describe('Content-Security-Policy', () => {
  const directives = new Map(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0]!, d.split(' ').slice(1)]));
  it('allows only the app itself: no remote origins, no eval, no inline script', () => {
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|https?:|\*|ws:/);
    expect(directives.get('script-src')).not.toContain("'unsafe-inline'");
  });

  it('is served with every page in Electron and in the built renderer', () => {
    expect(mainSource).toMatch(/headers\.set\('Content-Security-Policy', CONTENT_SECURITY_POLICY\)/);
    const viteConfig = readFileSync(join(root, 'renderer', 'vite.config.ts'), 'utf8');
    expect(viteConfig).toContain('CONTENT_SECURITY_POLICY');
  });
});

describe('main process guards', () => {
  it.each([
    ['window.open denied', /setWindowOpenHandler\(\(\) => \(\{ action: 'deny' \}\)\)/],
    ['navigation blocked', /'will-navigate'[\s\S]*?preventDefault/],
    ['redirects blocked', /'will-redirect'[\s\S]*?preventDefault/],
    ['webviews blocked', /'will-attach-webview'/],
    ['permission requests denied', /setPermissionRequestHandler\([^)]*\) => callback\(false\)\)/],
    ['permission checks denied', /setPermissionCheckHandler\(\(\) => false\)/],
    ['single-instance lock', /requestSingleInstanceLock\(\)/],
    ['database under userData', /app\.getPath\('userData'\)/],
    ['IPC sender frame checked', /trustedSender\(event\)/],
    ['custom app:// protocol instead of file://', /protocol\.handle\('app'/],
  ])('%s', (_name, pattern) => {
    expect(mainSource).toMatch(pattern);
  });

  it('preload exposes only the contract object', () => {
    expect(preloadSource.match(/exposeInMainWorld/g)).toHaveLength(1);
    expect(preloadSource).toContain('satisfies EcrfApi');
  });

  it('accepts only the app origin as trusted', () => {
    expect(isAppUrl('app://ecrf/index.html')).toBe(true);
    expect(isAppUrl('https://ecrf/index.html')).toBe(false);
    expect(isAppUrl('app://evil/index.html')).toBe(false);
    expect(isAppUrl('file:///etc/passwd')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
});

describe('packaging fuses', () => {
  it('disables RunAsNode, NODE_OPTIONS and inspect, and enforces ASAR integrity', () => {
    const config = createRequire(__filename)(join(root, 'build', 'electron-builder.config.cjs'));
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(config.win.target[0]).toMatchObject({ target: 'nsis', arch: ['x64'] });
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
  });
});
