// The walking skeleton in real Chromium: first-run admin, log out and in, create and list subjects,
// the English toggle, and a wrong password answered in Chinese.
import { ADMIN, expect, screenshot, setupAdmin, test } from './fixtures';
import { createSubject } from './entryHelpers';

test('first run, login, create and list subjects in zh-CN, then English', async ({ page, ecrf }) => {
  await page.goto(ecrf.openUrl);
  await expect(page.getByRole('heading', { name: '首次使用：创建管理员账户' })).toBeVisible();
  // The token leaves the address bar once read.
  await expect.poll(() => page.url()).not.toContain('token=');

  // Bad input first: short password and mismatch, shown in Chinese, nothing created.
  await page.getByLabel('用户名').fill(ADMIN.username);
  await page.getByLabel('姓名').fill(ADMIN.displayName);
  await page.getByLabel('密码', { exact: true }).fill('short');
  await page.getByLabel('再次输入密码').fill('different');
  await page.getByRole('button', { name: '创建管理员并登录' }).click();
  await expect(page.locator('#setup-password-error')).toHaveText('至少 12 个字符');
  await page.getByLabel('密码', { exact: true }).fill(ADMIN.password);
  await page.getByRole('button', { name: '创建管理员并登录' }).click();
  await expect(page.locator('#setup-confirm-error')).toHaveText('两次输入的密码不一致');
  await screenshot(page, 'foundation-01-setup-errors-zh');

  await page.getByLabel('再次输入密码').fill(ADMIN.password);
  await page.getByRole('button', { name: '创建管理员并登录' }).click();
  await expect(page.getByRole('heading', { name: '受试者列表' })).toBeVisible();
  await expect(page.getByTestId('current-user')).toContainText('系统管理员');
  await expect(page.getByText('还没有受试者')).toBeVisible();

  await createSubject(page);
  await expect(page.getByText('已创建受试者 KM01-S001')).toBeVisible();
  await createSubject(page);
  await createSubject(page);
  await expect(page.getByTestId('subject-count')).toHaveText('共 3 名受试者');
  await expect(page.getByRole('row', { name: /KM01-S003/ })).toBeVisible();
  await screenshot(page, 'foundation-02-subject-list-zh');

  await page.getByRole('searchbox').fill('S002');
  await expect(page.getByTestId('subject-count')).toHaveText('共 1 名受试者');
  await page.getByRole('searchbox').fill('');

  // Log out and back in; a wrong password is refused in Chinese.
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.getByLabel('用户名').fill(ADMIN.username);
  await page.getByLabel('密码').fill('not-the-password');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('alert')).toContainText('用户名或密码错误');
  await screenshot(page, 'foundation-03-login-error-zh');
  await page.getByLabel('密码').fill(ADMIN.password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('subject-count')).toHaveText('共 3 名受试者');

  // Data survives a reload (it lives in SQLite, not in the page).
  await page.reload();
  await expect(page.getByTestId('subject-count')).toHaveText('共 3 名受试者');

  // English toggle, remembered across reloads.
  await page.getByTestId('lang-toggle').click();
  await expect(page.getByRole('heading', { name: 'Subjects' })).toBeVisible();
  await expect(page.getByTestId('subject-count')).toHaveText('3 subjects');
  await screenshot(page, 'foundation-04-subject-list-en');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Subjects' })).toBeVisible();
});

test('a page without the token cannot reach the API', async ({ page, ecrf }) => {
  await page.goto(ecrf.url);
  await expect(page.getByRole('alert')).toContainText('缺少访问令牌');
  const status = await page.evaluate(async () => (await fetch('api/app.info', { method: 'POST', body: '{}' })).status);
  expect(status).toBe(401);
});

test('first-run setup lands an admin that the API reports', async ({ page, ecrf }) => {
  await setupAdmin(page, ecrf);
  await expect(page.getByTestId('current-user')).toContainText(ADMIN.displayName);
});
