// Amendment 1 in real Chromium (zh-CN): the pharmacist prepares and releases the Day 0 bag (blinded staff see the kit
// and the decision, never a count); a pulse held for a low WBC is given a week later as its own record, taking its
// creatinine clearance and pregnancy test from the forms shown beside it; a nadir platelet count is a critical value
// with its query and a pre-filled adverse event; that SAE goes from overdue to reported on the SAE list.
import { addDays, format } from 'date-fns';
import type { Page } from '@playwright/test';
import { GOOD_FORMS } from '../shared/protocol/testing/fixtures';
import type { FormData } from '../shared/protocol/types';
import { apiSession } from './apiSession';
import { createAccount, formSeeder } from './accounts';
import { backToCasebook, fillForm, openCasebook, openForm, saveForm } from './entryHelpers';
import { expect, screenshot, setupAdmin, test } from './fixtures';
import { switchUser } from './switchUser';

const PASSWORD = 'ward-test-pass-2026';
const USERS = {
  nurse: { username: 'nurse.li', displayName: '李护士', role: 'data_entry' },
  doctor: { username: 'doctor.zhang', displayName: '张医生', role: 'investigator' },
  pharmacist: { username: 'pharm.zhao', displayName: '赵药师', role: 'pharmacist' },
};

/** Dates of this subject, counted back from the real today so that nothing lies in the future: Day 0 was 40 days ago. */
const TODAY = new Date();
const iso = (d: Date) => format(d, 'yyyy-MM-dd');
const DAY0 = iso(addDays(TODAY, -40));
const day = (n: number) => iso(addDays(new Date(`${DAY0}T12:00:00`), n));

async function fullPage(page: Page, name: string): Promise<void> {
  // The whole form in one picture, with the sticky save bar at the end instead of over the fields.
  const viewport = page.viewportSize()!;
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: viewport.width, height });
  await screenshot(page, name);
  await page.setViewportSize(viewport);
}

test('pharmacy release, a held pulse given later, a critical value with its AE, an SAE to its report', async ({ page, ecrf }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1366, height: 900 });
  await setupAdmin(page, ecrf);
  const api = await apiSession(ecrf);
  for (const u of Object.values(USERS)) await createAccount(ecrf, { ...u, password: PASSWORD });
  const save = await formSeeder(ecrf, api);
  const subject = (await api('subjects.create', {})) as { id: number; screeningNo: string };
  const seed = (visitCode: string, formCode: keyof typeof GOOD_FORMS, data: FormData, repeatKey = 0) =>
    save({ subjectId: subject.id, visitCode, formCode, data, expectedVersion: 0, repeatKey });

  // Screening 10 days before Day 0 (a woman of childbearing potential), randomised, Day 0 weight, pre-dose tests.
  const screening = day(-10);
  await seed('SCR', 'CONSENT', { ...GOOD_FORMS.CONSENT.data, consentDate: day(-12) });
  await seed('SCR', 'DEMOG', { ...GOOD_FORMS.DEMOG.data, dateOfBirth: iso(addDays(new Date(`${day(-12)}T12:00:00`), -(33 * 365 + 100))) });
  await seed('SCR', 'MEDHX', { ...GOOD_FORMS.MEDHX.data, sleDiagnosisDate: day(-200) });
  await seed('SCR', 'BIOPSY', { ...GOOD_FORMS.BIOPSY.data, biopsyDate: day(-20) });
  await seed('SCR', 'VITALS', { ...GOOD_FORMS.VITALS.data, assessmentDate: screening });
  await seed('SCR', 'LAB', { ...GOOD_FORMS.LAB.data, collectionDate: screening });
  await seed('SCR', 'SLEDAI', { ...GOOD_FORMS.SLEDAI.data, assessmentDate: screening });
  await seed('SCR', 'BILAG', { ...GOOD_FORMS.BILAG.data, assessmentDate: screening });
  await seed('SCR', 'PREG', { ...GOOD_FORMS.PREG.data, testDate: day(-2) });
  await seed('SCR', 'ELIG', { confirmed: true, confirmedDate: day(-1) });
  await seed('D0', 'RAND', { ...GOOD_FORMS.RAND.data, randDate: DAY0 });
  await seed('D0', 'VITALS', { ...GOOD_FORMS.VITALS.data, heightCm: null, assessmentDate: DAY0 });
  // The first pulse at Day 0 (CrCl from the screening LAB of 10 days before, the screening pregnancy test of 2 days before).
  await seed('D0', 'CYC', { ...GOOD_FORMS.CYC.data, doseDate: DAY0, creatinineClearance: null });
  // Month 1: weight, labs (WBC 2.4 on the dosing day) and a negative pregnancy test the same day.
  const m1 = day(30);
  await seed('M1', 'VITALS', { ...GOOD_FORMS.VITALS.data, heightCm: null, assessmentDate: m1, weightKg: 54 });
  await seed('M1', 'LAB', { ...GOOD_FORMS.LAB.data, collectionDate: m1, wbc: 2.4, neutrophils: 1.4, creatinine: 78 });
  await seed('M1', 'PREG', { testDate: m1, testType: 'urine', result: 'negative' });
  await page.reload();

  // --- The pharmacist prepares and releases the Day 0 bag: product, lot, cells, viability; the cell dose per kg.
  await switchUser(page, USERS.pharmacist.username, PASSWORD);
  await openCasebook(page, subject.screeningNo);
  await openForm(page, 'D0', 'PHARM');
  await expect(page.locator('#f-kitNo')).toHaveValue('K0007'); // pre-filled from randomisation
  await fillForm(page, 'PHARM', { preparedDate: DAY0, productType: 'MSC', productLot: 'UCMSC-2401-07', cellsInBag: 100, viabilityPercent: 91.5, releaseDecision: 'released', releasedOutOfSpec: false, releaseNote: '符合放行标准' });
  await expect(page.getByTestId('pharm-dose')).toHaveText('1.82 ×10⁶/kg'); // 100 ×10⁶ ÷ 55 kg
  await fullPage(page, 'amendment1-01-pharmacy-release-zh');
  expect(await saveForm(page)).toContain('已保存');
  await backToCasebook(page);
  // The pharmacist enters nothing else.
  await openForm(page, 'D0', 'INFUSION');
  await expect(page.getByTestId('read-only')).toContainText('您的角色只能查看');
  await backToCasebook(page);

  // --- The nurse infuses: the infusion form shows the pharmacy's release of this kit, never the product or a count.
  await switchUser(page, USERS.nurse.username, PASSWORD);
  await openCasebook(page, subject.screeningNo);
  await openForm(page, 'D0', 'INFUSION');
  await expect(page.getByTestId('infusion-release')).toHaveAttribute('data-release', 'released');
  await expect(page.getByTestId('infusion-release')).toContainText(`药物编号 K0007，配制日期 ${DAY0}`);
  const { kitNo: _kit, ...ward } = GOOD_FORMS.INFUSION.data;
  await fillForm(page, 'INFUSION', { ...ward, infusionDate: DAY0 });
  // Nothing of the product: not its name, lot, count, viability or dose (the blinding note names them only as withheld).
  await expect(page.getByTestId('form')).not.toContainText(/MSC|安慰剂|UCMSC|91\.5|1\.82|×10⁶\/kg/);
  await fullPage(page, 'amendment1-02-infusion-blinded-zh');
  expect(await saveForm(page)).toContain('已保存');
  await backToCasebook(page);
  // The pharmacy form, as a blinded nurse reads it: the kit, the date, the decision.
  await openForm(page, 'D0', 'PHARM');
  await expect(page.getByTestId('read-only')).toContainText('此表单由非盲药师填写');
  await expect(page.locator('[data-field="productType"], [data-field="cellsInBag"], [data-field="viabilityPercent"], [data-field="productLot"], [data-field="releaseNote"], [data-field="releasedOutOfSpec"]')).toHaveCount(0);
  await expect(page.getByTestId('derived-cellsPerKg')).toHaveCount(0);
  await expect(page.getByTestId('form')).not.toContainText(/MSC|安慰剂|UCMSC/);
  await screenshot(page, 'amendment1-03-pharmacy-as-blinded-nurse-zh');
  await backToCasebook(page);

  // --- The investigator holds the Month 1 pulse (WBC 2.4 < 3.0) and gives it a week later as its own record.
  await switchUser(page, USERS.doctor.username, PASSWORD);
  await openCasebook(page, subject.screeningNo);
  await openForm(page, 'M1', 'CYC');
  await fillForm(page, 'CYC', { doseDate: m1, pulseNumber: 2, heightCm: 160, weightKg: 54, targetMgPerM2: 750, wbc: 2.4, doseGiven: false, holdReason: '白细胞 2.4×10⁹/L，暂缓' });
  // The sources beside the form: CrCl from the Month 1 LAB (with its date, a link), the previous pulse, the pregnancy test.
  await expect(page.getByTestId('cyc-crcl-source')).toContainText(`第 1 个月 实验室检查 ${m1}`);
  await expect(page.getByTestId('cyc-sources')).toContainText(`30 天前， 第 0 天 环磷酰胺冲击治疗 ${DAY0}`);
  await fullPage(page, 'amendment1-04-cyc-held-zh');
  expect(await saveForm(page)).toContain('已保存');
  await backToCasebook(page);
  await expect(page.getByTestId('give-held-M1')).toBeVisible();
  await screenshot(page, 'amendment1-05-casebook-held-pulse-zh');

  // Eight days later: the Month 1 test is now 8 days old, so without a new one the dose is refused; the nurse records one in an
  // unscheduled visit, then the pulse is given.
  const later = day(38);
  await page.getByTestId('give-held-M1').click();
  await expect(page.locator('#f-heldOn')).toHaveValue(m1);
  await expect(page.locator('#f-pulseNumber')).toHaveValue('2');
  await fillForm(page, 'CYC', { doseDate: later, wbc: 4.2, doseGiven: true, hydrationGiven: true, mesnaGiven: true });
  await expect(page.getByTestId('cyc-pregnancy')).toHaveAttribute('data-state', 'missing');
  await page.getByTestId('cyc-copy').click();
  await page.getByTestId('save').click();
  await expect(page.getByTestId('form-errors').or(page.locator('[data-field="doseGiven"] .field-error'))).toContainText('阴性妊娠试验');
  await fullPage(page, 'amendment1-06-cyc-later-no-pregnancy-test-zh');
  await backToCasebook(page);
  await page.getByTestId('add-UNS').click();
  await page.getByTestId('open-UNS-1-PREG').click();
  await fillForm(page, 'PREG', { testDate: later, testType: 'urine', result: 'negative' });
  expect(await saveForm(page)).toContain('已保存');
  await backToCasebook(page);
  await page.getByTestId('give-held-M1').click();
  await fillForm(page, 'CYC', { doseDate: later, wbc: 4.2, doseGiven: true, hydrationGiven: true, mesnaGiven: true });
  await expect(page.getByTestId('cyc-pregnancy')).toHaveAttribute('data-state', 'negative');
  await expect(page.getByTestId('cyc-pregnancy')).toContainText(`非计划访视 #1 妊娠试验 ${later}`);
  await page.getByTestId('cyc-copy').click();
  await fullPage(page, 'amendment1-07-cyc-given-later-zh');
  expect(await saveForm(page)).toContain('已保存');
  await backToCasebook(page);
  await expect(page.getByTestId('open-M1-CYC-1')).toHaveClass(/form-complete/);
  await expect(page.getByTestId('open-M1-CYC-1')).toContainText('（补给）');

  // --- A nadir blood count ten days later: platelets 40 is critical: saved with a query, an AE offered pre-filled.
  const nadir = day(39);
  await switchUser(page, USERS.nurse.username, PASSWORD);
  await openCasebook(page, subject.screeningNo);
  await page.getByTestId('open-UNS-1-LAB').click();
  await fillForm(page, 'LAB', { collectionDate: nadir, wbc: 2.8, neutrophils: 1.6, platelets: 40, creatinine: 80, urineRbc: '满视野', urineProtein24h: '<0.1' });
  expect(await saveForm(page)).toContain('质疑');
  await expect(page.getByTestId('critical-panel')).toContainText('危急值：血小板计数 40 ×10⁹/L < 50');
  await fullPage(page, 'amendment1-08-critical-value-zh');
  await page.getByTestId('suggest-ae-platelets').click();
  await expect(page.locator('#f-term')).toHaveValue('血小板计数降低 Platelet count decreased');
  await expect(page.locator('#f-onsetDate')).toHaveValue(nadir);
  // An SAE: hospitalised; the investigator became aware yesterday morning, nothing reported yet.
  const aware = iso(addDays(TODAY, -1));
  await fillForm(page, 'AE', {
    ongoing: true,
    grade: '3',
    serious: true,
    seriousCriteria: ['hospitalisation'],
    awarenessDate: aware,
    awarenessTime: '08:00',
    expectedness: 'unexpected',
    relationInfusion: 'unlikely',
    relationCyc: 'probable',
    actionTaken: 'interrupted',
    outcome: 'recovering',
  });
  await expect(page.getByTestId('derived-susar')).toContainText('是');
  await fullPage(page, 'amendment1-09-sae-from-critical-value-zh');
  expect(await saveForm(page)).toContain('已保存');
  await page.getByRole('button', { name: '← 返回病例' }).click();
  await page.getByRole('button', { name: /返回受试者列表/ }).click();

  // --- The SAE list: overdue (aware yesterday 08:00, due today 08:00); the investigator reports it.
  await switchUser(page, USERS.doctor.username, PASSWORD);
  await expect(page.getByTestId('open-saes')).toContainText('1 项逾期');
  await page.getByTestId('open-saes').click();
  const row = page.getByTestId(`sae-${subject.screeningNo}-1`);
  await expect(row).toContainText('逾期未报');
  await expect(row).toContainText(`${aware} 08:00`);
  await screenshot(page, 'amendment1-10-sae-list-overdue-zh');
  await row.getByRole('button', { name: '打开' }).click();
  await fillForm(page, 'AE', { reportedSponsorDate: iso(TODAY), reportedEcDate: iso(TODAY) });
  await page.getByTestId('save').click();
  await page.locator('#reason-input').fill('已上报申办方和伦理委员会');
  await page.getByRole('button', { name: '确认保存' }).click();
  await expect(page.getByTestId('save-result')).toContainText('已保存');
  await page.getByRole('button', { name: '← 返回病例' }).click();
  await page.getByRole('button', { name: /返回受试者列表/ }).click();
  await expect(page.getByTestId('open-saes')).toHaveText('严重不良事件');
  await page.getByTestId('open-saes').click();
  await expect(page.getByTestId(`sae-${subject.screeningNo}-1`)).toContainText('已按时报告');
  await screenshot(page, 'amendment1-11-sae-list-reported-zh');

  // The query list holds the critical value's query.
  await page.getByRole('button', { name: /返回受试者列表/ }).click();
  const queries = (await api('queries.list', { status: 'unresolved', subjectId: subject.id })) as { checkId: string | null }[];
  expect(queries.map((q) => q.checkId)).toContain('LAB.platelets.critical');
});
