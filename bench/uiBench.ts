// UI figures for `npm run bench`: Playwright in /usr/bin/chromium against `ecrf serve --json` on a copy of a demo DB.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { DEMO_PASSWORD } from '../electron/backend/demo/demoStudy';

/** Login click → first subject row visible (ms), median of 3 fresh page loads. */
export async function measureSubjectList(root: string, dbFile: string): Promise<Record<string, unknown>> {
  const server = spawn(process.execPath, [join(root, 'dist/ecrf.cjs'), 'serve', '--db', dbFile, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const info = await new Promise<{ openUrl: string }>((resolve, reject) => {
      let buf = '';
      server.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const line = buf.split('\n').find((l) => l.trim().startsWith('{'));
        if (line) resolve(JSON.parse(line) as { openUrl: string });
      });
      server.on('exit', (code) => reject(new Error(`ecrf serve exited ${code}`)));
      setTimeout(() => reject(new Error('ecrf serve did not print its URL')), 20_000);
    });
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1360, height: 900 } });
      const page = await context.newPage();
      await page.goto(info.openUrl);
      await page.getByLabel('用户名').fill('nurse');
      await page.getByLabel('密码', { exact: true }).fill(DEMO_PASSWORD);
      const t = performance.now();
      await page.getByRole('button', { name: '登录' }).click();
      await page.locator('.subject-row').first().waitFor({ state: 'visible', timeout: 30_000 });
      times.push(performance.now() - t);
      await context.close();
    }
    times.sort((a, b) => a - b);
    return { ui_subject_list_ms: Math.round(times[1]!), ui_subject_list_samples_ms: times.map(Math.round), ui_subject_list_basis: 'login click (includes scrypt password check) to first subject row visible, median of 3', ui_subject_list_target_ms: 500 };
  } finally {
    await browser.close();
    server.kill('SIGTERM');
  }
}
