// Randomisation and blinding in real Chromium (zh-CN): the admin takes a backup (and cannot make the list), the
// pharmacist generates the sealed list, the investigator confirms eligibility and randomises with a confirmation and
// their password (number shown, no arm), the pharmacist sees the allocation,
// nurse and investigator screens never show it, and the investigator's emergency unblinding shows it once.
import { WORKED_SCREENING } from '../renderer/src/clinical/testing/workedSubject';
import { createAccount, formSeeder } from './accounts';
import { apiSession } from './apiSession';
import { expect, screenshot, setupAdmin, startShiftedHost, test } from './fixtures';
import { switchUser } from './switchUser';
import type { Page } from '@playwright/test';

const PASSWORD = 'ward-test-pass-2026';
const DOCTOR = { username: 'dr.chen', displayName: '陈医生', role: 'investigator' };
const NURSE = { username: 'nurse.li', displayName: '李护士', role: 'data_entry' };
const PHARMACIST = { username: 'pharm.wu', displayName: '吴药师', role: 'pharmacist' };
/** Any visible sign of the arm: the arm names as the UI or the API would write them. */
const ARM_TEXT = /安慰剂|placebo|MSC|间充质/i;

/** The page below the header (whose study title names hUC-MSC) shows no arm. */
async function expectNoArm(page: Page): Promise<void> {
  await expect
    .poll(() => page.evaluate(() => [...document.body.querySelectorAll('body *:not(header):not(header *)')].filter((e) => e.children.length === 0).map((e) => e.textContent ?? '').join(' ')))
    .not.toMatch(ARM_TEXT);
}

test('the pharmacist makes the list, the investigator randomises with confirmation and password, blinded screens never show the arm', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  // Both clocks on the worked subject's randomisation day: six days after her screening (amendment 1: screening dated
  // day −28 … −1, a pregnancy test within 7 days before Day 0).
  const shifted = await startShiftedHost(page, '2026-03-09');
  const ecrf = shifted.host;
  try {
  await setupAdmin(page, ecrf);
  const api = await apiSession(ecrf);
  for (const u of [DOCTOR, NURSE, PHARMACIST]) await createAccount(ecrf, { ...u, password: PASSWORD });
  const save = await formSeeder(ecrf, api);
  const subject = (await api('subjects.create', {})) as { id: number; screeningNo: string };
  for (const f of WORKED_SCREENING) {
    await save({ subjectId: subject.id, visitCode: f.visitCode, formCode: f.formCode, data: f.data, expectedVersion: 0 });
  }

  // --- Admin: sees the list's state only (the pharmacist makes it); backs up now.
  await page.reload();
  await expect(page.getByRole('row', { name: new RegExp(subject.screeningNo) })).toBeVisible();
  await screenshot(page, 'gcp-rand-subjects-admin');
  await page.getByTestId('open-rand-admin').click();
  await expect(page.getByRole('heading', { name: '随机化与备份', level: 1 })).toBeVisible();
  await expect(page.getByTestId('rand-status')).toContainText('尚未生成随机表');
  await expect(page.getByTestId('rand-seed')).toHaveCount(0);
  await expect(page.getByTestId('rand-import')).toHaveCount(0);
  await expect(page.getByTestId('backup-last')).toContainText('尚未备份');
  await page.getByTestId('backup-now').click();
  await expect(page.getByTestId('rand-notice')).toContainText('备份完成');
  await expect(page.getByTestId('backup-last')).toContainText('手动');
  await screenshot(page, 'gcp-rand-admin');
  await page.getByTestId('lang-toggle').click();
  await expect(page.getByRole('heading', { name: 'Randomisation and backups', level: 1 })).toBeVisible();
  await screenshot(page, 'gcp-rand-admin-en');
  await page.getByTestId('lang-toggle').click();
  await page.getByRole('button', { name: /返回受试者列表/ }).click();

  // --- Pharmacist: a bad CSV is refused with line numbers; then the list is generated from a seed (used once, not kept).
  await switchUser(page, PHARMACIST.username, PASSWORD);
  await page.getByTestId('open-allocations').click();
  await expect(page.getByRole('heading', { name: /分组信息/ })).toBeVisible();
  await expect(page.getByTestId('rand-status')).toContainText('尚未生成随机表');
  await page.getByTestId('rand-csv').setInputFiles({
    name: 'list.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('rand_no,kit_no,allocation\nR001,K-1,MSC\nR002,K-2,ACTIVE\nR001,K-3,PLACEBO\n'),
  });
  await page.getByTestId('rand-password').fill(PASSWORD); // the pharmacist's password wraps the list key
  await page.getByTestId('rand-import').click();
  await expect(page.getByRole('alert')).toContainText('随机表未导入：2 处错误');
  await expect(page.getByRole('alert')).toContainText('第 3 行：分组「ACTIVE」只能是 MSC 或 PLACEBO');
  await expect(page.getByRole('alert')).toContainText('第 4 行：随机号 R001 与第 2 行重复');
  await expect(page.getByTestId('rand-status')).toContainText('尚未生成随机表');
  await screenshot(page, 'gcp-rand-pharmacist-list');
  await page.getByTestId('rand-seed').fill('KM-2012-e2e-seed');
  await page.getByTestId('rand-size').fill('12');
  await expect(page.getByTestId('rand-password')).toHaveValue(PASSWORD); // kept after the refused import
  await page.getByTestId('rand-generate').click();
  await expect(page.getByTestId('rand-notice')).toContainText('随机表已生成');
  await expect(page.getByTestId('rand-status')).toContainText(/共 1[2-7] 个随机号：已用 0，剩余 1[2-7]/);
  await expect(page.getByTestId('list-holders')).toContainText(`${PHARMACIST.username}：非盲药师`);
  // The investigator, beside the pharmacist, types their own password: they get a key for emergency unblinding.
  await page.getByTestId('grant-username').fill(DOCTOR.username);
  await page.getByTestId('grant-password').fill(PASSWORD);
  await page.getByTestId('grant-mine').fill(PASSWORD);
  await page.getByTestId('grant-submit').click();
  await expect(page.getByTestId('rand-notice')).toContainText(`已授权 ${DOCTOR.username} 持有随机表密钥`);
  await expect(page.getByTestId('list-holders')).toContainText(`${DOCTOR.username}：研究者（紧急揭盲），由 ${PHARMACIST.username}`);
  await screenshot(page, 'gcp-rand-pharmacist-generated');
  await page.getByRole('button', { name: /返回受试者列表/ }).click();

  // --- Investigator: confirm eligibility and randomise from the eligibility screen, confirming with the password.
  await switchUser(page, DOCTOR.username, PASSWORD);
  await expect(page.getByTestId('open-rand-admin')).toHaveCount(0);
  await expect(page.getByTestId('open-allocations')).toHaveCount(0);
  await page.getByRole('row', { name: new RegExp(subject.screeningNo) }).click();
  await page.getByTestId('open-clinical').click();
  await expect(page.getByTestId('elig-verdict')).toContainText('全部标准均符合');
  await page.getByLabel('本人已逐条核对以上入选/排除标准评估结果，确认无误').check();
  await page.getByRole('button', { name: '保存确认' }).click();
  await expect(page.getByText('确认已保存')).toBeVisible();
  await page.getByTestId('randomise').click();
  const dialog = page.getByTestId('randomise-dialog');
  await expect(dialog).toContainText('随机分组一经完成，不可撤销');
  await expect(dialog.getByTestId('randomise-confirm')).toBeDisabled();
  await dialog.getByTestId('randomise-understood').check();
  await dialog.getByLabel('请输入您本人的登录密码以确认随机（等同签名）').fill('wrong-password-1');
  await screenshot(page, 'gcp-rand-confirm-dialog');
  await dialog.getByTestId('randomise-confirm').click();
  await expect(dialog.getByRole('alert')).toContainText('密码错误');
  await expect(page.getByTestId('rand-result')).toHaveCount(0);
  // The language toggle sits under the dialog's backdrop: switched by its click event.
  await page.getByTestId('lang-toggle').dispatchEvent('click');
  await dialog.getByLabel('Enter your own login password to confirm (like a signature)').fill(PASSWORD);
  await screenshot(page, 'gcp-rand-confirm-dialog-en');
  await page.getByTestId('lang-toggle').dispatchEvent('click');
  await dialog.getByTestId('randomise-confirm').click();
  await expect(page.getByTestId('rand-result')).toContainText('随机号 R001，药物编号 K-1001');
  await expectNoArm(page);
  await screenshot(page, 'gcp-rand-randomised');

  // The RAND form and the subject list show numbers only.
  await page.getByRole('button', { name: /返回病例/ }).click();
  await page.getByTestId('open-D0-RAND').click();
  await expect(page.getByLabel('随机号')).toHaveValue('R001');
  await expect(page.getByLabel('药物编号')).toHaveValue('K-1001');
  await expect(page.getByText('分组', { exact: true })).toHaveCount(0);
  await expectNoArm(page);
  await page.getByRole('button', { name: /返回病例/ }).click();
  await page.getByRole('button', { name: /返回受试者列表/ }).click();
  await expect(page.getByRole('row', { name: new RegExp(subject.screeningNo) })).toContainText('R001');
  await expectNoArm(page);

  // --- Nurse: subject list and casebook, no arm anywhere.
  await switchUser(page, NURSE.username, PASSWORD);
  await expect(page.getByTestId('open-allocations')).toHaveCount(0);
  await expectNoArm(page);
  await page.getByRole('row', { name: new RegExp(subject.screeningNo) }).click();
  await expectNoArm(page);
  await page.getByTestId('open-LOG-UNBLIND').click();
  await expect(page.getByTestId('unblind-panel')).toContainText('只有研究者可以紧急揭盲');
  await expectNoArm(page);

  // --- Pharmacist: the allocation table.
  await page.getByRole('button', { name: /返回病例/ }).click();
  await page.getByRole('button', { name: /返回受试者列表/ }).click();
  await switchUser(page, PHARMACIST.username, PASSWORD);
  await page.getByTestId('open-allocations').click();
  await expect(page.getByRole('heading', { name: /分组信息/ })).toBeVisible();
  await expect(page.getByTestId('allocation-table')).toHaveCount(0); // sealed until the pharmacist's password opens it
  await page.getByTestId('list-open-password').fill(PASSWORD);
  await page.getByTestId('list-open-submit').click();
  const row = page.getByTestId('allocation-table').locator('tbody tr').first();
  await expect(row).toContainText('R001');
  await expect(row).toContainText(subject.screeningNo);
  await expect(row).toContainText(/hUC-MSC|安慰剂/);
  const pharmacistArm = (await row.locator('.arm-tag').textContent())!.trim();
  await expect(page.getByTestId('allocation-summary')).toContainText('已分配 1');
  await screenshot(page, 'gcp-rand-allocations');

  // --- Investigator: emergency unblinding from the casebook; a wrong password first.
  await page.getByRole('button', { name: /返回受试者列表/ }).click();
  await switchUser(page, DOCTOR.username, PASSWORD);
  await page.getByRole('row', { name: new RegExp(subject.screeningNo) }).click();
  await page.getByTestId('open-LOG-UNBLIND').click();
  await page.getByTestId('unblind-open').click();
  await page.getByTestId('unblind-reason').fill('严重输注反应，需决定后续治疗');
  await page.getByTestId('unblind-password').fill('wrong-password-1');
  await page.getByTestId('unblind-confirm').click();
  await expect(page.getByRole('alert')).toContainText('密码错误');
  await expectNoArm(page);
  await page.getByTestId('unblind-password').fill(PASSWORD);
  await page.getByTestId('unblind-confirm').click();
  await expect(page.getByTestId('unblind-allocation')).toHaveText(pharmacistArm);
  await screenshot(page, 'gcp-rand-unblinded');
  await page.getByTestId('unblind-close').click();
  await expect(page.getByTestId('unblind-panel')).toContainText('已于');
  await expect(page.getByTestId('sponsor-notified')).toContainText('尚未记录已通知申办方');
  await page.getByTestId('sponsor-notified-record').click();
  await expect(page.getByTestId('sponsor-notified')).toHaveText('已通知申办方。');
  await expectNoArm(page);
  // The casebook and the subject list mark the subject as unblinded (that it happened, not the arm), for every role.
  await page.getByRole('button', { name: /返回病例/ }).click();
  await expect(page.getByTestId('unblinded-pill')).toHaveText('已紧急揭盲');
  await page.getByRole('button', { name: /返回受试者列表/ }).click();
  await expect(page.getByRole('row', { name: new RegExp(subject.screeningNo) }).getByTestId('unblinded-pill')).toBeVisible();
  await switchUser(page, NURSE.username, PASSWORD);
  await expect(page.getByRole('row', { name: new RegExp(subject.screeningNo) }).getByTestId('unblinded-pill')).toBeVisible();
  await screenshot(page, 'gcp-rand-unblinded-list');
  await expectNoArm(page);
  } finally {
    await shifted.stop();
  }
});
