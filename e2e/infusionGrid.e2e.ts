// INFUSION vital signs as one table in real Chromium: filled by keyboard only (Tab and Enter, row by row), a warning
// and an error inside their cells, required marks on the required time points, the history link in a cell, saved as
// 24 separate items; screenshots in zh-CN and English at 1280 and 1024 px wide with no sideways scrolling.
import type { Page } from '@playwright/test';
import { GOOD_FORMS } from '../shared/protocol/testing/fixtures';
import { createAccount, formSeeder } from './accounts';
import { apiSession } from './apiSession';
import { fillForm, openForm, saveForm } from './entryHelpers';
import { expect, screenshot, setupAdmin, test } from './fixtures';
import { switchUser } from './switchUser';

const TIMES = ['pre', 'min15', 'min30', 'min45', 'min60', 'post1h'] as const;
const SIGNS = ['Sbp', 'Dbp', 'Hr', 'TempC'] as const;
/** What the nurse types, row by row: 15 min systolic 165 is above the normal range (a warning, not an error). */
const TYPED: Record<(typeof TIMES)[number], [string, string, string, string]> = {
  pre: ['118', '76', '72', '36.6'],
  min15: ['165', '78', '74', '36.7'],
  min30: ['120', '77', '75', '36.7'],
  min45: ['119', '76', '73', '36.8'],
  min60: ['121', '78', '72', '36.8'],
  post1h: ['117', '75', '70', '36.6'],
};

const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

/** The page never scrolls sideways and the table fits its box. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const sizes = await page.evaluate(() => {
    const box = document.querySelector('.field-grid-scroll')!;
    return { page: document.documentElement.scrollWidth, view: window.innerWidth, grid: box.scrollWidth, gridBox: box.clientWidth };
  });
  expect(sizes.page).toBeLessThanOrEqual(sizes.view);
  expect(sizes.grid).toBeLessThanOrEqual(sizes.gridBox);
}

test('INFUSION vital signs: one table, keyboard entry row by row, messages in the cells, zh-CN and English', async ({ page, ecrf }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await setupAdmin(page, ecrf);
  const api = await apiSession(ecrf);
  const save = await formSeeder(ecrf, api);
  const subject = (await api('subjects.create', {})) as { id: number; screeningNo: string };
  // Screened and randomised through the API (not what this test is about): only a randomised subject may be infused;
  // each form saved by the role that enters it (the investigator's BILAG and ELIG).
  for (const code of ['CONSENT', 'DEMOG', 'MEDHX', 'BIOPSY', 'SLEDAI', 'BILAG', 'VITALS', 'LAB', 'PREG', 'ELIG', 'RAND'] as const) {
    const { visit, data } = GOOD_FORMS[code];
    await save({ subjectId: subject.id, visitCode: visit, formCode: code, data, expectedVersion: 0 });
  }
  await page.reload();
  await page.getByRole('row', { name: new RegExp(subject.screeningNo) }).click();
  await openForm(page, 'D0', 'INFUSION');

  // One table of 6 time points × 4 signs, units in the header; no per-time-point sections any more.
  const grid = page.locator('table[data-grid="infusionVitals"]');
  await expect(grid).toBeVisible();
  await expect(page.locator('legend', { hasText: '生命体征：' })).toHaveCount(0);
  await expect(grid.locator('thead th')).toHaveText(['时间点', '收缩压 mmHg', '舒张压 mmHg', '心率 次/分', '体温 °C']);
  await expect(grid.locator('tbody th')).toHaveText(['输注前 *', '输注 15 分钟', '输注 30 分钟', '输注 45 分钟', '输注 60 分钟', '输注后 1 小时 *']);
  await expect(grid.locator('tbody tr').nth(1).locator('.required-mark')).toHaveCount(0);
  // Every input keeps its id, name and full accessible label.
  await expect(page.getByLabel('输注 15 分钟舒张压')).toHaveAttribute('name', 'min15Dbp');

  const nonVitals = Object.fromEntries(Object.entries(GOOD_FORMS.INFUSION.data).filter(([id]) => !SIGNS.some((s) => TIMES.some((t) => id === `${t}${s}`))));
  await fillForm(page, 'INFUSION', nonVitals);

  // Keyboard only: the first three rows with Tab, the others with Enter; focus goes across each row, then down.
  await page.locator('#f-preSbp').focus();
  for (const [r, time] of TIMES.entries()) {
    for (const [c, sign] of SIGNS.entries()) {
      expect(await activeId(page)).toBe(`f-${time}${sign}`);
      await page.keyboard.type(TYPED[time][c]!);
      await page.keyboard.press(r < 3 ? 'Tab' : 'Enter');
    }
  }
  // After the last cell, focus moves on to the infusion reaction question (its checked answer, 否).
  await expect(page.locator('input[name="reaction"][value="false"]')).toBeFocused();

  // The 15 min systolic 165 mmHg: a warning inside its own cell, the others in its row clean.
  const warned = grid.locator('td[data-field="min15Sbp"]');
  await expect(warned).toHaveClass(/field-warning/);
  await expect(warned.locator('.field-warn')).toHaveText('⚠ 输注 15 分钟收缩压 165 mmHg 超出正常参考范围 90–139 mmHg，请核实');
  await expect(page.locator('#f-min15Sbp')).toHaveAttribute('aria-describedby', 'f-min15Sbp-msg');
  await expect(grid.locator('td[data-field="min15Dbp"]')).not.toHaveClass(/field-warning|field-invalid/);

  // An implausible temperature is an error in its cell; correcting it clears the message.
  await page.locator('#f-min30TempC').fill('3.6'); // a slip for 36.7
  await expect(grid.locator('td[data-field="min30TempC"] .field-error')).toContainText('超出可信范围');
  await screenshot(page, 'infusion-grid-zh-1280');
  await page.locator('#f-min30TempC').fill('36.7');
  await expect(grid.locator('td[data-field="min30TempC"] .field-error')).toHaveCount(0);

  // Query history stays reachable from each cell (shown on hover).
  await grid.locator('td[data-field="preHr"]').hover();
  await expect(page.getByTestId('history-preHr')).toBeVisible();

  // Narrow ward PC: 1024 px, nothing cut off and no sideways scrolling.
  await page.setViewportSize({ width: 1024, height: 800 });
  await expectNoSidewaysScroll(page);
  await grid.scrollIntoViewIfNeeded();
  await screenshot(page, 'infusion-grid-zh-1024');

  // English: headers, time points and the cell warning follow the toggle; typed values kept.
  await page.getByRole('button', { name: 'English' }).click();
  await expect(grid.locator('thead th')).toHaveText(['Time point', 'Systolic BP mmHg', 'Diastolic BP mmHg', 'Heart rate bpm', 'Temperature °C']);
  await expect(grid.locator('tbody th').first()).toHaveText('Before infusion *');
  await expect(warned.locator('.field-warn')).toHaveText('⚠ Systolic BP at 15 min 165 mmHg is outside the normal range 90–139 mmHg; please verify');
  await expect(page.locator('#f-post1hTempC')).toHaveValue('36.6');
  // The autosave note is worded at render time: English after the toggle, not the Chinese it was stored in.
  await expect(page.locator('.form-actions')).toContainText('Draft autosaved');
  await expect(page.locator('.form-actions')).not.toContainText('草稿');
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'infusion-grid-en-1024');
  await page.setViewportSize({ width: 1280, height: 900 });
  await screenshot(page, 'infusion-grid-en-1280');
  await page.getByRole('button', { name: '中文' }).click();

  // Saved as 24 separate items, as before.
  expect(await saveForm(page)).toContain('已保存');
  const saved = (await api('forms.get', { subjectId: subject.id, visitCode: 'D0', formCode: 'INFUSION', repeatKey: 0 })) as { data: Record<string, unknown> };
  for (const time of TIMES) {
    expect(SIGNS.map((s) => saved.data[`${time}${s}`])).toEqual(TYPED[time].map(Number));
  }

  // A monitor (read-only cells): the raise-query link of a cell is hidden until its cell is hovered or focused, reachable
  // by keyboard, and the query badge then shows in that cell without hovering.
  await createAccount(ecrf, { username: 'monitor.zhao', displayName: '赵监查', role: 'monitor', password: 'monitor-pass-2026' });
  await switchUser(page, 'monitor.zhao', 'monitor-pass-2026');
  await page.getByRole('row', { name: new RegExp(subject.screeningNo) }).click();
  await openForm(page, 'D0', 'INFUSION');
  await expect(page.locator('#f-min15Sbp')).toBeDisabled();
  const raise = page.getByTestId('raise-query-min15Sbp');
  const opacity = () => raise.evaluate((el) => getComputedStyle(el).opacity);
  await page.mouse.move(0, 0);
  await expect.poll(opacity).toBe('0');
  await raise.focus();
  await expect.poll(opacity).toBe('1');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('raise-dialog')).toContainText('输注 15 分钟收缩压');
  await page.getByTestId('raise-text').fill('原始护理记录为 156 mmHg，请核实');
  await page.getByTestId('raise-submit').click();
  await page.getByTestId('query-dialog').getByRole('button', { name: '关闭窗口' }).click();
  await page.mouse.move(0, 0);
  const badge = grid.locator('td[data-field="min15Sbp"]').getByTestId('query-badge-min15Sbp');
  await expect(badge).toHaveAttribute('data-status', 'open');
  expect(await badge.evaluate((el) => getComputedStyle(el).opacity)).toBe('1');
  await page.setViewportSize({ width: 1024, height: 800 });
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'infusion-grid-monitor-zh-1024');
});
