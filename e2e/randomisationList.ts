// The sealed list for e2e tests that need one: an unblinded pharmacist account generates it through the API (issue 12:
// the pharmacist makes the list, never the admin), and the investigator's randomisation dialog.
import { expect, type Page } from '@playwright/test';
import { createAccount, type Account } from './accounts';
import { apiSession } from './apiSession';
import type { EcrfHost } from './fixtures';

export const LIST_PHARMACIST: Account = { username: 'pharm.list', displayName: '列表药师', role: 'pharmacist', password: 'pharmacy-list-2026' };
export const RANDOMISING_INVESTIGATOR: Account = { username: 'dr.rand', displayName: '随机医生', role: 'investigator', password: 'investigator-pass-2026' };

export async function prepareRandomisationList(host: EcrfHost, size = 12, seed = 'e2e-journey'): Promise<void> {
  await createAccount(host, LIST_PHARMACIST);
  const pharmacist = await apiSession(host, LIST_PHARMACIST);
  await pharmacist('randomisation.generateList', { seed, size, password: LIST_PHARMACIST.password });
}

/** On the eligibility screen, as the investigator: Randomise, tick that it cannot be undone, own password, confirm. */
export async function randomiseInDialog(page: Page, password: string): Promise<void> {
  await page.getByTestId('randomise').click();
  const dialog = page.getByTestId('randomise-dialog');
  await expect(dialog.getByTestId('randomise-irreversible')).toContainText('不可撤销');
  await expect(dialog.getByTestId('randomise-confirm')).toBeDisabled();
  await dialog.getByTestId('randomise-understood').check();
  await dialog.getByLabel('请输入您本人的登录密码以确认随机（等同签名）').fill(password);
  await dialog.getByTestId('randomise-confirm').click();
}
