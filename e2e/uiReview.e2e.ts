// UI review of the ward screens in real Chromium: first run, login, subject list, casebook, long forms, logs and the
// clinical screens of a realistic `ecrf demo` study, photographed at 1280×800 and 1024×768 (zh-CN, some in English).
// Each shot also checks that nothing scrolls sideways, no message key shows, and no stray English sits on a Chinese screen.
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { apiSession, type ApiCall } from './apiSession';
import { openCasebook } from './entryHelpers';
import { ADMIN, expect, setupAdmin, startHost, test, type EcrfHost } from './fixtures';
import { shootBothSizes } from './screenReview';
import { logIn, switchUser } from './switchUser';

const ROOT = resolve(__dirname, '..');
const DEMO_PASSWORD = 'demo-password-2026';

/** Message keys of the catalogs this review covers (a raw key on screen means a missing or misspelt string). */
const MESSAGE_KEY = /\b(app|setup|login|subjects|subjectStatus|visitStatus|validation|errors|entry|clinical|roles)\.[a-zA-Z_]+\b/;
/**
 * Latin words a Chinese screen may show: study and unit names, drug and lab abbreviations, codes. Anything else in
 * Latin letters on a zh-CN screen is English the nurse would have to read.
 */
const LATIN_ALLOWED = new Set(
  (
    'NCT CT eCRF hUC MSC English SCR D0 D7 M1 M2 M3 M4 M5 M6 LOG KM01 kg cm mg mL min mmHg mmol umol µmol g h L d dL ' +
    'BSA eGFR CKD EPI MDRD CrCl WBC PLT Hb ALT AST ANA dsDNA C3 C4 SLEDAI ISN RPS LN AE CONMED UPCR CYC IV BMI ' +
    'BILAG CTCAE SAE SUSAR HPF Cockcroft Gault Mosteller ACR SLE WHO III mol Tab Enter Ctrl PDF CRF ' +
    // demo user names (Latin by design: typed at login)
    'admin nurse doctor monitor pharmacist ' +
    'Methylprednisolone Prednisone Hydroxychloroquine Mycophenolate Upper respiratory tract infection induction YYYY MM DD'
  ).split(/\s+/),
);

/** Latin words on screen outside the allowed list (whole words of 3+ letters). */
function strayEnglish(text: string): string[] {
  const words = text.match(/[A-Za-z]{3,}/g) ?? [];
  return [...new Set(words.filter((w) => !LATIN_ALLOWED.has(w) && !/^(KM01|S\d+|R\d+)/.test(w)))];
}

/** Photographs the current screen at both ward screen sizes; checks sideways scrolling, message keys and stray English. */
async function shoot(page: Page, name: string, lang: 'zh' | 'en' = 'zh'): Promise<void> {
  await shootBothSizes(page, `ui-${name}-${lang}`, (text, where) => {
    expect.soft(text, `${where}: message key on screen`).not.toMatch(MESSAGE_KEY);
    if (lang === 'zh') expect.soft(strayEnglish(text), `${where}: English on the Chinese screen`).toEqual([]);
  });
}

/** A realistic study from `ecrf demo` that stopped 45 days ago, so subjects in follow-up have overdue visits today. */
async function demoStudy(): Promise<{ host: EcrfHost; child: ChildProcess; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ecrf-ui-review-'));
  const dbFile = join(dataDir, 'study.db');
  const stop = new Date(Date.now() - 45 * 86_400_000).toISOString().slice(0, 10);
  execFileSync(process.execPath, [join(ROOT, 'dist', 'ecrf.cjs'), 'demo', '--subjects', '24', '--seed', '20120215', '--today', stop, '--db', dbFile], {
    stdio: 'ignore',
  });
  const { host, child } = await startHost(dbFile);
  return { host, child, dataDir };
}

async function toggleLanguage(page: Page): Promise<void> {
  await page.getByTestId('lang-toggle').click();
}

test('first run and login (zh-CN)', async ({ page, ecrf }) => {
  await page.goto(ecrf.openUrl);
  await expect(page.getByRole('heading', { name: /首次使用/ })).toBeVisible();
  // Touch the form so the field messages show too.
  await page.getByLabel('用户名').fill('x');
  await page.getByLabel('密码', { exact: true }).fill('short');
  await page.getByLabel('再次输入密码').fill('shorter');
  await page.getByLabel('姓名').click();
  await page.getByRole('button', { name: '创建管理员并登录' }).click();
  await shoot(page, 'setup');
  await page.reload();
  await setupAdmin(page, ecrf);
  await shoot(page, 'subjects-empty');
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.getByLabel('用户名').fill(ADMIN.username);
  await page.getByLabel('密码').fill('wrong-password-1');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await shoot(page, 'login');
});

test('a demo study as the nurse, the investigator and in English', async ({ page }) => {
  test.setTimeout(240_000);
  const { host, child, dataDir } = await demoStudy();
  try {
    const admin: ApiCall = await apiSession(host, { username: 'admin', password: DEMO_PASSWORD });
    const monitor: ApiCall = await apiSession(host, { username: 'monitor', password: DEMO_PASSWORD });
    const list = (await admin('subjects.list', {})) as { rows: { id: number; screeningNo: string; status: string; visits: string }[] };
    // A subject in follow-up with the most visits entered: overdue visits after the demo stopped.
    const mid = list.rows.filter((r) => r.status === 'randomised').sort((a, b) => b.visits.replace(/N/g, '').length - a.visits.replace(/N/g, '').length)[0]!;
    await monitor('queries.raise', { subjectId: mid.id, visitCode: 'SCR', formCode: 'VITALS', repeatKey: 0, itemCode: 'weightKg', text: '体重与原始病历不一致，请核实' });

    await page.goto(host.openUrl);
    await logIn(page, 'nurse', DEMO_PASSWORD);
    await shoot(page, 'subjects');

    // A man needs no pregnancy test: his screening visit is complete without one, and his casebook says the form is not needed.
    let man: (typeof list.rows)[number] | undefined;
    for (const r of list.rows.filter((x) => x.status === 'completed')) {
      const casebook = (await admin('clinical.casebook', { subjectId: r.id })) as { formCode: string; data: Record<string, unknown> }[];
      if (casebook.find((f) => f.formCode === 'DEMOG')?.data.sex === 'M' && !casebook.some((f) => f.formCode === 'PREG')) {
        man = r;
        break;
      }
    }
    expect(man, 'the demo study has a man who completed the study without a pregnancy test').toBeTruthy();
    expect(man!.visits[0], 'his screening visit is complete (not 录入中)').not.toBe('P');
    await openCasebook(page, man!.screeningNo);
    await expect(page.getByTestId('open-SCR-PREG')).toHaveText('妊娠试验（不适用）');
    await expect(page.getByTestId('visit-SCR').locator('.chip').first()).not.toHaveAttribute('data-status', 'in_progress');
    await shoot(page, 'casebook-man');
    await page.getByRole('button', { name: /返回受试者列表/ }).click();

    await openCasebook(page, mid.screeningNo);
    await shoot(page, 'casebook');

    await page.getByTestId('open-SCR-LAB').click();
    await expect(page.getByTestId('form')).toBeVisible();
    await shoot(page, 'form-lab');
    await page.getByRole('button', { name: /返回病例/ }).click();

    for (const code of ['AE', 'CONMED'] as const) {
      await expect(page.getByTestId('visit-SCR')).toBeVisible();
      const entry = page.locator('.log-box', { has: page.getByTestId(`add-${code}`) }).locator('li .link-button').first();
      if (await entry.count()) await entry.click();
      else await page.getByTestId(`add-${code}`).click();
      await expect(page.getByTestId('form')).toBeVisible();
      await shoot(page, `form-${code.toLowerCase()}`);
      await page.getByRole('button', { name: /返回病例/ }).click();
    }

    await page.getByTestId('open-D0-INFUSION').click();
    await expect(page.getByTestId('form')).toBeVisible();
    await shoot(page, 'form-infusion');
    await page.getByRole('button', { name: /返回病例/ }).click();
    await page.getByRole('button', { name: /返回受试者列表/ }).click();

    // The investigator: eligibility of a subject still in screening, then the clinical screens of the follow-up subject.
    await switchUser(page, 'doctor', DEMO_PASSWORD);
    const screening = list.rows.find((r) => r.status === 'screening' || r.status === 'screen_failed') ?? mid;
    await openCasebook(page, screening.screeningNo);
    await page.getByTestId('open-clinical').click();
    await expect(page.getByTestId('eligibility-screen').getByRole('table').first()).toBeVisible();
    await shoot(page, 'eligibility-screening');
    await page.getByRole('button', { name: /返回病例/ }).click();
    await page.getByRole('button', { name: /返回受试者列表/ }).click();

    const done = list.rows.find((r) => r.status === 'completed') ?? mid;
    await openCasebook(page, done.screeningNo);
    await page.getByTestId('open-clinical').click();
    await expect(page.getByTestId('eligibility-screen').getByRole('table').first()).toBeVisible();
    await shoot(page, 'eligibility');
    await page.getByRole('tab', { name: '环磷酰胺剂量' }).click();
    await expect(page.getByTestId('cyc-screen').locator('input[data-field="heightCm"]')).toBeVisible();
    await shoot(page, 'cyc');
    await page.getByRole('tab', { name: '第 6 个月肾脏缓解评估' }).click();
    await expect(page.getByTestId('response-category')).toBeVisible();
    await shoot(page, 'response');
    await page.getByRole('tab', { name: '肾功能趋势图' }).click();
    await expect(page.getByTestId('labs-screen').locator('.recharts-surface').first()).toBeVisible();
    await shoot(page, 'labs');

    // English: eligibility, casebook, subject list.
    await page.getByRole('tab', { name: '入选/排除标准' }).click();
    await toggleLanguage(page);
    await expect(page.getByRole('heading', { name: /Eligibility|eligibility/ }).first()).toBeVisible();
    await shoot(page, 'eligibility', 'en');
    await page.getByRole('button', { name: /Back to casebook/ }).click();
    await expect(page.getByTestId('visit-SCR')).toBeVisible();
    await shoot(page, 'casebook', 'en');
    await page.getByRole('button', { name: /Back to subjects/ }).click();
    await expect(page.getByRole('heading', { name: 'Subjects' })).toBeVisible();
    await shoot(page, 'subjects', 'en');
    await toggleLanguage(page);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
});
