// A ward PC whose database file was damaged (256 bytes overwritten): browser mode opens it read-only and the first
// screen says so, names the last verified backup and how to restore it, in Chinese and in English; there is no login.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, screenshot, startHost, test } from './fixtures';

const CLI = resolve(__dirname, '..', 'dist', 'ecrf.cjs');

test('a damaged database opens read-only: the reason, the last verified backup, no login (zh and en)', async ({ page }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ecrf-e2e-damaged-'));
  const dbFile = join(dataDir, 'study.db');
  execFileSync(process.execPath, [CLI, 'demo', '--subjects', '3', '--db', dbFile], { stdio: 'ignore' });
  execFileSync(process.execPath, [CLI, 'backup', 'now', '--db', dbFile], { stdio: 'ignore' });
  const backup = join(dataDir, 'backups', readdirSync(join(dataDir, 'backups')).find((n) => n.endsWith('.db'))!);
  const fd = openSync(dbFile, 'r+');
  writeSync(fd, Buffer.alloc(256, 0xa5), 0, 256, Math.floor(statSync(dbFile).size / 4096 / 2) * 4096 + 100);
  closeSync(fd);

  const { host, child } = await startHost(dbFile);
  try {
    await page.goto(host.openUrl);
    const screen = page.getByTestId('read-only');
    await expect(screen.getByRole('heading', { name: '数据库已损坏：只读' })).toBeVisible();
    await expect(screen.getByRole('alert')).toContainText('数据库文件已损坏（quick_check：');
    await expect(screen.getByRole('alert')).toContainText(`ecrf backup restore --from "${backup}"`);
    await expect(screen.locator('code.path')).toHaveText(backup);
    await expect(page.getByLabel('用户名')).toHaveCount(0);
    await screenshot(page, 'startup-damaged-zh');

    await page.getByRole('button', { name: 'English' }).click();
    await expect(screen.getByRole('heading', { name: 'The database is damaged: read-only' })).toBeVisible();
    await expect(screen.getByRole('alert')).toContainText('It is open read-only: nothing can be saved');
    await expect(screen).toContainText('Last verified backup');
    await screenshot(page, 'startup-damaged-en');
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
});
