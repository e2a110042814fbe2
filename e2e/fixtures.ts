// Playwright fixtures: each test gets its own data folder and a browser-mode host started through the
// real `ecrf serve` CLI on a temp SQLite file; the page opens the tokenised URL.
import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
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

/** A host whose clock (the `ecrf serve` process's) and the page's both stand at a chosen ward day, and move on demand. */
export interface ShiftedHost {
  host: EcrfHost;
  /** Moves both clocks to 09:00 Shanghai time on the given day. */
  setDay(date: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `ecrf serve` with Date shifted by the offset in a clock file (e2e/shiftedClock.mjs, re-read every 50 ms), and the
 * page's clock installed at the same day: a test can live through visit days months apart (the back end refuses dates
 * after its own today).
 */
export async function startShiftedHost(page: Page, day: string): Promise<ShiftedHost> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ecrf-shifted-'));
  const clockFile = join(dataDir, 'clock.json');
  const setBackendDay = (date: string) => writeFileSync(clockFile, JSON.stringify({ offsetMs: Date.parse(`${date}T09:00:00+08:00`) - Date.now() }));
  setBackendDay(day);
  const saved = { NODE_OPTIONS: process.env.NODE_OPTIONS, ECRF_E2E_CLOCK_FILE: process.env.ECRF_E2E_CLOCK_FILE };
  process.env.NODE_OPTIONS = `${saved.NODE_OPTIONS ?? ''} --import ${pathToFileURL(join(__dirname, 'shiftedClock.mjs')).href}`.trim();
  process.env.ECRF_E2E_CLOCK_FILE = clockFile;
  let started: { host: EcrfHost; child: ChildProcess };
  try {
    started = await startHost(join(dataDir, 'study.db'));
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  await page.clock.install({ time: new Date(`${day}T09:00:00+08:00`) });
  return {
    host: started.host,
    async setDay(date) {
      setBackendDay(date);
      await page.clock.setSystemTime(new Date(`${date}T09:00:00+08:00`));
      await page.waitForTimeout(120); // the back end re-reads its clock file every 50 ms
    },
    async stop() {
      started.child.kill('SIGTERM');
      await new Promise((r) => started.child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
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
