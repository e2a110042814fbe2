// Log in on the login screen, or log out of the UI and log in as another user (zh-CN labels), landing on the subject list.
import { expect, type Page } from '@playwright/test';

export async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByRole('heading', { name: '受试者列表' })).toBeVisible();
}

export async function switchUser(page: Page, username: string, password: string): Promise<void> {
  await page.getByRole('button', { name: '退出登录' }).click();
  await logIn(page, username, password);
}
