// Log in on the login screen, or log out of the UI and log in as another user (zh-CN labels), landing on the subject list.
import { expect, type Page } from '@playwright/test';

export async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByRole('heading', { name: '受试者列表' })).toBeVisible();
}

/**
 * The first login of an account the admin made: the app asks at once for a password of the user's own (issue 12) and
 * lets them do nothing else; the user types the admin's initial password and their own twice.
 */
export async function firstLogIn(page: Page, username: string, initial: string, own: string, shot?: () => Promise<void>): Promise<void> {
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(initial);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  const dialog = page.getByTestId('own-password');
  await expect(dialog.getByTestId('own-password-forced')).toContainText('您的密码由管理员设置');
  await expect(page.getByRole('heading', { name: '受试者列表' })).toHaveCount(0);
  await dialog.getByLabel('当前密码').fill(initial);
  await dialog.getByLabel('新密码', { exact: true }).fill(own);
  await dialog.getByLabel('再次输入新密码').fill(own);
  if (shot) await shot();
  await dialog.getByTestId('own-password-submit').click();
  await expect(dialog.getByTestId('own-password-done')).toBeVisible();
  await dialog.getByRole('button', { name: '关闭' }).click();
  await expect(page.getByRole('heading', { name: '受试者列表' })).toBeVisible();
}

export async function switchUser(page: Page, username: string, password: string): Promise<void> {
  await page.getByRole('button', { name: '退出登录' }).click();
  await logIn(page, username, password);
}
