// Photographs the current screen at both ward screen sizes (1280×800, 1024×768) for the UI review tests; at each size
// the caller's check reads the visible text, and nothing may scroll sideways.
import type { Page } from '@playwright/test';
import { expect, screenshot } from './fixtures';

export async function shootBothSizes(page: Page, file: string, check: (text: string, where: string) => void): Promise<void> {
  for (const [width, height] of [
    [1280, 800],
    [1024, 768],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(80);
    const text = await page.evaluate(() => document.body.innerText);
    check(text, `${file} ${width}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect.soft(overflow, `${file} ${width}: page scrolls sideways`).toBeLessThanOrEqual(0);
    await screenshot(page, `${file}-${width}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}
