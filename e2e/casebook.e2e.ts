// One subject through the real UI in Chromium: consent and every screening form, bad input (out of range,
// wrong date order, missing required, reason for change), autosaved drafts, and the casebook timeline.
import { GOOD_FORMS } from '../shared/protocol/testing/fixtures';
import type { FormCode } from '../shared/protocol/types';
import { backToCasebook, fillForm, openForm, saveForm, createSubject } from './entryHelpers';
import { expect, screenshot, setupAdmin, test } from './fixtures';

const SCREENING: FormCode[] = ['CONSENT', 'DEMOG', 'MEDHX', 'BIOPSY', 'SLEDAI', 'BILAG', 'VITALS', 'LAB', 'PREG'];

test('screening casebook entered through the UI, with bad input refused and nothing lost', async ({ page, ecrf }) => {
  await setupAdmin(page, ecrf);
  await createSubject(page);
  await page.getByRole('row', { name: /KM01-S001/ }).click();
  await expect(page.getByRole('heading', { name: /受试者 KM01-S001/ })).toBeVisible();
  await screenshot(page, 'casebook-01-timeline-empty-zh');

  // Nothing before consent: the back end refuses, in Chinese, and keeps the typing on screen.
  await openForm(page, 'SCR', 'VITALS');
  await fillForm(page, 'VITALS', GOOD_FORMS.VITALS.data);
  await page.getByTestId('save').click();
  await expect(page.getByRole('alert').filter({ hasText: '知情同意' })).toBeVisible();
  await expect(page.locator('#f-weightKg')).toHaveValue('55');
  // The same refusal reads in English after the toggle (the back end sends both languages), typing still there.
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'has not consented yet' })).toBeVisible();
  await expect(page.locator('[data-field="weightKg"]')).toContainText('kg');
  await screenshot(page, 'casebook-01b-consent-refused-en');
  await page.getByRole('button', { name: '中文' }).click();
  await expect(page.locator('#f-weightKg')).toHaveValue('55');
  await backToCasebook(page);

  // Missing required: consent without its date.
  await openForm(page, 'SCR', 'CONSENT');
  // Keyboard only: Enter moves to the next field (past the buttons beside a field), never saves by accident.
  await page.locator('#f-consentDate').focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('#f-consentVersion')).toBeFocused();
  await page.keyboard.type('V2.0');
  await page.keyboard.press('Enter');
  await expect(page.locator('input[name="signedBy"]').first()).toBeFocused();
  await expect(page.getByTestId('save-result')).toHaveCount(0);
  await page.locator('#f-consentVersion').fill('');
  const { consentDate, ...rest } = GOOD_FORMS.CONSENT.data;
  await fillForm(page, 'CONSENT', rest);
  await page.getByTestId('save').click();
  await expect(page.locator('[data-field="consentDate"] .field-error')).toBeVisible();
  await screenshot(page, 'casebook-02-consent-missing-date-zh');
  await page.locator('#f-consentDate').fill(String(consentDate));
  expect(await saveForm(page)).toContain('已保存');
  await backToCasebook(page);

  for (const code of SCREENING.slice(1)) {
    await openForm(page, 'SCR', code);
    const data = { ...GOOD_FORMS[code].data };
    if (code === 'BILAG') {
      // The BILAG grades are the investigator's judgement (amendment 1): the form is read-only for the admin, saying why.
      await expect(page.locator('#f-renalGrade')).toBeDisabled();
      await expect(page.getByTestId('read-only')).toHaveText('此表单由研究者填写，您的角色只能查看');
      await expect(page.getByTestId('save')).toHaveCount(0);
      await screenshot(page, 'casebook-03b-bilag-investigator-only-zh');
      await backToCasebook(page);
      continue;
    }
    if (code === 'LAB') {
      // Out of range: creatinine 5000 µmol/L is outside physiology: red error naming the range, Save refused.
      await fillForm(page, code, { ...data, creatinine: 5000 });
      await expect(page.locator('[data-field="creatinine"] .field-error')).toContainText('3000');
      await screenshot(page, 'casebook-03-lab-out-of-range-zh');
      await page.getByTestId('save').click();
      await expect(page.getByTestId('save-result')).toHaveCount(0);
      await expect(page.locator('#f-creatinine')).toHaveValue('5000');
      await page.locator('#f-creatinine').fill('80');
      await expect(page.getByTestId('derived-egfrCkdEpi2021')).not.toContainText('—');
      await screenshot(page, 'casebook-04-lab-derived-zh');
    } else {
      await fillForm(page, code, data);
    }
    expect(await saveForm(page)).toContain('已保存');
    await backToCasebook(page);
  }
  await expect(page.getByTestId('open-SCR-LAB')).toHaveClass(/form-complete/);
  await screenshot(page, 'casebook-05-timeline-screening-done-zh');

  // A change after the first save asks for a reason, which the audit trail keeps.
  await openForm(page, 'SCR', 'VITALS');
  await page.locator('#f-weightKg').fill('56');
  await page.getByTestId('save').click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await page.getByRole('button', { name: '确认保存' }).click();
  await expect(page.getByRole('dialog').getByRole('alert')).toContainText('请填写修改原因');
  await page.locator('#reason-input').fill('抄录错误，按原始病历更正');
  await screenshot(page, 'casebook-06-reason-for-change-zh');
  await page.getByRole('button', { name: '确认保存' }).click();
  await expect(page.getByTestId('save-result')).toContainText('版本 2');
  await backToCasebook(page);

  // Wrong date order in the AE log: end before onset.
  await page.getByTestId('add-AE').click();
  await fillForm(page, 'AE', { ...GOOD_FORMS.AE.data, endDate: '2024-01-25', onsetDate: '2024-02-01' });
  await page.getByTestId('save').click();
  await expect(page.locator('[data-field="endDate"] .field-error')).toBeVisible();
  await screenshot(page, 'casebook-07-ae-date-order-zh');
  await page.locator('#f-endDate').fill('2024-02-08');
  expect(await saveForm(page)).toContain('已保存');
});

test('a draft survives closing the page and can be restored', async ({ page, ecrf }) => {
  await setupAdmin(page, ecrf);
  await createSubject(page);
  await page.getByRole('row', { name: /KM01-S001/ }).click();
  await openForm(page, 'SCR', 'CONSENT');
  await page.locator('#f-consentVersion').fill('V2.0 草稿');
  await page.waitForTimeout(1500); // autosave debounce
  await page.reload();
  await page.getByRole('row', { name: /KM01-S001/ }).click();
  await openForm(page, 'SCR', 'CONSENT');
  await expect(page.getByTestId('draft-found')).toBeVisible();
  await page.getByRole('button', { name: '恢复草稿' }).click();
  await expect(page.locator('#f-consentVersion')).toHaveValue('V2.0 草稿');
});

test('Save while a draft upload is still in flight leaves no stale draft behind', async ({ page, ecrf }) => {
  await setupAdmin(page, ecrf);
  await createSubject(page);
  await page.getByRole('row', { name: /KM01-S001/ }).click();
  await openForm(page, 'SCR', 'CONSENT');
  await fillForm(page, 'CONSENT', GOOD_FORMS.CONSENT.data);
  // A slow ward network: the autosave's draft upload takes 2 s to reach the back end.
  let draftUploads = 0;
  await page.route('**/api/drafts.save', async (route) => {
    draftUploads += 1;
    await new Promise((r) => setTimeout(r, 2000));
    await route.continue();
  });
  await page.waitForTimeout(1200); // the autosave pause has passed: the upload is on its way
  expect(draftUploads).toBeGreaterThan(0);
  expect(await saveForm(page)).toContain('已保存');
  await page.waitForTimeout(2500);
  await page.reload();
  await page.getByRole('row', { name: /KM01-S001/ }).click();
  await openForm(page, 'SCR', 'CONSENT');
  await expect(page.locator('#f-consentVersion')).toHaveValue(String(GOOD_FORMS.CONSENT.data.consentVersion));
  await expect(page.getByTestId('draft-found')).toHaveCount(0);
});
