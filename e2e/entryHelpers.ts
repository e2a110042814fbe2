// Helpers for driving the generic form screen: fill a form from field ids and values, save, read results.
import { expect, type Page } from '@playwright/test';
import { FORMS } from '../shared/protocol/study';
import type { FormCode, FormData } from '../shared/protocol/types';

export async function fillForm(page: Page, formCode: FormCode, data: FormData): Promise<void> {
  for (const [id, value] of Object.entries(data)) {
    const field = FORMS[formCode].fields.find((f) => f.id === id);
    if (!field || value === null || value === undefined) continue;
    const byName = (v: string) => page.locator(`form[data-testid="form"] input[name="${id}"][value="${v}"]`);
    if (field.type === 'boolean') await byName(String(value)).check();
    else if (field.type === 'choice' && (field.choices?.length ?? 0) <= 4) await byName(String(value)).check();
    else if (field.type === 'choice') await page.locator(`#f-${id}`).selectOption(String(value));
    else if (field.type === 'multichoice') for (const v of value as string[]) await byName(v).check();
    else await page.locator(`#f-${id}`).fill(String(value));
  }
}

export async function openForm(page: Page, visitCode: string, formCode: FormCode): Promise<void> {
  await page.getByTestId(`open-${visitCode}-${formCode}`).click();
  await expect(page.getByTestId('form')).toBeVisible();
}

/** Saves and waits for the confirmation; returns the banner text. */
export async function saveForm(page: Page): Promise<string> {
  await page.getByTestId('save').click();
  const result = page.getByTestId('save-result');
  await expect(result).toBeVisible();
  return (await result.textContent()) ?? '';
}

/** From the subject list, the casebook of one subject. */
export async function openCasebook(page: Page, screeningNo: string): Promise<void> {
  await page.getByRole('row', { name: new RegExp(screeningNo) }).click();
  await expect(page.getByTestId('visit-SCR')).toBeVisible();
}

/** From the subject list, one form of a subject's casebook. */
export async function openSubjectForm(page: Page, screeningNo: string, visitCode: string, formCode: FormCode): Promise<void> {
  await openCasebook(page, screeningNo);
  await openForm(page, visitCode, formCode);
}

export async function backToCasebook(page: Page): Promise<void> {
  await page.getByRole('button', { name: /返回病例|Back to casebook/ }).click();
  await expect(page.getByTestId('visit-SCR')).toBeVisible();
}

/** 新建受试者 and its confirmation (a screening number cannot be deleted, so the app asks first); waits for the notice. */
export async function createSubject(page: Page): Promise<void> {
  await page.getByTestId('new-subject').click();
  await page.getByTestId('create-confirm').click();
  await expect(page.getByTestId('create-subject')).toHaveCount(0);
  await expect(page.locator('.banner-ok')).toContainText(/已创建受试者|created/);
}
