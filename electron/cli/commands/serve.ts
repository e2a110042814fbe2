// `ecrf serve`: browser mode, the app on 127.0.0.1 over the loopback bridge.
import type { Command } from 'commander';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createBackend } from '../../backend/backend';
import { startBrowserHost } from '../../backend/host/browserHost';
import { defaultDbFile } from '../dataDir';
import { APP_VERSION } from '../version';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the eCRF in browser mode on 127.0.0.1 (same back end, same database as the desktop app)')
    .option('--db <file>', 'SQLite database file', defaultDbFile())
    .option('--port <n>', 'port on 127.0.0.1 (0 = any free port)', '0')
    .option('--renderer <dir>', 'built renderer folder', join(__dirname, 'renderer'))
    .option('--json', 'print one JSON line {url, openUrl} (for tests)')
    .option('--open', 'open the default web browser at the app')
    .action(async (opts: { db: string; port: string; renderer: string; json?: boolean; open?: boolean }) => {
      mkdirSync(dirname(opts.db), { recursive: true });
      const backend = createBackend({ dbFile: opts.db, transport: 'browser', appVersion: APP_VERSION });
      const host = await startBrowserHost({ backend, rendererDir: opts.renderer, port: Number(opts.port) });
      backend.services.backup.protectFolders([__dirname]);
      backend.services.backup.startSchedule();
      if (opts.json) {
        console.log(JSON.stringify({ url: host.url, openUrl: host.openUrl, db: opts.db }));
      } else {
        console.log(`eCRF browser mode / 浏览器模式\n  database: ${opts.db}\n  open:     ${host.openUrl}\n(Ctrl+C to stop / 按 Ctrl+C 停止)`);
      }
      if (opts.open) openBrowser(host.openUrl);
      const stop = async () => {
        await host.close();
        await backend.services.backup.backupAtExit();
        backend.close();
        process.exit(0);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
}

/** Best effort: the ward PC's default browser; the printed URL works when there is none. */
function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : process.platform === 'darwin' ? ['open', [url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command as string, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // no browser launcher: the URL is printed above
  }
}
