// The data of record on screen (issue 14) in real Chromium: a Month 6 LAB with a required result marked 未做 instead of
// a value (typing a value clears the reason, the monitor reads it), a SLEDAI answered 有 / 无 with "mark the rest
// absent" (the LAB's 未做 carried to its descriptor), the RESPONSE confirmed and stored as the record (never an input),
// then an M6 protein changed after the confirmation: the record withdrawn, with the system's words and the query.
// Screenshots at 1366×768, zh-CN and English.
import type { Page } from '@playwright/test';
import { GOOD_FORMS } from '../shared/protocol/testing/fixtures';
import type { FormCode, FormData } from '../shared/protocol/types';
import { addDays } from '../shared/rules/dates';
import { wardToday } from '../shared/rules/wardClock';
import { createAccount, formSeeder } from './accounts';
import { apiSession } from './apiSession';
import { backToCasebook, fillForm, openCasebook, openForm, saveForm } from './entryHelpers';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SCREENSHOTS, expect, screenshot, setupAdmin, test } from './fixtures';
import { prepareRandomisationList, RANDOMISING_INVESTIGATOR } from './randomisationList';
import { switchUser } from './switchUser';

const PASSWORD = 'ward-test-pass-2026';
const NURSE = { username: 'nurse.li', displayName: '李护士', role: 'data_entry', password: PASSWORD };
const MONITOR = { username: 'monitor.chen', displayName: '陈监查', role: 'monitor', password: PASSWORD };
const DOCTOR = RANDOMISING_INVESTIGATOR;
const today = wardToday();
/** Day 0 was 190 days ago: Month 6 (Day 180) 10 days ago. */
const day = (n: number) => addDays(today, n - 190)!;

/**
 * The screen at a 1366×768 laptop, zh-CN and English; nothing may scroll sideways. The picture is the whole form at
 * 1366 wide (the window made as tall as the page, so the sticky save bar sits at its end, not over the fields).
 */
async function shootBothLanguages(page: Page, name: string): Promise<void> {
  for (const lang of ['zh', 'en'] as const) {
    await page.setViewportSize({ width: 1366, height: 768 });
    if (lang === 'en') await page.getByTestId('lang-toggle').click();
    await page.waitForTimeout(100);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect.soft(overflow, `${name} ${lang}: scrolls sideways`).toBeLessThanOrEqual(0);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: 1366, height });
    await screenshot(page, `${name}-${lang}-1366`);
  }
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.getByTestId('lang-toggle').click(); // back to zh-CN
}

test('a result not done, SLEDAI present/absent, the RESPONSE of record and its withdrawal', async ({ page, ecrf }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  await setupAdmin(page, ecrf);
  const api = await apiSession(ecrf);
  await prepareRandomisationList(ecrf);
  for (const account of [NURSE, MONITOR, DOCTOR]) await createAccount(ecrf, account);
  const rand = await apiSession(ecrf, DOCTOR);
  const save = await formSeeder(ecrf, api);
  const subject = (await api('subjects.create', {})) as { id: number; screeningNo: string };
  const seed = (visitCode: string, formCode: FormCode, data: FormData) => save({ subjectId: subject.id, visitCode, formCode, data, expectedVersion: 0 });
  // Screening 10 days before Day 0: creatinine 80 µmol/L, protein 3.5 g/24 h (nephrotic baseline).
  await seed('SCR', 'CONSENT', { ...GOOD_FORMS.CONSENT.data, consentDate: day(-12) });
  await seed('SCR', 'DEMOG', { ...GOOD_FORMS.DEMOG.data, dateOfBirth: addDays(day(-12), -(33 * 365 + 100))! });
  await seed('SCR', 'MEDHX', { ...GOOD_FORMS.MEDHX.data, sleDiagnosisDate: day(-200) });
  await seed('SCR', 'BIOPSY', { ...GOOD_FORMS.BIOPSY.data, biopsyDate: day(-20) });
  await seed('SCR', 'VITALS', { ...GOOD_FORMS.VITALS.data, assessmentDate: day(-10) });
  await seed('SCR', 'LAB', { ...GOOD_FORMS.LAB.data, collectionDate: day(-10) });
  await seed('SCR', 'SLEDAI', { ...GOOD_FORMS.SLEDAI.data, assessmentDate: day(-10) });
  await seed('SCR', 'BILAG', { ...GOOD_FORMS.BILAG.data, assessmentDate: day(-10) });
  await seed('SCR', 'PREG', { ...GOOD_FORMS.PREG.data, testDate: day(-2) });
  await seed('SCR', 'ELIG', { confirmed: true, confirmedDate: day(-1) });
  await rand('randomisation.randomise', { subjectId: subject.id, date: day(0), password: DOCTOR.password, confirmIrreversible: true });
  await seed('M6', 'VITALS', { ...GOOD_FORMS.VITALS.data, heightCm: null, assessmentDate: day(180) });

  // --- The nurse enters the Month 6 LAB: WBC (required) was not done.
  await switchUser(page, NURSE.username, NURSE.password);
  await openCasebook(page, subject.screeningNo);
  await openForm(page, 'M6', 'LAB');
  const { wbc: _wbc, ...lab } = GOOD_FORMS.LAB.data;
  await fillForm(page, 'LAB', { ...lab, collectionDate: day(180), creatinine: 85, urineRbc: 3, urineProtein24h: 0.37 });
  const wbc = page.locator('[data-field="wbc"]');
  const reasons = page.getByTestId('missing-wbc');
  // Saving without it: WBC is required.
  await page.getByTestId('save').click();
  await expect(wbc.locator('.field-error')).toContainText('请填写「白细胞计数」');
  await expect(wbc.locator('.required-mark')).toHaveCount(1);
  // Only the reasons a LAB result allows: 未做, 不详 (never 不适用).
  await expect(reasons.getByRole('button')).toHaveText(['未做', '不详']);
  await reasons.getByRole('button', { name: '未做' }).click();
  await expect(reasons.getByRole('button', { name: '未做' })).toHaveAttribute('aria-pressed', 'true');
  await expect(wbc.locator('.field-error')).toHaveCount(0); // a reason answers a required field
  await expect(wbc.locator('.required-mark')).toHaveCount(0);
  // Typing a value replaces the reason; emptying the field again offers the buttons, none chosen.
  await page.locator('#f-wbc').fill('5.1');
  await expect(reasons).toHaveCount(0);
  await page.locator('#f-wbc').fill('');
  await expect(reasons.getByRole('button', { name: '未做' })).toHaveAttribute('aria-pressed', 'false');
  await reasons.getByRole('button', { name: '未做' }).click();
  await shootBothLanguages(page, 'data-of-record-01-lab-not-done');
  expect(await saveForm(page)).toContain('已保存');
  await backToCasebook(page);
  // Opened again, the reason is what was saved.
  await openForm(page, 'M6', 'LAB');
  await expect(page.getByTestId('missing-wbc').getByRole('button', { name: '未做' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('#f-wbc')).toHaveValue('');
  await backToCasebook(page);

  // --- The monitor reads it: the reason, not an empty box.
  await switchUser(page, MONITOR.username, MONITOR.password);
  await openCasebook(page, subject.screeningNo);
  await openForm(page, 'M6', 'LAB');
  await expect(page.getByTestId('read-only')).toBeVisible();
  await expect(page.getByTestId('missing-wbc')).toHaveText('未做');
  await expect(page.getByTestId('missing-wbc')).toHaveAttribute('data-reason', 'not_done');
  await expect(page.getByTestId('missing-creatinine')).toHaveCount(0); // has a value
  await backToCasebook(page);

  // --- The investigator's Month 6 SLEDAI: each descriptor 有 / 无; the LAB's suggestions, leukopenia 未做 from the LAB.
  await switchUser(page, DOCTOR.username, DOCTOR.password);
  await openCasebook(page, subject.screeningNo);
  await openForm(page, 'M6', 'SLEDAI');
  await expect(page.locator('[data-field="rash"] .radio-group')).toHaveText(/有\s*无/);
  await expect(page.locator('input[name="proteinuria"][value="false"]')).toBeChecked(); // 0.37 g ≤ 0.5
  await expect(page.locator('input[name="lowComplement"][value="true"]')).toBeChecked(); // C3 0.6, C4 0.08
  await expect(page.getByTestId('missing-leukopenia').getByRole('button', { name: '未做' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('missing-rash')).toHaveCount(0); // a clinical descriptor is present or absent, never "not done"
  await fillForm(page, 'SLEDAI', { assessmentDate: day(180), rash: true });
  const answered = page.getByTestId('sledai-answered');
  await expect(answered).toHaveText(/已回答 \d+ \/ 24 项/);
  expect(await answered.textContent()).not.toContain('24 / 24');
  await page.getByTestId('sledai-rest-absent').click();
  await expect(answered).toContainText('已回答 24 / 24 项');
  await expect(page.locator('input[name="seizure"][value="false"]')).toBeChecked();
  await expect(page.locator('input[name="rash"][value="true"]')).toBeChecked(); // an answer given stays
  await expect(page.getByTestId('missing-leukopenia').getByRole('button', { name: '未做' })).toHaveAttribute('aria-pressed', 'true'); // “not done” stays
  await expect(page.getByTestId('sledai-rest-absent')).toBeDisabled();
  await expect(page.locator('input[name="increasedDnaBinding"][value="true"]')).toBeChecked(); // anti-dsDNA 250
  await expect(page.getByTestId('derived-sledaiTotal')).toContainText('6'); // rash 2 + low complement 2 + DNA binding 2
  await shootBothLanguages(page, 'data-of-record-02-sledai');
  expect(await saveForm(page)).toContain('已保存');
  await backToCasebook(page);
  const sledai = (await rand('forms.get', { subjectId: subject.id, visitCode: 'M6', formCode: 'SLEDAI', repeatKey: 0 })) as { data: FormData };
  expect(sledai.data).toMatchObject({ seizure: false, rash: true, lowComplement: true, leukopenia__missing: 'not_done' });
  expect(sledai.data.leukopenia).toBeUndefined();

  // --- The investigator confirms the Month 6 response on its form: complete remission, stored as the record.
  await openForm(page, 'M6', 'RESPONSE');
  await expect(page.getByTestId('response-category')).toHaveAttribute('data-category', 'complete');
  await expect(page.getByTestId('response-record')).toHaveCount(0); // nothing confirmed yet
  // The record is the system's: no input for it on the form.
  await expect(page.locator('[data-field^="record"], [name^="record"]')).toHaveCount(0);
  await fillForm(page, 'RESPONSE', { assessmentDate: day(185), confirmed: true });
  const sent: unknown[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/api/forms.save')) sent.push(r.postDataJSON());
  });
  expect(await saveForm(page)).toContain('已保存');
  // The save carried no record item (the back end writes them).
  expect(sent).toHaveLength(1);
  expect(sent[0]).toMatchObject({ formCode: 'RESPONSE', data: { confirmed: true } });
  expect(JSON.stringify(sent)).not.toMatch(/"record[A-Z]/);
  const record = page.getByTestId('response-record');
  await expect(record).toHaveAttribute('data-category', 'complete');
  await expect(page.getByTestId('record-category')).toHaveText('完全缓解');
  await expect(record.locator('tr[data-record-input="month6.proteinGPer24h"]')).toContainText('0.37 g/24 h');
  await expect(record.locator('tr[data-record-input="month6.proteinGPer24h"]')).toContainText('第 6 个月 · 实验室检查 · 版本 1');
  await expect(record.locator('tr[data-record-rule="3"]')).toContainText('< 3 g/24 h 且 ≤ 1.75 g/24 h');
  await expect(record.locator('tr[data-record-rule]')).toHaveCount(4);
  await expect(page.getByTestId('record-withdrawn')).toHaveCount(0);
  await backToCasebook(page);

  // --- The nurse corrects the Month 6 protein 0.37 → 1.2 g/24 h after the confirmation.
  await switchUser(page, NURSE.username, NURSE.password);
  await openCasebook(page, subject.screeningNo);
  await openForm(page, 'M6', 'LAB');
  await page.locator('#f-urineProtein24h').fill('1.2');
  await page.getByTestId('save').click();
  await page.locator('#reason-input').fill('化验单转录错误');
  await page.getByRole('button', { name: '确认保存' }).click();
  await expect(page.getByTestId('save-result')).toContainText('已保存');
  await backToCasebook(page);

  // --- The investigator finds the confirmation withdrawn: the system's words, the query, the record as confirmed.
  await switchUser(page, DOCTOR.username, DOCTOR.password);
  await openCasebook(page, subject.screeningNo);
  await openForm(page, 'M6', 'RESPONSE');
  const withdrawn = page.getByTestId('record-withdrawn');
  await expect(withdrawn).toContainText('确认已撤销');
  await expect(page.getByTestId('record-withdrawal-text')).toContainText('第 6 个月 24 小时尿蛋白 0.37 → 1.2 g/24 h');
  await expect(page.getByTestId('record-withdrawal-text')).toContainText('确认时判定为“完全缓解”，现判定为“部分缓解”');
  await expect(page.getByTestId('record-query')).toContainText('已向研究者发出质疑（待回复');
  await expect(page.getByTestId('record-query')).toHaveAttribute('data-status', 'open');
  await expect(page.getByTestId('record-category')).toHaveText('完全缓解'); // what was confirmed stays on record
  await expect(page.getByTestId('response-category')).toHaveAttribute('data-category', 'partial'); // what the rules give now
  await expect(page.getByTestId('form-status')).toContainText('录入中');
  await expect(page.locator('input[name="confirmed"][value="false"]')).toBeChecked();
  await page.getByTestId('record-query-open').click();
  await expect(page.getByTestId('query-dialog')).toContainText('0.37 → 1.2');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('query-dialog')).toHaveCount(0);
  await shootBothLanguages(page, 'data-of-record-03-response-withdrawn');
  // In English the banner reads its own half of the stored text.
  await page.getByTestId('lang-toggle').click();
  await expect(page.getByTestId('record-withdrawal-text')).toContainText('Month 6 24-h urine protein 0.37 → 1.2 g/24 h');
  await expect(page.getByTestId('record-withdrawal-text')).not.toContainText('确认');
  await expect(page.getByTestId('record-category')).toHaveText('Complete remission');
  await page.getByTestId('lang-toggle').click();

  // --- The investigator reviews and confirms again: the record is the new one, the banner and the query are gone.
  await page.locator('input[name="confirmed"][value="true"]').check();
  await page.getByTestId('save').click();
  await page.locator('#reason-input').fill('已复核第 6 个月尿蛋白，重新确认');
  await page.getByRole('button', { name: '确认保存' }).click();
  await expect(page.getByTestId('save-result')).toContainText('已保存');
  await expect(page.getByTestId('record-category')).toHaveText('部分缓解');
  await expect(page.getByTestId('record-withdrawn')).toHaveCount(0);
  await expect(page.getByTestId('response-record').locator('tr[data-record-input="month6.proteinGPer24h"]')).toContainText('第 6 个月 · 实验室检查 · 版本 2');
  const open = (await rand('queries.list', { status: 'open', subjectId: subject.id })) as { checkId: string | null }[];
  expect(open.filter((q) => q.checkId === 'RESPONSE.confirmed.inputChanged')).toEqual([]);

  // --- The casebook on paper: the reason where a value would be, SLEDAI 有 / 无 and 未做.
  await backToCasebook(page);
  await page.getByTestId('print-casebook').click();
  const paper = page.getByTestId('print-view');
  await expect(paper).toContainText(`病例报告表（CRF） · ${subject.screeningNo}`);
  const items = paper.locator('table.print-items tr');
  await expect(items.filter({ hasText: '白细胞计数' }).filter({ hasText: '未做' })).toHaveCount(1); // M6 (screening has 5.2)
  await expect(items.filter({ hasText: '白细胞减少' }).filter({ hasText: '未做' })).toHaveCount(1);
  await expect(items.filter({ hasText: '癫痫发作' }).filter({ hasText: '无' })).toHaveCount(2); // screening and Month 6
  // The audit trail names the reason item after its field, and its value by its label.
  await expect(paper.locator('tr', { hasText: '白细胞计数（缺失原因）' }).filter({ hasText: '未做' }).first()).toBeVisible();
  mkdirSync(SCREENSHOTS, { recursive: true });
  await paper.locator('table.print-items').filter({ hasText: '白细胞减少' }).last().screenshot({ path: join(SCREENSHOTS, 'data-of-record-04-print-sledai-zh.png') });
  await paper.locator('table.print-items').filter({ hasText: '确认时的判定' }).screenshot({ path: join(SCREENSHOTS, 'data-of-record-05-print-response-zh.png') });
});
