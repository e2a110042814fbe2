// Randomisation and blinding in real Chromium (zh-CN): the admin generates the sealed list and takes a backup in the UI,
// the investigator confirms eligibility and randomises (number shown, no arm), the pharmacist sees the allocation,
// nurse and investigator screens never show it, and the investigator's emergency unblinding shows it once.
import { WORKED_SCREENING } from '../renderer/src/clinical/testing/workedSubject';
import { apiSession } from './apiSession';
import { expect, screenshot, setupAdmin, test } from './fixtures';
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

test('admin generates the list, investigator randomises, pharmacist sees the allocation, blinded screens never do', async ({ page, ecrf }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await setupAdmin(page, ecrf);
  const api = await apiSession(ecrf);
  for (const u of [DOCTOR, NURSE, PHARMACIST]) await api('users.create', { ...u, password: PASSWORD });
  const subject = (await api('subjects.create', {})) as { id: number; screeningNo: string };
  for (const f of WORKED_SCREENING) {
    await api('forms.save', { subjectId: subject.id, visitCode: f.visitCode, formCode: f.formCode, data: f.data, expectedVersion: 0 });
  }

  // --- Admin: no list yet; generate one from a seed; back up now.
  await page.reload();
  await expect(page.getByRole('row', { name: new RegExp(subject.screeningNo) })).toBeVisible();
  await screenshot(page, 'gcp-rand-subjects-admin');
  await page.getByTestId('open-rand-admin').click();
  await expect(page.getByRole('heading', { name: '随机化与备份', level: 1 })).toBeVisible();
  await expect(page.getByTestId('rand-status')).toContainText('尚未生成随机表');
  // A CSV with a wrong allocation and a repeated number is refused with line numbers; nothing is imported.
  await page.getByTestId('rand-csv').setInputFiles({
    name: 'list.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('rand_no,kit_no,allocation\nR001,K-1,MSC\nR002,K-2,ACTIVE\nR001,K-3,PLACEBO\n'),
  });
  await page.getByTestId('rand-import').click();
  await expect(page.getByRole('alert')).toContainText('随机表未导入：2 处错误');
  await expect(page.getByRole('alert')).toContainText('第 3 行：分组「ACTIVE」只能是 MSC 或 PLACEBO');
  await expect(page.getByRole('alert')).toContainText('第 4 行：随机号 R001 与第 2 行重复');
  await expect(page.getByTestId('rand-status')).toContainText('尚未生成随机表');
  await page.getByTestId('rand-seed').fill('KM-2012-e2e-seed');
  await page.getByTestId('rand-size').fill('12');
  await page.getByTestId('rand-generate').click();
  await expect(page.getByTestId('rand-notice')).toContainText('随机表已生成');
  await expect(page.getByTestId('rand-status')).toContainText(/共 1[2-7] 个随机号：已用 0，剩余 1[2-7]/);
  await expect(page.getByTestId('backup-last')).toContainText('尚未备份');
  await page.getByTestId('backup-now').click();
  await expect(page.getByTestId('rand-notice')).toContainText('备份完成');
  await expect(page.getByTestId('backup-last')).toContainText('手动');
  await expect(page.getByTestId('rand-status')).not.toContainText(ARM_TEXT); // no counts by arm for the (blinded) admin
  await screenshot(page, 'gcp-rand-admin');
  await page.getByTestId('lang-toggle').click();
  await expect(page.getByRole('heading', { name: 'Randomisation and backups', level: 1 })).toBeVisible();
  await expect(page.getByTestId('rand-status')).toContainText(/\d+ randomisation numbers: 0 used/);
  await screenshot(page, 'gcp-rand-admin-en');
  await page.getByTestId('lang-toggle').click();

  // --- Investigator: confirm eligibility and randomise from the eligibility screen.
  await page.getByRole('button', { name: /返回受试者列表/ }).click();
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
  await page.getByTestId('randomise-confirm').click();
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
});
