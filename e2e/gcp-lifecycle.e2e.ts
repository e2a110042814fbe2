// Users and the form lifecycle in real Chromium (zh-CN): the admin creates a nurse and a monitor in 用户管理; the nurse
// saves a form; the monitor verifies it (one item, then all); the investigator signs (wrong password first); the nurse's
// later change resets it with a notice; the admin locks it and the nurse can only read it.
import { GOOD_FORMS } from '../shared/protocol/testing/fixtures';
import { apiSession } from './apiSession';
import { fillForm, openSubjectForm, saveForm } from './entryHelpers';
import { expect, screenshot, setupAdmin, test } from './fixtures';
import { firstLogIn, switchUser } from './switchUser';
import { createAccount } from './accounts';
import type { Page } from '@playwright/test';

const PASSWORD = 'ward-test-pass-2026';
/** What the admin types in the create dialog; each user replaces it with PASSWORD at the first login. */
const INITIAL = 'admin-initial-2026';
const NURSE = { username: 'nurse.chen', displayName: '陈护士', role: '数据录入员' };
const MONITOR = { username: 'monitor.sun', displayName: '孙监查', role: '监查员' };
const DOCTOR = { username: 'dr.liu', displayName: '刘医生', role: 'investigator' };

async function createInUi(page: Page, user: { username: string; displayName: string; role: string }): Promise<void> {
  await page.getByTestId('user-create-open').click();
  const dialog = page.getByTestId('user-create');
  await dialog.getByLabel('用户名').fill(user.username);
  await dialog.getByLabel('姓名').fill(user.displayName);
  await dialog.getByLabel('角色').selectOption({ label: user.role });
  await dialog.getByLabel('初始密码', { exact: true }).fill(INITIAL);
  await dialog.getByLabel('再次输入初始密码').fill(INITIAL);
  await dialog.getByTestId('user-create-submit').click();
  await expect(page.getByTestId('users-notice')).toHaveText(`已创建用户 ${user.username}`);
  await expect(page.getByTestId(`user-row-${user.username}`)).toContainText(user.role);
}

test('admin creates users; nurse saves, monitor verifies, investigator signs, a change resets, admin locks', async ({ page, ecrf }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await setupAdmin(page, ecrf);

  // --- Admin: 用户管理, create a nurse and a monitor through the dialog.
  await page.getByTestId('open-users').click();
  await expect(page.getByRole('heading', { name: '用户管理' })).toBeVisible();
  await page.getByTestId('user-create-open').click();
  const dialog = page.getByTestId('user-create');
  await dialog.getByTestId('user-create-submit').click();
  await expect(dialog.getByRole('alert').first()).toBeVisible(); // empty form: field messages, nothing created
  await screenshot(page, 'users-create-dialog');
  await dialog.getByRole('button', { name: '取消' }).click();
  await createInUi(page, NURSE);
  await createInUi(page, MONITOR);
  await expect(page.getByTestId(`user-row-${NURSE.username}`)).toContainText('启用');
  await screenshot(page, 'users-admin');

  const api = await apiSession(ecrf);
  await createAccount(ecrf, { ...DOCTOR, password: PASSWORD });
  const subject = (await api('subjects.create', {})) as { id: number; screeningNo: string };
  await api('forms.save', { subjectId: subject.id, visitCode: 'SCR', formCode: 'CONSENT', data: GOOD_FORMS.CONSENT.data, expectedVersion: 0 });

  // --- Nurse: at her first login she must replace the admin's password; then enters and saves the screening vitals.
  await firstLogIn(page, NURSE.username, INITIAL, PASSWORD, () => screenshot(page, 'users-first-login-own-password'));
  await openSubjectForm(page, subject.screeningNo, 'SCR', 'VITALS');
  await fillForm(page, 'VITALS', GOOD_FORMS.VITALS.data);
  await saveForm(page);
  const bar = page.getByTestId('lifecycle-bar');
  await expect(bar).toContainText('已完成');
  await expect(bar.getByTestId('sdv-all')).toHaveCount(0);
  await expect(bar.getByTestId('sign-open')).toHaveCount(0);
  await expect(bar.getByTestId('lock-open')).toHaveCount(0);

  // --- Monitor: one item by hand, then the rest with 核查全部.
  await firstLogIn(page, MONITOR.username, INITIAL, PASSWORD);
  await openSubjectForm(page, subject.screeningNo, 'SCR', 'VITALS');
  await expect(bar).toContainText('整表核查要求：表单已完成，且没有未解决');
  await bar.getByTestId('sdv-items-toggle').click();
  await bar.getByTestId('sdv-item-heartRate').check();
  await bar.getByTestId('sdv-selected').click();
  await expect(bar.getByTestId('lifecycle-notice')).toHaveText('已核查 1 项');
  await expect(bar.getByTestId('sdv-progress')).toContainText('已核查 1 /');
  await bar.getByTestId('sdv-items-toggle').click();
  await expect(bar.getByTestId('sdv-item-heartRate')).toBeDisabled();
  await screenshot(page, 'lifecycle-sdv-items');
  await bar.getByTestId('sdv-all').click();
  await expect(page.getByTestId('form-status')).toContainText('已核查');
  await expect(bar.locator('[data-status="verified"]')).toBeVisible();
  await expect(bar.getByTestId('sdv-all')).toBeDisabled();
  await screenshot(page, 'lifecycle-verified');
  // A mistaken tick is withdrawn with a reason (the form is complete again), then verified again.
  await bar.getByTestId('sdv-items-toggle').click();
  await bar.getByTestId('sdv-withdraw-weightKg').click();
  const withdraw = page.getByTestId('reason-action-dialog');
  await expect(withdraw).toContainText('撤销核查：体重');
  await withdraw.getByLabel('原因（必填，记入稽查轨迹）').fill('未核对原始病历，误勾选');
  await withdraw.getByTestId('reason-action-confirm').click();
  await expect(bar.getByTestId('lifecycle-notice')).toHaveText('已撤销核查');
  await expect(page.getByTestId('form-status')).toContainText('已完成');
  await bar.getByTestId('sdv-all').click();
  await expect(page.getByTestId('form-status')).toContainText('已核查');

  // --- Investigator: sign; a wrong password first.
  await switchUser(page, DOCTOR.username, PASSWORD);
  await openSubjectForm(page, subject.screeningNo, 'SCR', 'VITALS');
  const sign = page.getByTestId('sign-dialog');
  // The whole visit cannot be signed yet: the dialog names the forms still missing.
  await bar.getByTestId('sign-visit-open').click();
  await expect(sign).toContainText('签名对象：筛选期访视的全部表单');
  await sign.getByLabel('请输入您本人的登录密码以确认签名').fill(PASSWORD);
  await sign.getByTestId('sign-confirm').click();
  await expect(sign.getByRole('alert')).toContainText('该访视还有未录入的表单：人口学资料');
  await sign.getByRole('button', { name: '取消' }).click();
  await bar.getByTestId('sign-open').click();
  await expect(sign.getByTestId('sign-meaning')).toContainText('本人确认本病例报告表中的数据真实、准确、完整');
  await expect(sign).toContainText('刘医生');
  await sign.getByLabel('请输入您本人的登录密码以确认签名').fill('not-the-password');
  await sign.getByTestId('sign-confirm').click();
  await expect(sign.getByRole('alert')).toContainText('密码错误，请重新输入您本人的登录密码');
  await screenshot(page, 'lifecycle-sign-wrong-password');
  await sign.getByLabel('请输入您本人的登录密码以确认签名').fill(PASSWORD);
  await sign.getByTestId('sign-confirm').click();
  await expect(sign).toHaveCount(0);
  await expect(page.getByTestId('form-status')).toContainText('已签名');
  await expect(bar.getByTestId('signatures')).toContainText('刘医生（dr.liu）');
  await expect(bar.getByTestId('signatures')).toContainText('本人确认本病例报告表中的数据真实、准确、完整');
  await screenshot(page, 'lifecycle-signed');

  // --- Investigator: sign the rest of the casebook (the consent form) from the casebook screen.
  await page.getByRole('button', { name: /返回病例/ }).click();
  await page.getByTestId('casebook-sign').click();
  await expect(sign).toContainText(`签名对象：受试者 ${subject.screeningNo} 的整本病例`);
  await sign.getByLabel('请输入您本人的登录密码以确认签名').fill(PASSWORD);
  await sign.getByTestId('sign-confirm').click();
  await expect(page.getByTestId('casebook-lifecycle')).toContainText('已处理 1 个表单');
  await expect(page.getByTestId('visit-SCR')).toBeVisible();
  await screenshot(page, 'lifecycle-casebook-signed');

  // --- Nurse: a change after the signature resets the form and says so.
  await switchUser(page, NURSE.username, PASSWORD);
  await openSubjectForm(page, subject.screeningNo, 'SCR', 'VITALS');
  await page.locator('#f-heartRate').fill('84');
  await page.getByTestId('save').click();
  await page.locator('#reason-input').fill('转录错误，按原始记录更正');
  await page.getByRole('button', { name: '确认保存' }).click();
  await expect(bar.getByTestId('status-reset')).toContainText('此表单已签名，修改后需重新核查/签名');
  await expect(page.getByTestId('form-status')).toContainText('已完成');
  await expect(bar.getByTestId('signatures')).toContainText('签名已失效');
  await screenshot(page, 'lifecycle-reset-notice');

  // --- Admin: lock the form with a reason; the nurse can then only read it and sees who locked it.
  await switchUser(page, 'chief', 'ward-admin-2026');
  await openSubjectForm(page, subject.screeningNo, 'SCR', 'VITALS');
  await bar.getByTestId('lock-open').click();
  const lock = page.getByTestId('reason-action-dialog');
  await lock.getByTestId('reason-action-confirm').click();
  await expect(lock).toContainText('请填写原因');
  await lock.getByLabel('原因（必填，记入稽查轨迹）').fill('中期分析数据锁定');
  await lock.getByTestId('reason-action-confirm').click();
  await expect(page.getByTestId('form-status')).toContainText('已锁定');
  await switchUser(page, NURSE.username, PASSWORD);
  await openSubjectForm(page, subject.screeningNo, 'SCR', 'VITALS');
  await expect(page.getByText('表单已锁定，只能查看')).toBeVisible();
  await expect(page.getByTestId('save')).toHaveCount(0);
  await expect(bar.getByTestId('lock-info')).toContainText('中期分析数据锁定');
  await screenshot(page, 'lifecycle-locked-nurse');
  await page.getByTestId('lang-toggle').click();
  await expect(bar).toContainText('Verification and signature');
  await expect(bar.getByTestId('lock-info')).toContainText('Locked by chief');
  await screenshot(page, 'lifecycle-locked-nurse-en');
  await page.getByTestId('lang-toggle').click();

  // --- Admin: lock the rest of the casebook, then unlock it all (each form back to its earlier status).
  await switchUser(page, 'chief', 'ward-admin-2026');
  await page.getByRole('row', { name: new RegExp(subject.screeningNo) }).click();
  const casebookBar = page.getByTestId('casebook-lifecycle');
  await casebookBar.getByTestId('casebook-lock').click();
  await lock.getByLabel('原因（必填，记入稽查轨迹）').fill('受试者完成研究，数据锁定');
  await lock.getByTestId('reason-action-confirm').click();
  await expect(casebookBar).toContainText('已处理 1 个表单');
  await expect(casebookBar.getByTestId('casebook-lock')).toHaveCount(0);
  await casebookBar.getByTestId('casebook-unlock').click();
  await lock.getByLabel('原因（必填，记入稽查轨迹）').fill('监查发现问题，需要更正');
  await lock.getByTestId('reason-action-confirm').click();
  await expect(casebookBar).toContainText('已处理 2 个表单');
  await page.getByTestId('open-SCR-VITALS').click();
  await expect(page.getByTestId('form-status')).toContainText('已完成');
  await expect(page.getByTestId('save')).toBeVisible();
});

test('admin unlocks a locked-out monitor and deactivates a nurse: her open session ends at once', async ({ page, ecrf, browser }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await setupAdmin(page, ecrf);
  const api = await apiSession(ecrf);
  await createAccount(ecrf, { username: 'nurse.wu', displayName: '吴护士', role: 'data_entry', password: PASSWORD });
  await createAccount(ecrf, { username: 'monitor.he', displayName: '何监查', role: 'monitor', password: PASSWORD });
  for (let i = 0; i < 5; i++) await api('auth.login', { username: 'monitor.he', password: 'wrong-password' }).catch(() => undefined);

  // The nurse is logged in on another computer (browser context).
  const nurseContext = await browser.newContext();
  const nursePage = await nurseContext.newPage();
  await nursePage.goto(ecrf.openUrl);
  await nursePage.getByLabel('用户名').fill('nurse.wu');
  await nursePage.getByLabel('密码').fill(PASSWORD);
  await nursePage.getByRole('button', { name: '登录', exact: true }).click();
  await expect(nursePage.getByRole('heading', { name: '受试者列表' })).toBeVisible();

  await page.getByTestId('open-users').click();
  const monitorRow = page.getByTestId('user-row-monitor.he');
  await expect(monitorRow).toContainText('已锁定（密码错误 5 次）');
  await screenshot(page, 'users-locked-out');
  await monitorRow.getByTestId('user-unlock').click();
  await expect(page.getByTestId('users-notice')).toHaveText('已解锁 monitor.he');
  await expect(monitorRow).toContainText('启用');

  page.once('dialog', (d) => void d.accept());
  const nurseRow = page.getByTestId('user-row-nurse.wu');
  await nurseRow.getByTestId('user-deactivate').click();
  await expect(page.getByTestId('users-notice')).toHaveText('已停用 nurse.wu，其登录已结束');
  await expect(nurseRow).toContainText('已停用');
  await expect(nurseRow.getByTestId('user-reactivate')).toBeVisible();
  await page.getByTestId('lang-toggle').click();
  await expect(page.getByRole('heading', { name: 'User administration' })).toBeVisible();
  await expect(nurseRow).toContainText('Deactivated');
  await screenshot(page, 'users-admin-en');
  await page.getByTestId('lang-toggle').click();

  // Her next action finds the session gone: back to the login screen, and she cannot log in again.
  await nursePage.getByTestId('nav-queries').click();
  await expect(nursePage.getByRole('heading', { name: '登录' })).toBeVisible();
  await nursePage.getByLabel('用户名').fill('nurse.wu');
  await nursePage.getByLabel('密码').fill(PASSWORD);
  await nursePage.getByRole('button', { name: '登录', exact: true }).click();
  await expect(nursePage.getByRole('alert')).toContainText('用户名或密码错误');
  await nurseContext.close();

  // The admin changes their own password from the top bar (the current one first wrong, which keeps them logged in).
  await page.getByTestId('own-password-open').click();
  const own = page.getByTestId('own-password');
  await own.getByLabel('当前密码').fill('not-my-password');
  await own.getByLabel('新密码', { exact: true }).fill('ward-admin-2027');
  await own.getByLabel('再次输入新密码').fill('ward-admin-2027');
  await own.getByTestId('own-password-submit').click();
  await expect(own.getByRole('alert')).toContainText('密码错误');
  await own.getByLabel('当前密码').fill('ward-admin-2026');
  await own.getByTestId('own-password-submit').click();
  await expect(own.getByTestId('own-password-done')).toContainText('密码已修改');
  await screenshot(page, 'users-own-password');
  await own.getByRole('button', { name: '关闭' }).click();
  await switchUser(page, 'chief', 'ward-admin-2027');
});
