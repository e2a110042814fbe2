// Data queries in real Chromium (zh-CN): the monitor raises a query on an item, the nurse sees the red badge and answers,
// the monitor closes it; a query-raising warning raises an automatic query on save (a normal-range flag does not); the audit trail shows the history.
import { GOOD_FORMS } from '../shared/protocol/testing/fixtures';
import { createAccount } from './accounts';
import { apiSession } from './apiSession';
import { openSubjectForm } from './entryHelpers';
import { expect, screenshot, setupAdmin, test } from './fixtures';
import { switchUser } from './switchUser';

const PASSWORD = 'ward-test-pass-2026';
const NURSE = { username: 'nurse.li', displayName: '李护士', role: 'data_entry' };
const MONITOR = { username: 'monitor.zhao', displayName: '赵监查', role: 'monitor' };

test('monitor raises, nurse answers, monitor closes; an edit-check warning raises a query automatically, a normal-range flag does not', async ({ page, ecrf }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await setupAdmin(page, ecrf);
  const api = await apiSession(ecrf);
  for (const u of [NURSE, MONITOR]) await createAccount(ecrf, { ...u, password: PASSWORD });
  const subject = (await api('subjects.create', {})) as { id: number; screeningNo: string };
  for (const code of ['CONSENT', 'VITALS', 'MEDHX'] as const) {
    await api('forms.save', { subjectId: subject.id, visitCode: 'SCR', formCode: code, data: GOOD_FORMS[code].data, expectedVersion: 0 });
  }

  // --- Monitor: raise a query on the weight.
  await switchUser(page, MONITOR.username, PASSWORD);
  await expect(page.getByTestId('nav-queries')).toBeVisible();
  await expect(page.getByTestId('nav-queries-count')).toHaveCount(0);
  await openSubjectForm(page, subject.screeningNo, 'SCR', 'VITALS');
  await expect(page.getByTestId('query-badge-weightKg')).toHaveCount(0);
  await page.getByTestId('raise-query-weightKg').click();
  const raise = page.getByTestId('raise-dialog');
  await expect(raise).toContainText('发起质疑：体重');
  await raise.getByRole('button', { name: '发起质疑' }).click();
  await expect(raise).toContainText('请填写内容');
  await page.getByTestId('raise-text').fill('体重与原始病历（56 kg）不一致，请核实');
  await screenshot(page, 'queries-raise-dialog');
  await page.getByTestId('raise-submit').click();
  const thread = page.getByTestId('query-dialog');
  await expect(thread).toContainText('体重与原始病历（56 kg）不一致，请核实');
  await expect(thread.locator('[data-status="open"]')).toHaveCount(1);
  await thread.getByRole('button', { name: '关闭窗口' }).click();
  await expect(page.getByTestId('query-badge-weightKg')).toHaveAttribute('data-status', 'open');
  await expect(page.getByTestId('nav-queries-count')).toHaveText('1');
  await screenshot(page, 'queries-form-monitor');

  // --- Nurse: the count, the list, the red badge; answer.
  await switchUser(page, NURSE.username, PASSWORD);
  await expect(page.getByTestId('nav-queries-count')).toHaveText('1');
  await page.getByTestId('nav-queries').click();
  await expect(page.getByRole('heading', { name: '数据质疑列表' })).toBeVisible();
  const row = page.getByTestId('query-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(subject.screeningNo);
  await expect(row).toContainText('体重');
  await expect(row).toContainText('待回复');
  await screenshot(page, 'queries-list-nurse');
  await row.click();
  await expect(page.getByTestId('form')).toBeVisible();
  const badge = page.getByTestId('query-badge-weightKg');
  await expect(badge).toHaveAttribute('data-status', 'open');
  await expect(badge).toContainText('待回复');
  await expect(page.getByTestId('raise-query-weightKg')).toHaveCount(0); // only monitors raise
  await badge.click();
  await expect(thread.getByTestId('query-close')).toHaveCount(0);
  await thread.getByTestId('query-text').fill('已核对原始病历，入院称重为 55 kg，录入无误');
  await screenshot(page, 'queries-thread-nurse');
  await thread.getByTestId('query-answer').click();
  await expect(thread.locator('[data-status="answered"]')).toHaveCount(1);
  await expect(thread).toContainText('已核对原始病历，入院称重为 55 kg，录入无误');
  await thread.getByRole('button', { name: '关闭窗口' }).click();
  await expect(badge).toHaveAttribute('data-status', 'answered');

  // --- Audit trail of the form and the history of one item.
  await page.getByTestId('open-audit').click();
  const audit = page.getByTestId('audit-dialog');
  await expect(audit).toContainText('审计轨迹：生命体征');
  await expect(audit.getByTestId('audit-row').first()).toBeVisible();
  await expect(audit).toContainText('数据质疑');
  await screenshot(page, 'queries-audit-form');
  await audit.getByRole('button', { name: '关闭' }).click();
  await page.getByTestId('history-weightKg').click();
  await expect(audit).toContainText('修改历史：体重');
  await expect(audit).toContainText('数据质疑');
  await expect(audit).toContainText('已核对原始病历');
  await screenshot(page, 'queries-audit-item');
  await audit.getByRole('button', { name: '关闭' }).click();

  // --- Nurse: a heart rate above the normal range (but below the critical 130) is flagged on the field but raises no query.
  await page.locator('#f-heartRate').fill('120');
  await page.getByTestId('save').click();
  await page.locator('#reason-input').fill('复测心率');
  await page.getByRole('button', { name: '确认保存' }).click();
  await expect(page.getByTestId('save-result')).toContainText('已保存');
  await expect(page.getByTestId('save-result')).not.toContainText('已生成质疑');
  await expect(page.getByTestId('query-badge-heartRate')).toHaveCount(0);
  await expect(page.getByTestId('nav-queries-count')).toHaveText('1');

  // --- Nurse: fewer than 4 ACR criteria (an inclusion check) raises a query on save.
  await page.getByRole('button', { name: '← 返回质疑列表' }).click();
  await expect(page.getByRole('heading', { name: '数据质疑列表' })).toBeVisible();
  await page.getByRole('button', { name: /返回受试者列表/ }).click();
  await openSubjectForm(page, subject.screeningNo, 'SCR', 'MEDHX');
  await page.locator('#f-acrCriteriaCount').fill('3');
  await page.getByTestId('save').click();
  await page.locator('#reason-input').fill('核对 ACR 条数');
  await page.getByRole('button', { name: '确认保存' }).click();
  await expect(page.getByTestId('save-result')).toContainText('已生成质疑');
  await expect(page.getByTestId('query-badge-acrCriteriaCount')).toHaveAttribute('data-status', 'open', { timeout: 10_000 });
  await expect(page.getByTestId('nav-queries-count')).toHaveText('2');
  await screenshot(page, 'queries-form-auto');
  await page.getByTestId('query-badge-acrCriteriaCount').click();
  await expect(thread).toContainText('系统核查发起');
  await expect(thread).toContainText('3 条');
  await thread.getByRole('button', { name: '关闭窗口' }).click();

  // --- Monitor: the answered query waits; close it. Then the list filtered to closed.
  await switchUser(page, MONITOR.username, PASSWORD);
  await openSubjectForm(page, subject.screeningNo, 'SCR', 'VITALS');
  await expect(page.getByTestId('query-badge-weightKg')).toHaveAttribute('data-status', 'answered');
  await page.getByTestId('query-badge-weightKg').click();
  await thread.getByTestId('query-close').click();
  await expect(thread.locator('[data-status="closed"]')).toHaveCount(1);
  await thread.getByRole('button', { name: '关闭窗口' }).click();
  await expect(page.getByTestId('query-badge-weightKg')).toHaveAttribute('data-status', 'closed');
  await expect(page.getByTestId('nav-queries-count')).toHaveText('1');
  await page.getByTestId('nav-queries').click();
  await page.getByTestId('query-status-filter').selectOption('all');
  await expect(page.getByTestId('query-row')).toHaveCount(2);
  await screenshot(page, 'queries-list-monitor');
  await page.getByTestId('lang-toggle').click();
  await expect(page.getByRole('heading', { name: 'Data queries' })).toBeVisible();
  await expect(page.getByTestId('query-row').filter({ hasText: 'ACR classification criteria' })).toHaveCount(1);
  await screenshot(page, 'queries-list-monitor-en');
  await page.getByTestId('lang-toggle').click();

  // The subject list shows the screening visit as queried while the automatic query is open.
  await page.getByRole('button', { name: /返回受试者列表/ }).click();
  const scr = page.getByRole('row', { name: new RegExp(subject.screeningNo) }).locator('[data-status="queried"]');
  await expect(scr).toHaveCount(1);
  await screenshot(page, 'queries-subject-list');
});
