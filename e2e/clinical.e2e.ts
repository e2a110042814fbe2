// Clinical panels in real Chromium (zh-CN): eligibility blocks randomisation on a failed or missing criterion, the worked
// eligible subject can be confirmed, the Month 6 renal response shows every step and its category, and the kidney trends.
import { WORKED_FOLLOW_UP, WORKED_SCREENING, type SeedForm } from '../renderer/src/clinical/testing/workedSubject';
import { apiSession, type ApiCall } from './apiSession';
import { ADMIN, expect, screenshot, setupAdmin, startShiftedHost, test } from './fixtures';
import { createAccount, formSeeder, type FormSaver } from './accounts';
import { prepareRandomisationList, RANDOMISING_INVESTIGATOR, randomiseInDialog } from './randomisationList';
import { logIn, switchUser } from './switchUser';
import type { Page } from '@playwright/test';

/** Subject list → casebook → the clinical screens. */
async function openClinical(page: Page, screeningNo: string): Promise<void> {
  await page.getByRole('row', { name: new RegExp(screeningNo) }).click();
  await page.getByTestId('open-clinical').click();
  await expect(page.getByRole('tablist')).toBeVisible();
}

/** Clinical screens → casebook → subject list. */
async function backToList(page: Page): Promise<void> {
  await page.getByRole('button', { name: /返回病例/ }).click();
  await page.getByRole('button', { name: /返回受试者列表/ }).click();
  await expect(page.getByRole('heading', { name: '受试者列表' })).toBeVisible();
}

async function seedSubject(api: ApiCall, save: FormSaver, forms: SeedForm[]): Promise<{ id: number; screeningNo: string }> {
  const subject = (await api('subjects.create', {})) as { id: number; screeningNo: string };
  await seedForms(save, subject.id, forms);
  return subject;
}

async function seedForms(save: FormSaver, subjectId: number, forms: SeedForm[]): Promise<void> {
  for (const f of forms) await save({ subjectId, visitCode: f.visitCode, formCode: f.formCode, data: f.data, expectedVersion: 0 });
}

/** The worked subject's calendar: screened 2026-03-03, randomised on 2026-03-09, Month 6 labs 2026-09-14. */
const RANDOMISATION_DAY = '2026-03-09';
const MONTH6_DAY = '2026-09-15';

test('eligibility, renal response and kidney trends of seeded subjects', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  // The study's own days on both clocks: screening forms must be dated day −28 … −1 of Day 0 and a pregnancy test
  // within 7 days before it (amendment 1), so the worked subject is randomised six days after screening.
  const shifted = await startShiftedHost(page, RANDOMISATION_DAY);
  const ecrf = shifted.host;
  try {
  await setupAdmin(page, ecrf);
  await prepareRandomisationList(ecrf);
  await createAccount(ecrf, RANDOMISING_INVESTIGATOR);
  const api = await apiSession(ecrf);
  const save = await formSeeder(ecrf, api);

  // S001: the worked eligible subject (Month 1 and Month 6 labs once those days have come).
  const good = await seedSubject(api, save, WORKED_SCREENING);
  // S002: creatinine 312 µmol/L (> 250) and no biopsy yet.
  const bad = await seedSubject(
    api,
    save,
    WORKED_SCREENING.filter((f) => f.formCode !== 'BIOPSY').map((f) =>
      f.formCode === 'LAB' ? { ...f, data: { ...f.data, creatinine: 312 } } : f,
    ),
  );

  await page.reload();
  await expect(page.getByRole('heading', { name: '受试者列表' })).toBeVisible();

  // --- The failing subject: randomisation blocked, not met and missing shown as such.
  await openClinical(page, bad.screeningNo);
  await expect(page.getByRole('heading', { name: '入选/排除标准核对' })).toBeVisible();
  await expect(page.getByTestId('elig-verdict')).toContainText('有标准不符合：不能随机');
  await expect(page.getByTestId('elig-verdict')).toContainText('符合 14 项 · 不符合 1 项 · 缺少数据 1 项');
  const cr = page.locator('tr[data-criterion="EXC_CREATININE_GT_250"]');
  await expect(cr).toHaveAttribute('data-status', 'not_met');
  await expect(cr).toContainText('血肌酐 312 µmol/L > 250');
  await expect(cr).toContainText('存在：排除');
  const ln = page.locator('tr[data-criterion="INC_LN_CLASS_III_IV"]');
  await expect(ln).toHaveAttribute('data-status', 'missing');
  await expect(ln).toContainText('缺少数据');
  await expect(page.locator('tr[data-criterion="INC_AGE"]')).toContainText('年龄 34 岁（知情同意日 2026-03-02）');
  await expect(page.getByTestId('randomise-hint')).toHaveText('随机分组由研究者操作。'); // the admin never gets the button
  await screenshot(page, 'clinical-eligibility-not-met');

  // --- The eligible subject: every criterion met; the investigator confirms (an item only the investigator may set) and
  // randomises.
  await backToList(page);
  await switchUser(page, RANDOMISING_INVESTIGATOR.username, RANDOMISING_INVESTIGATOR.password);
  await openClinical(page, good.screeningNo);
  await expect(page.getByTestId('elig-verdict')).toContainText('全部标准均符合：可以随机');
  await expect(page.locator('tr[data-status="met"]')).toHaveCount(16);
  await expect(page.locator('tr[data-criterion="EXC_CREATININE_GT_250"]')).toContainText('血肌酐 88 µmol/L ≤ 250');
  await expect(page.getByTestId('elig-confirm-state')).toHaveText('研究者尚未确认');
  await page.getByLabel('本人已逐条核对以上入选/排除标准评估结果，确认无误').check();
  await page.getByRole('button', { name: '保存确认' }).click();
  await expect(page.getByText('确认已保存')).toBeVisible();
  await expect(page.getByTestId('elig-confirm-state')).toContainText('研究者已于');
  await randomiseInDialog(page, RANDOMISING_INVESTIGATOR.password);
  await expect(page.getByTestId('rand-result')).toContainText(/随机号 R\d{3}，药物编号/);
  await expect(page.getByTestId('eligibility-screen')).not.toContainText(/MSC|安慰剂|placebo/i);
  await screenshot(page, 'clinical-eligibility-met');
  await backToList(page);
  await switchUser(page, ADMIN.username, ADMIN.password);
  // The admin neither confirms nor randomises (issue 12 and the investigator-only items of amendment 1).
  await openClinical(page, bad.screeningNo);
  await expect(page.getByTestId('randomise-hint')).toHaveText('随机分组由研究者操作。');
  await backToList(page);
  // Month 6: the labs of Month 1 and Month 6 are in (six months on, everyone logs in again).
  await page.getByRole('button', { name: '退出登录' }).click();
  await shifted.setDay(MONTH6_DAY);
  const later = await formSeeder(ecrf, await apiSession(ecrf));
  await seedForms(later, good.id, WORKED_FOLLOW_UP);
  await logIn(page, ADMIN.username, ADMIN.password);
  await openClinical(page, good.screeningNo);

  // --- CYC dose: 170 cm, 60 kg → BSA √(170×60/3600) = 1.683 m²; × 750 = 1262.4 → 1260 mg; copy; WBC hold; >10 % needs a reason.
  await page.getByRole('tab', { name: '环磷酰胺剂量' }).click();
  await expect(page.locator('input[data-field="heightCm"]')).toHaveValue('160'); // screening height pre-filled
  await expect(page.locator('input[data-field="targetMgPerM2"]')).toHaveValue('750');
  await page.locator('input[data-field="heightCm"]').fill('170');
  await page.locator('input[data-field="weightKg"]').fill('60');
  await expect(page.getByTestId('cyc-bsa')).toHaveText('1.683 m²');
  await expect(page.getByTestId('cyc-dose')).toHaveText('1260 mg');
  await expect(page.getByTestId('cyc-formula')).toHaveText('1.683 m² × 750 mg/m² = 1262.4 mg → 四舍五入至 10 mg');
  await page.getByTestId('cyc-copy').click();
  await expect(page.locator('input[data-field="administeredDoseMg"]')).toHaveValue('1260');
  await expect(page.getByTestId('cyc-difference')).toContainText('0%');
  await page.locator('input[data-field="wbc"]').fill('2.6');
  await page.locator('input[data-field="administeredDoseMg"]').fill('1000');
  await expect(page.locator('[data-notice="WBC_HOLD"]')).toContainText('暂缓本次环磷酰胺冲击');
  await expect(page.getByTestId('cyc-difference')).toContainText('-20.6%');
  await expect(page.getByTestId('cyc-difference')).toContainText('须填写原因');
  await screenshot(page, 'clinical-cyc-dose');

  // --- Month 6 renal response: 88 → 95 µmol/L (≤ 110), RBC 4 (< 10), protein 3.6 → 1.2 g (< 3 and ≤ 1.8) → partial.
  await page.getByRole('tab', { name: '第 6 个月肾脏缓解评估' }).click();
  await expect(page.getByTestId('response-category')).toHaveAttribute('data-category', 'partial');
  await expect(page.getByTestId('response-category')).toContainText('部分缓解');
  await expect(page.locator('tr[data-rule="1"]')).toContainText('≤ 110 µmol/L (1.25 × 88)');
  await expect(page.locator('tr[data-rule="1"]')).toContainText('通过');
  await expect(page.locator('tr[data-rule="3"]')).toContainText('< 3 g/24 h 且 ≤ 1.8 g/24 h（0.5 × 3.6）');
  await expect(page.locator('tr[data-rule="complete"]')).toContainText('未通过');
  // The confirmation is the investigator's: the admin reads it, the investigator ticks it.
  await expect(page.getByLabel('本人已核对各项输入值及判定步骤，确认以上评估结果')).toHaveCount(0);
  await backToList(page);
  await switchUser(page, RANDOMISING_INVESTIGATOR.username, RANDOMISING_INVESTIGATOR.password);
  await openClinical(page, good.screeningNo);
  await page.getByRole('tab', { name: '第 6 个月肾脏缓解评估' }).click();
  await page.getByLabel('本人已核对各项输入值及判定步骤，确认以上评估结果').check();
  await page.getByRole('button', { name: '保存确认' }).click();
  await expect(page.getByTestId('response-confirm-state')).toContainText('研究者已确认');
  await screenshot(page, 'clinical-response-partial');
  await backToList(page);
  await switchUser(page, ADMIN.username, ADMIN.password);
  await openClinical(page, good.screeningNo);

  // --- Kidney trends: SCR, M1 and M6 values with eGFR from CKD-EPI 2021.
  await page.getByRole('tab', { name: '肾功能趋势图' }).click();
  await expect(page.getByRole('heading', { name: '肾功能趋势' })).toBeVisible();
  await expect(page.locator('tr[data-visit="SCR"]')).toContainText('76.2');
  await expect(page.locator('tr[data-visit="M6"]')).toContainText('69.1');
  await expect(page.locator('figure.lab-chart svg.recharts-surface')).toHaveCount(3);
  await screenshot(page, 'clinical-kidney-trends');

  // --- The failing subject's response is not evaluable, with what is missing named.
  await backToList(page);
  await openClinical(page, bad.screeningNo);
  await page.getByRole('tab', { name: '第 6 个月肾脏缓解评估' }).click();
  await expect(page.getByTestId('response-category')).toContainText('无法评估');
  await expect(page.getByTestId('response-missing')).toContainText('第 6 个月血肌酐、第 6 个月尿红细胞、第 6 个月 24 小时尿蛋白');
  await screenshot(page, 'clinical-response-not-evaluable');

  // --- The same CYC panel inside the D0 cyclophosphamide form: live numbers and the copy button fill the field.
  await page.getByRole('button', { name: /返回病例/ }).click();
  await page.getByTestId('open-D0-CYC').click();
  await expect(page.getByTestId('cyc-panel')).toBeVisible();
  await page.locator('#f-heightCm').fill('170');
  await page.locator('#f-weightKg').fill('60');
  if ((await page.locator('#f-targetMgPerM2').inputValue()) === '') await page.locator('#f-targetMgPerM2').fill('750');
  await expect(page.getByTestId('cyc-dose')).toHaveText('1260 mg');
  await expect(page.getByTestId('cyc-bsa')).toHaveText('1.683 m²');
  await page.locator('form[data-testid="form"] input[name="doseGiven"][value="true"]').check();
  await page.getByTestId('cyc-copy').click();
  await expect(page.locator('#f-administeredDoseMg')).toHaveValue('1260');
  await screenshot(page, 'clinical-cyc-form-panel');
  await page.getByRole('button', { name: /返回病例/ }).click();
  // The ELIG form of this (failing) subject shows the same criteria above its confirmation fields, Randomise disabled.
  await page.getByTestId('open-SCR-ELIG').click();
  await expect(page.getByTestId('elig-panel').getByTestId('elig-verdict')).toContainText('有标准不符合');
  await expect(page.getByTestId('elig-panel').locator('tr[data-status="met"]')).toHaveCount(14);
  // Randomising is done in one place only (the eligibility screen): the form's panel has no button, it says where.
  await expect(page.getByTestId('elig-panel').getByRole('button', { name: '随机分组' })).toHaveCount(0);
  await expect(page.getByTestId('elig-panel').getByTestId('randomise-where')).toContainText('只能由研究者在「入选/排除标准」页面进行');
  await page.getByRole('button', { name: /返回病例/ }).click();
  await page.getByTestId('open-clinical').click();

  // --- English toggle: the same screen, every string translated.
  await page.getByRole('tab', { name: '入选/排除标准' }).click();
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { name: 'Eligibility review' })).toBeVisible();
  await expect(page.locator('tr[data-criterion="EXC_CREATININE_GT_250"]')).toContainText('Creatinine 312 µmol/L > 250');
  await expect(page.locator('tr[data-criterion="EXC_CREATININE_GT_250"]')).toContainText('Present: excluded');
  await expect(page.getByTestId('elig-verdict')).toContainText('A criterion is not met');
  await page.getByRole('button', { name: '中文' }).click();

  // --- A screening form edited after the confirmation makes it stale: randomisation blocked until confirmed again.
  const medhx = WORKED_SCREENING.find((f) => f.formCode === 'MEDHX')!;
  await later({
    subjectId: good.id,
    visitCode: 'SCR',
    formCode: 'MEDHX',
    data: { ...medhx.data, acrCriteriaCount: 6 },
    expectedVersion: 1,
    reason: '补录 ACR 标准条数',
  });
  await backToList(page);
  await openClinical(page, good.screeningNo);
  await expect(page.getByTestId('elig-stale')).toContainText('确认之后筛选期数据又有修改（病史）');
  // Already randomised: the change is flagged, but there is nothing left to re-confirm or randomise.
  await expect(page.getByTestId('rand-result')).toContainText(/随机号 R\d{3}/);
  await expect(page.getByLabel('本人已逐条核对以上入选/排除标准评估结果，确认无误')).toHaveCount(0);
  } finally {
    await shifted.stop();
  }
});
