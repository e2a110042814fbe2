// `npm start`: the desktop app in Electron where its binary is installed, otherwise browser mode.
// Electron's binary download is not run at `npm ci` (package.json allowScripts denies it, because some
// machines are offline); the first `npm start` tries it once, and falls back to browser mode if it fails.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, cpSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const root = new URL('../../', import.meta.url).pathname;
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });

if (!existsSync(join(root, 'dist', 'ecrf.cjs')) || !existsSync(join(root, 'dist', 'renderer', 'index.html'))) {
  console.log('Building the app first (npm run build) …');
  if (run('npm', ['run', 'build']).status !== 0) process.exit(1);
}

function electronBinary() {
  try {
    const path = require('electron'); // the package exports the binary path, and throws if it is missing
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

let binary = electronBinary();
if (!binary && process.env.ECRF_BROWSER !== '1' && existsSync(join(root, 'node_modules', 'electron', 'install.js'))) {
  console.log('Electron binary not installed yet: trying to download it once (node_modules/electron/install.js) …');
  const attempt = run(process.execPath, [join(root, 'node_modules', 'electron', 'install.js')], { timeout: 120_000, stdio: 'pipe' });
  if (attempt.status === 0) binary = electronBinary();
}

/** better-sqlite3 in node_modules is built for Node; Electron needs its own build, kept in .cache/. */
async function electronSqliteBinding() {
  const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
  const dir = join(root, '.cache', `electron-${electronVersion}`);
  const binding = join(dir, 'node_modules', 'better-sqlite3-multiple-ciphers', 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(binding)) {
    console.log(`Building better-sqlite3-multiple-ciphers for Electron ${electronVersion} (once) …`);
    mkdirSync(join(dir, 'node_modules'), { recursive: true });
    cpSync(join(root, 'node_modules', 'better-sqlite3-multiple-ciphers'), join(dir, 'node_modules', 'better-sqlite3-multiple-ciphers'), { recursive: true });
    const { rebuild } = require('@electron/rebuild');
    await rebuild({ buildPath: dir, electronVersion, onlyModules: ['better-sqlite3-multiple-ciphers'], force: true });
  }
  return binding;
}

if (binary) {
  const binding = await electronSqliteBinding();
  const child = spawn(binary, [root], { stdio: 'inherit', env: { ...process.env, ECRF_SQLITE_BINDING: binding } });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(
    '\nElectron is not available on this machine (its binary could not be downloaded), so the eCRF starts in\n' +
      'browser mode: the same UI and the same SQLite back end, served on 127.0.0.1 only.\n' +
      '此机器无法使用 Electron，已改为浏览器模式启动（界面与数据库相同，仅限本机访问）。\n',
  );
  const open = process.env.CI ? [] : ['--open'];
  const child = spawn(process.execPath, [join(root, 'dist', 'ecrf.cjs'), 'serve', ...open, ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}
