// Sponsor export in real Chromium (zh-CN): the admin installs the sponsor key (shown by fingerprint), a wrong folder
// gets a clear message, the export runs with progress and the bundle lands in the data folder; gpg opens it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair } from '../electron/backend/export/pgpKeys';
import { expect, screenshot, setupAdmin, test } from './fixtures';

test('admin installs the sponsor key and exports a bundle that gpg opens', async ({ page, ecrf }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  const sponsor = await generateKeyPair('Sponsor DM', 'dm@sponsor.example.org');
  await setupAdmin(page, ecrf);

  await page.getByTestId('open-export').click();
  await expect(page.getByRole('heading', { name: '导出申办方数据包' })).toBeVisible();
  await expect(page.getByTestId('sponsor-fingerprint')).toContainText('尚未安装');
  await expect(page.getByTestId('export-create')).toBeDisabled();
  await screenshot(page, 'export-no-key');

  await page.getByTestId('sponsor-key-input').fill('not a key');
  await page.getByTestId('install-sponsor-key').click();
  await expect(page.getByRole('alert')).toContainText('申办方公钥不是有效的 OpenPGP 密钥');

  await page.getByTestId('sponsor-key-input').fill(sponsor.publicKey);
  await page.getByTestId('install-sponsor-key').click();
  await expect(page.getByTestId('sponsor-fingerprint')).toContainText(sponsor.fingerprint);

  const folder = page.getByTestId('export-folder');
  await expect(folder).toHaveValue(join(ecrf.dataDir, 'exports'));
  await folder.fill(join(ecrf.dataDir, 'no-such-usb'));
  await page.getByTestId('export-create').click();
  await expect(page.getByRole('alert')).toContainText('导出文件夹不存在');

  await folder.fill(join(ecrf.dataDir, 'exports'));
  await page.getByTestId('export-create').click();
  const result = page.getByTestId('export-result');
  await expect(result).toContainText('导出完成', { timeout: 30_000 });
  await expect(result).toContainText('KM01-export-000001.tar.gpg');
  await expect(page.getByTestId('site-fingerprint')).toContainText(/[0-9A-F]{4} [0-9A-F]{4}/);
  await expect(page.getByTestId('export-history')).toContainText('已导出 1 个数据包');
  // in ward (Beijing) time like every other time on the ward screens, not UTC
  await expect(page.getByTestId('export-history')).toContainText(/最近一次：\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
  await expect(page.getByTestId('export-history')).not.toContainText('UTC');
  await screenshot(page, 'export-done');

  const bundle = join(ecrf.dataDir, 'exports', 'KM01-export-000001.tar.gpg');
  expect(existsSync(bundle)).toBe(true);
  const home = mkdtempSync(join(tmpdir(), 'ecrf-e2e-gpg-'));
  mkdirSync(join(home, 'g'), { mode: 0o700 });
  writeFileSync(join(home, 'sponsor.sec.asc'), sponsor.privateKey);
  expect(spawnSync('gpg', ['--homedir', join(home, 'g'), '--batch', '--import', join(home, 'sponsor.sec.asc')]).status).toBe(0);
  // The sponsor trusts the site's public key (read here with the project CLI) to check the signature.
  const sitePub = spawnSync(process.execPath, [join(__dirname, '..', 'dist', 'ecrf.cjs'), 'keys', 'site-public', '--db', ecrf.dbFile], { encoding: 'utf8' });
  expect(sitePub.status, sitePub.stderr).toBe(0);
  writeFileSync(join(home, 'site.pub.asc'), sitePub.stdout);
  expect(spawnSync('gpg', ['--homedir', join(home, 'g'), '--batch', '--import', join(home, 'site.pub.asc')]).status).toBe(0);
  const dec = spawnSync('gpg', ['--homedir', join(home, 'g'), '--batch', '--output', join(home, 'b.tar'), '--decrypt', bundle], { encoding: 'utf8' });
  expect(dec.status, dec.stderr).toBe(0);
  expect(spawnSync('tar', ['-tf', join(home, 'b.tar')], { encoding: 'utf8' }).stdout).toContain('KM01-export-000001/odm.xml');
});
