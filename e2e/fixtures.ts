// Playwright fixtures: each test gets its own data folder and a browser-mode host started through the
// real `ecrf serve` CLI on a temp SQLite file; the page opens the tokenised URL.
import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = resolve(__dirname, '..');
export const SCREENSHOTS = join(ROOT, 'e2e', 'screenshots');

export interface EcrfHost {
  url: string;
  openUrl: string;
  dbFile: string;
  dataDir: string;
}

export async function startHost(dbFile: string, extraArgs: string[] = []): Promise<{ host: EcrfHost; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'ecrf.cjs'), 'serve', '--db', dbFile, '--json', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolveLine, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', resolveLine);
    child.once('exit', (code) => reject(new Error(`ecrf serve exited with ${code}`)));
  });
  const parsed = JSON.parse(line) as { url: string; openUrl: string };
  return { host: { ...parsed, dbFile, dataDir: join(dbFile, '..') }, child };
}

export const test = base.extend<{ ecrf: EcrfHost }>({
  ecrf: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ecrf-e2e-'));
    const { host, child } = await startHost(join(dataDir, 'study.db'));
    await use(host);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  },
});

export { expect };

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

export const ADMIN = { username: 'chief', displayName: '王建华', password: 'ward-admin-2026' };

/** First run through the UI: create the admin and land on the subject list. */
export async function setupAdmin(page: Page, host: EcrfHost): Promise<void> {
  await page.goto(host.openUrl);
  await page.getByLabel('用户名').fill(ADMIN.username);
  await page.getByLabel('姓名').fill(ADMIN.displayName);
  await page.getByLabel('密码', { exact: true }).fill(ADMIN.password);
  await page.getByLabel('再次输入密码').fill(ADMIN.password);
  await page.getByRole('button', { name: '创建管理员并登录' }).click();
  await expect(page.getByRole('heading', { name: '受试者列表' })).toBeVisible();
}
