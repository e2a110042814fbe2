// The ward's day in real Chromium (issue 16): the home's due and overdue visits, queries and SAE deadlines, the list's
// filters and sort; whose form is open (the banner, on screen and on paper); dates, 。 and wrong units as a nurse
// types them; one query per late visit; study status changes and what may be entered afterwards; the casebook and
// the annotated CRF as PDF; back to the open form after the idle lock; a conflict that keeps the typed values; the
// infusion reaction's AE; in-app help and the quick guide. Screenshots at 1366×768 and 1024×768, zh-CN and English.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from '@playwright/test';
import { GOOD_FORMS } from '../shared/protocol/testing/fixtures';
import type { FormCode, FormData } from '../shared/protocol/types';
import { apiSession, type ApiCall } from './apiSession';
import { fillForm, openCasebook, openForm, saveForm } from './entryHelpers';
import { SCREENSHOTS, expect, screenshot, setupAdmin, startHost, test, type EcrfHost } from './fixtures';
import { switchUser } from './switchUser';
import { createAccount, formSeeder, type FormSaver } from './accounts';
import { prepareRandomisationList, RANDOMISING_INVESTIGATOR } from './randomisationList';
import { addDays } from '../shared/rules/dates';
import { wardToday } from '../shared/rules/wardClock';

const PASSWORD = 'ward-test-pass-2026';
const NURSE = { username: 'nurse.li', displayName: '李护士', role: 'data_entry', password: PASSWORD };
const DOCTOR = { username: 'doctor.zhang', displayName: '张医生', role: 'investigator', password: PASSWORD };
/** The ward's today (Beijing), as the back end reckons windows from it. */
const today = wardToday();
/** The date n days before the ward's today. */
const ago = (n: number) => addDays(today, -n)!;

/** The sealed list and the investigator who randomises (the seeding randomises through the list, as the ward does). */
async function randomiser(host: EcrfHost): Promise<ApiCall> {
  await prepareRandomisationList(host);
  await createAccount(host, RANDOMISING_INVESTIGATOR);
  return apiSession(host, RANDOMISING_INVESTIGATOR);
}

/** A randomised woman: screening 10 days before Day 0, Day 0 `day0Ago` days ago, Day 7 done. */
async function seedRandomised(api: ApiCall, save: FormSaver, rand: ApiCall, day0Ago: number): Promise<{ id: number; screeningNo: string }> {
  const subject = (await api('subjects.create', {})) as { id: number; screeningNo: string };
  const d = (n: number) => ago(day0Ago - n);
  const seed = (visitCode: string, formCode: FormCode, data: FormData, repeatKey = 0) => save({ subjectId: subject.id, visitCode, formCode, data, expectedVersion: 0, repeatKey });
  await seed('SCR', 'CONSENT', { ...GOOD_FORMS.CONSENT.data, consentDate: d(-12) });
  await seed('SCR', 'DEMOG', { ...GOOD_FORMS.DEMOG.data, dateOfBirth: addDays(d(-12), -(33 * 365 + 100))! });
  await seed('SCR', 'MEDHX', { ...GOOD_FORMS.MEDHX.data, sleDiagnosisDate: d(-200) });
  await seed('SCR', 'BIOPSY', { ...GOOD_FORMS.BIOPSY.data, biopsyDate: d(-20) });
  await seed('SCR', 'VITALS', { ...GOOD_FORMS.VITALS.data, assessmentDate: d(-10) });
  await seed('SCR', 'LAB', { ...GOOD_FORMS.LAB.data, collectionDate: d(-10) });
  await seed('SCR', 'SLEDAI', { ...GOOD_FORMS.SLEDAI.data, assessmentDate: d(-10) });
  await seed('SCR', 'BILAG', { ...GOOD_FORMS.BILAG.data, assessmentDate: d(-10) });
  await seed('SCR', 'PREG', { ...GOOD_FORMS.PREG.data, testDate: d(-2) });
  await seed('SCR', 'ELIG', { confirmed: true, confirmedDate: d(-1) });
  const { kitNo } = (await rand('randomisation.randomise', { subjectId: subject.id, date: d(0), password: RANDOMISING_INVESTIGATOR.password, confirmIrreversible: true })) as { kitNo: string };
  await seed('D0', 'VITALS', { ...GOOD_FORMS.VITALS.data, heightCm: null, assessmentDate: d(0) });
  await seed('D7', 'VITALS', { ...GOOD_FORMS.VITALS.data, heightCm: null, assessmentDate: d(7) });
  await seed('D7', 'INFUSION', { ...GOOD_FORMS.INFUSION.data, infusionDate: d(7), kitNo });
  return subject;
}

/** The page as a PDF (Chromium's print, the print CSS and @page margin boxes) and its text. */
async function printedText(page: Page, name: string): Promise<{ file: string; text: string; pages: number }> {
  const file = join(SCREENSHOTS, `${name}.pdf`);
  await page.pdf({ path: file, preferCSSPageSize: true, printBackground: true });
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
  execFileSync('pdftoppm', ['-r', '50', '-png', '-f', '1', '-l', '2', file, join(SCREENSHOTS, name)]);
  return { file, text, pages };
}

async function closeHelp(page: Page, lang: 'zh' | 'en'): Promise<void> {
  await page.getByTestId('help').getByRole('button', { name: lang === 'zh' ? '关闭' : 'Close', exact: true }).first().click();
  await expect(page.getByTestId('help')).toHaveCount(0);
}

async function atBothSizes(page: Page, name: string): Promise<void> {
  const before = page.viewportSize()!;
  for (const [w, h] of [[1366, 768], [1024, 768]] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.waitForTimeout(100);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect.soft(overflow, `${name} ${w}: scrolls sideways`).toBeLessThanOrEqual(0);
    await screenshot(page, `${name}-${w}`);
  }
  await page.setViewportSize(before);
}

/** A host whose clock the test can move (the idle lock): the shifted-clock preload reads the offset from a file. */
async function clockedHost(): Promise<{ host: EcrfHost; stop(): Promise<void>; advanceMinutes(n: number): void }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ecrf-ward-'));
  const clockFile = join(dataDir, 'clock.json');
  let offsetMs = 0;
  writeFileSync(clockFile, JSON.stringify({ offsetMs }));
  const saved = { NODE_OPTIONS: process.env.NODE_OPTIONS, ECRF_E2E_CLOCK_FILE: process.env.ECRF_E2E_CLOCK_FILE };
  process.env.NODE_OPTIONS = `${saved.NODE_OPTIONS ?? ''} --import ${pathToFileURL(join(__dirname, 'shiftedClock.mjs')).href}`.trim();
  process.env.ECRF_E2E_CLOCK_FILE = clockFile;
  const { host, child } = await startHost(join(dataDir, 'study.db'));
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return {
    host,
    advanceMinutes(n) {
      offsetMs += n * 60_000;
      writeFileSync(clockFile, JSON.stringify({ offsetMs }));
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

test('a ward day from the home: due and overdue visits, filters, whose form is open, dates and units as typed, one query per late visit, the casebook on paper', async ({ page, ecrf }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  await setupAdmin(page, ecrf);
  const api = await apiSession(ecrf);
  for (const u of [NURSE, DOCTOR]) await createAccount(ecrf, u);
  const save = await formSeeder(ecrf, api);
  // S001: Day 0 40 days ago, Month 1 (day 23-37) overdue by 3 days. S002: Day 0 28 days ago, Month 1 open today.
  const rand = await randomiser(ecrf);
  const late = await seedRandomised(api, save, rand, 40);
  const due = await seedRandomised(api, save, rand, 28);
  await switchUser(page, NURSE.username, PASSWORD);

  // --- The home: the day's visits with their windows.
  const home = page.getByTestId('ward-home');
  await expect(page.getByTestId('home-overdue')).toContainText(`${late.screeningNo} 第 1 个月`);
  await expect(page.getByTestId('home-overdue')).toContainText('超窗 3 天');
  await expect(page.getByTestId('home-overdue')).toContainText(`窗口 ${ago(17).slice(5)} – ${ago(3).slice(5)}`);
  await expect(page.getByTestId('home-now')).toContainText(`${due.screeningNo} 第 1 个月`);
  await expect(page.getByTestId('home-now')).toContainText('9 天后关窗');
  await expect(home).toContainText('待我回复的质疑');
  await expect(home).toContainText('SAE 上报时限');
  await atBothSizes(page, 'ward-home-zh');
  // "Show all" filters the list to the overdue subjects; the filter can be cleared.
  await page.getByTestId('home-overdue-all').click();
  await expect(page.getByTestId('filter-due')).toHaveValue('overdue');
  await expect(page.getByTestId('subject-count')).toHaveText('共 1 名受试者');
  await expect(page.getByRole('row', { name: new RegExp(late.screeningNo) })).toBeVisible();
  await page.getByTestId('filter-clear').click();
  await expect(page.getByTestId('subject-count')).toHaveText('共 2 名受试者');
  await page.getByTestId('sort').selectOption('nextVisit');
  await expect(page.locator('.subject-row').first()).toContainText(late.screeningNo);

  // --- Whose form is open: the banner on the casebook and on every form.
  await openCasebook(page, late.screeningNo);
  const banner = page.getByTestId('subject-banner');
  await expect(banner).toContainText(late.screeningNo);
  await expect(banner).toContainText('女');
  await expect(banner).toContainText(/\d+ 岁/);
  await expect(banner).toContainText('当前访视：第 1 个月');
  await expect(banner).toContainText('已超窗');
  await openForm(page, 'M1', 'VITALS');
  await expect(page.getByTestId('subject-banner')).toContainText(late.screeningNo);

  // --- Dates and decimals as the nurse types them; a wrong unit hinted with the converted value.
  const [y, m, d] = today.split('-').map(Number);
  await page.locator('#f-assessmentDate').fill(`${y}/${m}/${d}`);
  await page.locator('#f-weightKg').focus();
  await expect(page.locator('#f-assessmentDate')).toHaveValue(today);
  await fillForm(page, 'VITALS', { weightKg: 54, heartRate: 76, systolicBp: 120, diastolicBp: 78 });
  await page.locator('#f-temperatureC').fill('36。8');
  await page.locator('#f-heartRate').focus();
  await expect(page.locator('#f-temperatureC')).toHaveValue('36.8');
  await screenshot(page, 'ward-form-typed-zh');
  expect(await saveForm(page)).toContain('已保存');
  await page.getByRole('button', { name: /返回病例/ }).click();
  await openForm(page, 'M1', 'LAB');
  // The date picker gives today in YYYY-MM-DD.
  await page.locator('[data-field="collectionDate"]').getByTestId('date-pick').click();
  await expect(page.getByTestId('calendar')).toBeVisible();
  await screenshot(page, 'ward-date-picker-zh');
  await page.getByTestId('calendar').getByRole('gridcell', { name: today }).click();
  await expect(page.locator('#f-collectionDate')).toHaveValue(today);
  await fillForm(page, 'LAB', { ...GOOD_FORMS.LAB.data, collectionDate: undefined, creatinine: 1.1 });
  await page.locator('#f-albumin').focus();
  const creatinine = page.locator('[data-field="creatinine"]');
  await expect(creatinine).toContainText('如果按 mg/dL 录入，换算为 97.2 µmol/L');
  await screenshot(page, 'ward-unit-hint-zh');
  await creatinine.getByTestId('unit-hint-creatinine').click();
  await expect(page.locator('#f-creatinine')).toHaveValue('97.2');
  expect(await saveForm(page)).toContain('已保存');

  // --- One late visit, one query (VITALS and LAB both dated outside Month 1's window).
  const queries = (await api('queries.list', { status: 'open', subjectId: late.id })) as { visitCode: string; checkId: string | null; formCode: string }[];
  expect(queries.filter((q) => q.visitCode === 'M1' && q.checkId?.endsWith('.visitWindow')).map((q) => q.formCode)).toEqual(['VITALS']);

  // --- The casebook on paper: the print view, then Chromium's PDF of it.
  await page.getByRole('button', { name: /返回病例/ }).click();
  await page.getByTestId('print-casebook').click();
  await expect(page.getByTestId('print-view')).toContainText(`病例报告表（CRF） · ${late.screeningNo}`);
  await screenshot(page, 'ward-print-view-zh');
  const paper = await printedText(page, 'ward-casebook-print-zh');
  expect(paper.text).toContain(`受试者 ${late.screeningNo}`);
  expect(paper.text).toContain('中心 KM01');
  expect(paper.text).toContain(`第 1 页 / 共 ${paper.pages} 页`);
  expect(paper.text).toMatch(/体温\s+36\.8\s+°C/);
  expect(paper.text).toContain('附录：稽查轨迹');
  expect(paper.text).not.toContain('打印 / 导出 PDF'); // the toolbar is not on paper
  // A form printed with the browser's Print: the subject in every page's margin, no save bar.
  await page.getByRole('button', { name: '关闭打印预览' }).click();
  await openForm(page, 'M1', 'LAB');
  const formPaper = await printedText(page, 'ward-form-print-zh');
  expect(formPaper.text).toContain(`受试者 ${late.screeningNo}`);
  expect(formPaper.text.replace(/\s+/g, '')).toContain(`第1页/共${formPaper.pages}页`);
  expect(formPaper.text).not.toContain('Ctrl+S');

  // --- The same in English: YYYY-MM-DD everywhere.
  await page.getByTestId('lang-toggle').click();
  await expect(page.getByTestId('subject-banner')).toContainText('female');
  await expect(page.locator('.form-meta')).toContainText(new RegExp(`Last saved .*${today} \\d{2}:\\d{2}`));
  await atBothSizes(page, 'ward-form-en');
  await page.getByRole('button', { name: /Back to casebook/ }).click();
  await page.getByTestId('print-casebook').click();
  await expect(page.getByTestId('print-view')).toContainText(`Case report form · ${late.screeningNo}`);
  const english = await printedText(page, 'ward-casebook-print-en');
  expect(english.text).toContain(`subject ${late.screeningNo}`);
  expect(english.text).toMatch(/Page 1 of \d+/);
  await page.getByRole('button', { name: 'Close print preview' }).click();
  await page.getByRole('button', { name: /Back to subject/ }).click();
  await atBothSizes(page, 'ward-home-en');
  await page.getByTestId('print-crf').click();
  await expect(page.getByTestId('print-view')).toContainText('IT.LAB.creatinine');
  await page.getByTestId('lang-toggle').click();
});

test('study status: a screen failure and a number created in error by the nurse, a withdrawal by the investigator; afterwards only AE and EOS', async ({ page, ecrf }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  await setupAdmin(page, ecrf);
  const api = await apiSession(ecrf);
  for (const u of [NURSE, DOCTOR]) await createAccount(ecrf, u);
  const save = await formSeeder(ecrf, api);
  const randomised = await seedRandomised(api, save, await randomiser(ecrf), 45);
  const screening = (await api('subjects.create', {})) as { id: number; screeningNo: string };
  await save({ subjectId: screening.id, visitCode: 'SCR', formCode: 'CONSENT', data: { ...GOOD_FORMS.CONSENT.data, consentDate: ago(5) }, expectedVersion: 0 });
  await switchUser(page, NURSE.username, PASSWORD);

  // A new number needs a confirmation; made by mistake, it is voided (it has no data) and leaves the default list.
  await page.getByTestId('new-subject').click();
  await expect(page.getByTestId('create-subject')).toContainText('编号一经生成不能删除');
  await screenshot(page, 'ward-new-subject-confirm-zh');
  await page.getByTestId('create-confirm').click();
  await expect(page.getByText('已创建受试者 KM01-S003')).toBeVisible();
  await openCasebook(page, 'KM01-S003');
  await page.getByTestId('change-status').click();
  await page.getByRole('radio', { name: '误建作废' }).check();
  await expect(page.getByTestId('status-confirm')).toBeDisabled(); // a note is required
  await page.getByLabel('说明（必填）').fill('重复点击新建');
  await screenshot(page, 'ward-status-void-zh');
  await page.getByTestId('status-confirm').click();
  await expect(page.getByTestId('banner-status')).toContainText('误建作废');
  await page.getByRole('button', { name: /返回受试者列表/ }).click();
  await expect(page.getByTestId('subject-count')).toHaveText('共 2 名受试者');
  await page.getByTestId('filter-status').selectOption('created_in_error');
  await expect(page.getByRole('row', { name: /KM01-S003/ })).toContainText('误建作废');
  await page.getByTestId('filter-clear').click();

  // A screen failure with its date typed the ward's way and its reason.
  await openCasebook(page, screening.screeningNo);
  await page.getByTestId('change-status').click();
  await expect(page.getByTestId('status-dialog')).not.toContainText('退出研究'); // not the nurse's, not from screening
  await page.getByRole('radio', { name: '筛选失败' }).check();
  const [y, m, d] = ago(1).split('-').map(Number);
  await page.locator('#status-date').fill(`${y}.${m}.${d}`);
  await page.getByLabel('原因').selectOption('not_eligible');
  await page.getByLabel('说明', { exact: true }).fill('血肌酐 > 250 µmol/L');
  await page.getByTestId('status-confirm').click();
  await expect(page.getByTestId('banner-status')).toContainText(`筛选失败（${ago(1)}，不符合入选/排除标准）`);
  await page.getByRole('button', { name: /返回受试者列表/ }).click();
  await expect(page.getByRole('row', { name: new RegExp(screening.screeningNo) })).toContainText('筛选失败');

  // The nurse may not withdraw a randomised subject; the investigator does. Then nothing is overdue.
  await openCasebook(page, randomised.screeningNo);
  await expect(page.getByTestId('visit-M1')).toContainText('已超窗');
  await expect(page.getByTestId('change-status')).toHaveCount(0);
  await page.getByRole('button', { name: /返回受试者列表/ }).click();
  await switchUser(page, DOCTOR.username, PASSWORD);
  await openCasebook(page, randomised.screeningNo);
  await page.getByTestId('change-status').click();
  await page.getByRole('radio', { name: '退出研究' }).check();
  await page.getByLabel('原因').selectOption('lost_to_follow_up');
  await screenshot(page, 'ward-status-withdraw-zh');
  await page.getByTestId('status-confirm').click();
  await expect(page.getByTestId('banner-status')).toContainText(`已退出（${today}，失访）`);
  await expect(page.getByTestId('banner-visit')).toContainText('无待访视');
  await expect(page.getByTestId('visit-M1')).not.toContainText('已超窗');
  await screenshot(page, 'ward-casebook-withdrawn-zh');
  // A new Month 1 form is refused with the reason; an AE can still be entered.
  await openForm(page, 'M1', 'VITALS');
  await fillForm(page, 'VITALS', { ...GOOD_FORMS.VITALS.data, heightCm: undefined, assessmentDate: today });
  await page.getByTestId('save').click();
  await expect(page.getByRole('alert').filter({ hasText: '只能录入不良事件随访和研究结束表' })).toBeVisible();
  await page.getByRole('button', { name: /返回病例/ }).click();
  await page.getByTestId('add-AE').click();
  await fillForm(page, 'AE', { ...GOOD_FORMS.AE.data, onsetDate: ago(2), endDate: ago(1) });
  expect(await saveForm(page)).toContain('已保存');
  const list = (await api('subjects.list', {})) as { rows: { screeningNo: string; status: string }[] };
  expect(list.rows.map((r) => [r.screeningNo, r.status])).toEqual([
    [randomised.screeningNo, 'withdrawn'],
    [screening.screeningNo, 'screen_failed'],
    ['KM01-S003', 'created_in_error'],
  ]);
});

test('back to the open form after the idle lock; a conflict keeps the typed values beside the saved ones; the infusion reaction’s AE', async ({ page }) => {
  test.setTimeout(240_000);
  const clocked = await clockedHost();
  try {
    const ecrf = clocked.host;
    await page.setViewportSize({ width: 1366, height: 768 });
    await setupAdmin(page, ecrf);
    const api = await apiSession(ecrf);
    for (const u of [NURSE, DOCTOR]) await createAccount(ecrf, u);
    const save = await formSeeder(ecrf, api);
    const subject = await seedRandomised(api, save, await randomiser(ecrf), 30);
    await switchUser(page, NURSE.username, PASSWORD);
    await openCasebook(page, subject.screeningNo);
    await openForm(page, 'M1', 'VITALS');
    await page.locator('#f-weightKg').fill('53.5');
    await page.waitForTimeout(1200); // the draft is stored

    // 16 minutes idle: the next action meets the lock; logging in again returns to this form with the draft.
    clocked.advanceMinutes(16);
    await page.getByTestId('nav-queries').click();
    await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
    await page.getByLabel('用户名').fill(NURSE.username);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await expect(page.getByTestId('resumed')).toContainText('已回到锁屏前打开的表单');
    await expect(page.getByTestId('subject-banner')).toContainText(subject.screeningNo);
    await expect(page.getByTestId('draft-found')).toBeVisible();
    await page.getByRole('button', { name: '恢复草稿' }).click();
    await expect(page.locator('#f-weightKg')).toHaveValue('53.5');
    await screenshot(page, 'ward-after-lock-zh');
    await fillForm(page, 'VITALS', { ...GOOD_FORMS.VITALS.data, heightCm: undefined, weightKg: undefined, assessmentDate: ago(0) });
    expect(await saveForm(page)).toContain('已保存');
    await expect(page.getByTestId('save-result')).toHaveCount(0); // the saved version is loaded again

    // The investigator corrects the same form on another computer while the nurse types a change.
    await page.locator('#f-heartRate').fill('88');
    const doctor = await apiSession(ecrf, DOCTOR);
    await doctor('forms.save', { subjectId: subject.id, visitCode: 'M1', formCode: 'VITALS', repeatKey: 0, data: { ...GOOD_FORMS.VITALS.data, heightCm: null, weightKg: 53.5, assessmentDate: ago(0), systolicBp: 132 }, expectedVersion: 1, reason: '复测血压' });
    await page.getByTestId('save').click();
    await page.locator('#reason-input').fill('心率复测');
    await page.getByTestId('reason-dialog').getByRole('button', { name: /确认|保存/ }).click();
    const conflict = page.getByTestId('conflict');
    await expect(conflict).toContainText('他人已修改此表单（现为版本 2）');
    await expect(page.getByTestId('conflict-heartRate')).toContainText('88');
    // Only what the nurse changed is hers to put back: the investigator's blood pressure stays as corrected.
    await expect(page.getByTestId('conflict-systolicBp')).toHaveCount(0);
    await screenshot(page, 'ward-conflict-zh');
    await page.getByTestId('conflict-use-mine').click();
    await expect(page.locator('#f-heartRate')).toHaveValue('88');
    await expect(page.locator('#f-systolicBp')).toHaveValue('132');
    await page.getByTestId('save').click();
    await page.locator('#reason-input').fill('心率复测');
    await page.getByTestId('reason-dialog').getByRole('button', { name: /确认|保存/ }).click();
    await expect(page.getByTestId('save-result')).toContainText('已保存');

    // An infusion reaction opens an AE: it says where from, in words, and its first completion needs no reason.
    await page.getByRole('button', { name: /返回病例/ }).click();
    await openForm(page, 'D7', 'INFUSION');
    await page.locator('input[name="reaction"][value="true"]').check();
    await fillForm(page, 'INFUSION', { reactionGrade: '2', reactionDescription: '寒战' });
    await page.getByTestId('save').click();
    await page.locator('#reason-input').fill('补录输注反应');
    await page.getByTestId('reason-dialog').getByRole('button', { name: /确认|保存/ }).click();
    await expect(page.getByTestId('save-result')).toContainText('已保存');
    await page.getByRole('button', { name: /返回病例/ }).click();
    await page.getByRole('button', { name: /输注相关反应/ }).click();
    await expect(page.getByTestId('ae-source')).toContainText('本不良事件由「第 7 天 · 研究药物输注」自动建立');
    await fillForm(page, 'AE', { ongoing: false, endDate: ago(0), serious: false, relationInfusion: 'probable', relationCyc: 'unlikely', actionTaken: 'none', outcome: 'recovered' });
    await screenshot(page, 'ward-infusion-ae-zh');
    await page.getByTestId('save').click();
    await expect(page.getByTestId('reason-dialog')).toHaveCount(0);
    await expect(page.getByTestId('save-result')).toContainText('已保存');
  } finally {
    await clocked.stop();
  }
});

test('in-app help on every ward screen, and the nurse’s quick guide printed from the same notes with screenshots', async ({ page, ecrf }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  await setupAdmin(page, ecrf);
  const api = await apiSession(ecrf);
  await createAccount(ecrf, NURSE);
  const save = await formSeeder(ecrf, api);
  const subject = await seedRandomised(api, save, await randomiser(ecrf), 40);
  await switchUser(page, NURSE.username, PASSWORD);
  const shots = join(SCREENSHOTS, 'guide');
  rmSync(shots, { recursive: true, force: true });
  const shoot = async (topic: string, lang: 'zh' | 'en') => {
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(shots, `guide-${topic}-${lang}.png`) });
  };
  for (const lang of ['zh', 'en'] as const) {
    if (lang === 'en') await page.getByTestId('lang-toggle').click();
    await shoot('home', lang);
    await page.getByTestId('help-home').click();
    await expect(page.getByTestId('help')).toContainText(lang === 'zh' ? '帮助：今日病房工作与受试者列表' : "Help: Today's ward work and the subject list");
    await shoot('lock', lang); // the help dialog itself
    await closeHelp(page, lang);
    await page.getByTestId('new-subject').click();
    await shoot('newSubject', lang);
    await page.getByTestId('create-subject').getByRole('button', { name: lang === 'zh' ? '取消' : 'Cancel' }).click();
    await openCasebook(page, subject.screeningNo);
    await shoot('casebook', lang);
    await page.getByTestId('help-casebook').click();
    await expect(page.getByTestId('help')).toContainText(lang === 'zh' ? '顶部深色横条' : 'dark bar at the top');
    await closeHelp(page, lang);
    await openForm(page, 'M1', 'LAB');
    await page.locator('#f-creatinine').fill('1.1');
    await page.locator('#f-albumin').focus();
    await shoot('form', lang);
    await page.getByTestId('help-form').click();
    await expect(page.getByTestId('help')).toContainText('2026/5/11');
    await closeHelp(page, lang);
    await page.getByRole('button', { name: lang === 'zh' ? /返回病例/ : /Back to casebook/ }).click();
    await page.getByTestId('print-casebook').click();
    await shoot('print', lang);
    await page.getByRole('button', { name: lang === 'zh' ? '关闭打印预览' : 'Close print preview' }).click();
    await page.getByTestId('change-status').count(); // nurses see no withdrawal: the status topic shows the casebook
    await shoot('status', lang);
    await page.getByRole('button', { name: lang === 'zh' ? /返回受试者列表/ : /Back to subject/ }).click();
    await page.getByTestId('nav-queries').click();
    await shoot('queries', lang);
    await page.getByTestId('help-queries').click();
    await expect(page.getByTestId('help')).toBeVisible();
    await closeHelp(page, lang);
    await page.getByRole('button', { name: lang === 'zh' ? /返回受试者列表/ : /Back to subject/ }).click();
    await page.getByRole('button', { name: lang === 'zh' ? '严重不良事件' : 'Serious adverse events' }).click();
    await shoot('saes', lang);
    await page.getByRole('button', { name: lang === 'zh' ? /返回受试者列表/ : /Back to subject/ }).click();
  }
  expect(readdirSync(shots).filter((f) => f.endsWith('.png'))).toHaveLength(18);
  for (const lang of ['zh', 'en'] as const) {
    const out = join(SCREENSHOTS, `nurse-quick-guide-${lang}.pdf`);
    execFileSync(process.execPath, [join(__dirname, '..', 'dist', 'ecrf.cjs'), 'guide', 'pdf', '--lang', lang, '--screenshots', shots, '--out', out]);
    const text = execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' });
    expect(text).toContain(lang === 'zh' ? '护士快速指南' : "Nurse's quick guide");
    expect(text).toContain(lang === 'zh' ? '日期可输入 2026/5/11' : 'Dates may be typed 2026/5/11');
    const images = execFileSync('pdfimages', ['-list', out], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(images.length).toBeGreaterThanOrEqual(9);
    execFileSync('pdftoppm', ['-r', '45', '-png', '-f', '1', '-l', '3', out, join(SCREENSHOTS, `nurse-quick-guide-${lang}`)]);
  }
});
