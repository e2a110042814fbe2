// UI review of the GCP and export screens in real Chromium: every screen a monitor, investigator, admin and pharmacist
// uses, seeded through the API, photographed at 1280×800 and 1024×768 (zh-CN, some in English); each shot also checks
// that no raw code (role or status code, message key) shows and that nothing scrolls sideways.
import type { Page } from '@playwright/test';
import { generateKeyPair } from '../electron/backend/export/pgpKeys';
import { GOOD_FORMS, enteredBy } from '../shared/protocol/testing/fixtures';
import { WORKED_SCREENING } from '../renderer/src/clinical/testing/workedSubject';
import { createAccount } from './accounts';
import { apiSession, type ApiCall } from './apiSession';
import { openCasebook } from './entryHelpers';
import { ADMIN, expect, setupAdmin, test } from './fixtures';
import { shootBothSizes } from './screenReview';
import { switchUser } from './switchUser';

const PASSWORD = 'ward-test-pass-2026';
// Usernames free of role words, so a raw role code on screen cannot hide behind a username.
const NURSE = { username: 'li.hs', displayName: '李护士', role: 'data_entry', password: PASSWORD };
const DOCTOR = { username: 'chen.ys', displayName: '陈医生', role: 'investigator', password: PASSWORD };
const MONITOR = { username: 'zhao.jc', displayName: '赵监查', role: 'monitor', password: PASSWORD };
const PHARMACIST = { username: 'wu.yj', displayName: '吴药师', role: 'pharmacist', password: PASSWORD };

/** Codes that must never reach the screen: role and status codes, message keys. */
const RAW_CODE = /\b(data_entry|investigator|pharmacist|monitor|admin|in_progress|auto_close|accurate_complete|form\.status)\b|\b(queries|lifecycle|rand|users|exportUi|roles|entry|errors)\.[a-zA-Z_]+/;

/** Photographs the current screen at both ward screen sizes; checks raw codes (zh only) and sideways scrolling. */
async function shoot(page: Page, name: string, lang: 'zh' | 'en' = 'zh'): Promise<void> {
  await shootBothSizes(page, `review-${name}-${lang}`, (text, where) => {
    if (lang === 'zh') expect.soft(text, `${where}: raw code on screen`).not.toMatch(RAW_CODE);
    else expect.soft(text, `${where}: message key on screen`).not.toMatch(/\b(queries|lifecycle|rand|users|exportUi|roles|entry)\.[a-zA-Z_]+/);
  });
}

async function toggleLanguage(page: Page, heading: RegExp): Promise<void> {
  await page.getByTestId('lang-toggle').click();
  await expect(page.getByRole('heading', { name: heading }).first()).toBeVisible();
}

async function toSubjectList(page: Page): Promise<void> {
  await page.getByRole('button', { name: /返回受试者列表/ }).first().click();
  await expect(page.getByRole('heading', { name: '受试者列表' })).toBeVisible();
}

async function seed(api: ApiCall, nurse: ApiCall, doctor: ApiCall, monitor: ApiCall, pharmacist: ApiCall) {
  await pharmacist('randomisation.generateList', { seed: 'KM-2012-review-seed', size: 12, password: PASSWORD });
  const a = (await api('subjects.create', {})) as { id: number; screeningNo: string };
  const b = (await api('subjects.create', {})) as { id: number; screeningNo: string };
  // Each form by the role that enters it (the BILAG grade is the investigator's).
  for (const f of WORKED_SCREENING) {
    await (enteredBy(f.formCode) === 'investigator' ? doctor : nurse)('forms.save', { subjectId: a.id, visitCode: f.visitCode, formCode: f.formCode, data: f.data, expectedVersion: 0 });
  }
  // Two corrections of the vitals, each with a reason, for the audit trail.
  const vitals = WORKED_SCREENING.find((f) => f.formCode === 'VITALS')!;
  const key = { subjectId: a.id, visitCode: 'SCR', formCode: 'VITALS', repeatKey: 0 };
  const v = (await nurse('forms.save', { ...key, data: { ...vitals.data, weightKg: 56 }, expectedVersion: 1, reason: '抄录错误，按原始病历更正' })) as { version: number };
  await nurse('forms.save', { ...key, data: { ...vitals.data, weightKg: 56, heartRate: 82 }, expectedVersion: v.version, reason: '复测心率' });
  await doctor('forms.save', { subjectId: a.id, visitCode: 'SCR', formCode: 'ELIG', data: { confirmed: true, confirmedDate: '2026-03-05' }, expectedVersion: 0 });
  // Day 0 six days after screening (amendment 1: screening dated day −28 … −1, a pregnancy test of the last 7 days).
  await doctor('randomisation.randomise', { subjectId: a.id, date: '2026-03-09', password: DOCTOR.password, confirmIrreversible: true });
  for (const code of ['CONSENT', 'VITALS'] as const) {
    await nurse('forms.save', { subjectId: b.id, visitCode: 'SCR', formCode: code, data: GOOD_FORMS[code].data, expectedVersion: 0 });
  }
  // Queries: open, answered, closed.
  const raise = (subjectId: number, itemCode: string, text: string, formCode = 'VITALS') =>
    monitor('queries.raise', { subjectId, visitCode: 'SCR', formCode, repeatKey: 0, itemCode, text }) as Promise<{ id: number }>;
  await raise(a.id, 'weightKg', '体重与原始病历（55 kg）不一致，请核实');
  const answered = await raise(a.id, 'systolicBp', '收缩压 132 mmHg 请核对原始记录');
  const closed = await raise(b.id, 'heartRate', '心率请补充测量时间');
  await nurse('queries.answer', { queryId: answered.id, text: '已核对原始病历，录入无误' });
  await nurse('queries.answer', { queryId: closed.id, text: '已补充' });
  await monitor('queries.close', { queryId: closed.id, text: '确认' });
  await monitor('lifecycle.verifyItems', { formKey: { subjectId: a.id, visitCode: 'SCR', formCode: 'DEMOG', repeatKey: 0 }, itemCodes: ['dateOfBirth'] });
  return { a, b };
}

test('GCP and export screens at 1280 and 1024 px, as monitor, investigator, admin and pharmacist', async ({ page, ecrf }) => {
  test.setTimeout(300_000);
  page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  await page.setViewportSize({ width: 1280, height: 800 });
  await setupAdmin(page, ecrf);
  const api = await apiSession(ecrf);
  for (const u of [NURSE, DOCTOR, MONITOR, PHARMACIST]) await createAccount(ecrf, u);
  const [nurse, doctor, monitor, pharmacist] = await Promise.all([apiSession(ecrf, NURSE), apiSession(ecrf, DOCTOR), apiSession(ecrf, MONITOR), apiSession(ecrf, PHARMACIST)]);
  const { a } = await seed(api, nurse, doctor, monitor, pharmacist);

  // --- Monitor: query list with filters, the thread, raising, audit trail, SDV footer.
  await switchUser(page, MONITOR.username, PASSWORD);
  await page.getByTestId('nav-queries').click();
  await expect(page.getByRole('heading', { name: '数据质疑列表' })).toBeVisible();
  await expect(page.getByTestId('query-row')).toHaveCount(2);
  await shoot(page, 'queries-list-unresolved');
  // The list's two filters: a status, and one subject (its screening number) or all ('').
  const filterQueries = async (status: string, subject: string) => {
    await page.getByTestId('query-status-filter').selectOption(status);
    await page.getByTestId('query-subject-filter').selectOption(subject ? { label: subject } : '');
  };
  await filterQueries('all', '');
  await expect(page.getByTestId('query-row')).toHaveCount(3);
  await shoot(page, 'queries-list-all');
  await filterQueries('closed', '');
  await expect(page.getByTestId('query-row')).toHaveCount(1);
  await filterQueries('answered', a.screeningNo);
  await expect(page.getByTestId('query-row')).toHaveCount(1);
  await shoot(page, 'queries-list-answered');
  await filterQueries('closed', a.screeningNo);
  await expect(page.getByTestId('query-row')).toHaveCount(0);
  await shoot(page, 'queries-list-empty');
  await filterQueries('all', '');
  await toggleLanguage(page, /Data queries/);
  await shoot(page, 'queries-list-all', 'en');
  await toggleLanguage(page, /数据质疑列表/);

  await page.getByTestId('query-row').filter({ hasText: '收缩压' }).click();
  await expect(page.getByTestId('form')).toBeVisible();
  await shoot(page, 'form-monitor-sdv-footer');
  await page.getByTestId('query-badge-systolicBp').click();
  await expect(page.getByTestId('query-dialog')).toBeVisible();
  await shoot(page, 'query-thread-monitor');
  await page.getByTestId('query-dialog').getByRole('button', { name: '关闭窗口' }).click();
  await page.getByTestId('raise-query-diastolicBp').click();
  await page.getByTestId('raise-text').fill('舒张压请核对');
  await shoot(page, 'raise-query-dialog');
  await page.getByTestId('raise-dialog').getByRole('button', { name: '取消' }).click();
  await page.getByTestId('open-audit').click();
  await expect(page.getByTestId('audit-row').first()).toBeVisible();
  await expect(page.getByTestId('audit-dialog')).toContainText('抄录错误，按原始病历更正');
  await shoot(page, 'audit-trail-form');
  await page.getByTestId('audit-dialog').getByRole('button', { name: '关闭' }).click();
  await page.getByTestId('history-weightKg').click();
  await shoot(page, 'audit-trail-item');
  await page.getByTestId('audit-dialog').getByRole('button', { name: '关闭' }).click();

  // --- Investigator: casebook bar, sign dialog (zh and en), unblinding panel.
  await page.getByRole('button', { name: /返回质疑列表/ }).click();
  await toSubjectList(page);
  await switchUser(page, DOCTOR.username, PASSWORD);
  await openCasebook(page, a.screeningNo);
  await shoot(page, 'casebook-investigator');
  await page.getByTestId('open-SCR-VITALS').click();
  await page.getByTestId('sign-open').click();
  await expect(page.getByTestId('sign-meaning')).toBeVisible();
  await shoot(page, 'sign-dialog');
  await page.getByTestId('sign-dialog').getByRole('button', { name: '取消' }).click();
  await page.getByTestId('lang-toggle').click();
  await page.getByTestId('sign-open').click();
  await expect(page.getByTestId('sign-meaning')).toContainText('accurate');
  await shoot(page, 'sign-dialog', 'en');
  await page.getByTestId('sign-dialog').getByRole('button', { name: 'Cancel' }).click();
  await page.getByTestId('lang-toggle').click();
  await page.getByRole('button', { name: /返回病例/ }).click();
  await page.getByTestId('open-LOG-UNBLIND').click();
  await expect(page.getByTestId('unblind-panel')).toBeVisible();
  await shoot(page, 'unblind-panel');
  await page.getByTestId('unblind-open').click();
  await page.getByTestId('unblind-reason').fill('严重输注反应，需决定后续治疗');
  await shoot(page, 'unblind-dialog');
  await page.getByRole('button', { name: '取消' }).click();
  await page.getByRole('button', { name: /返回病例/ }).click();
  await toSubjectList(page);

  // --- Admin: casebook lock dialog, users, randomisation and backups, export.
  await switchUser(page, ADMIN.username, ADMIN.password);
  await openCasebook(page, a.screeningNo);
  await shoot(page, 'casebook-admin');
  await page.getByTestId('casebook-lock').click();
  await page.getByTestId('reason-action-dialog').locator('textarea').fill('数据库锁定前检查');
  await shoot(page, 'casebook-lock-dialog');
  await page.getByTestId('reason-action-dialog').getByRole('button', { name: '取消' }).click();
  await toSubjectList(page);

  await page.getByTestId('open-users').click();
  await expect(page.getByTestId('users-table')).toBeVisible();
  await shoot(page, 'users');
  await page.getByTestId('user-create-open').click();
  await shoot(page, 'users-create');
  await page.getByTestId('user-create').getByRole('button', { name: '取消' }).click();
  await page.getByTestId(`user-row-${NURSE.username}`).getByTestId('user-reset-open').click();
  await shoot(page, 'users-reset');
  await page.getByTestId('user-reset').getByRole('button', { name: '取消' }).click();
  await toSubjectList(page);

  await page.getByTestId('open-rand-admin').click();
  await expect(page.getByTestId('rand-status')).toBeVisible();
  await page.getByTestId('backup-now').click();
  await expect(page.getByTestId('rand-notice')).toBeVisible();
  await shoot(page, 'rand-admin');
  await toSubjectList(page);

  const sponsor = await generateKeyPair('Sponsor DM', 'dm@sponsor.example.org');
  await page.getByTestId('open-export').click();
  await expect(page.getByTestId('sponsor-fingerprint')).toBeVisible();
  await shoot(page, 'export-no-key');
  await page.getByTestId('sponsor-key-input').fill(sponsor.publicKey);
  await page.getByTestId('install-sponsor-key').click();
  await expect(page.getByTestId('sponsor-fingerprint')).toContainText(sponsor.fingerprint);
  await shoot(page, 'export-key-installed');
  await page.getByTestId('export-create').click();
  await expect(page.getByTestId('export-result')).toBeVisible({ timeout: 30_000 });
  await shoot(page, 'export-done');
  await page.getByTestId('lang-toggle').click();
  await shoot(page, 'export-done', 'en');
  await page.getByTestId('lang-toggle').click();
  await toSubjectList(page);

  // --- Pharmacist: the allocation list.
  await switchUser(page, PHARMACIST.username, PASSWORD);
  await page.getByTestId('open-allocations').click();
  await expect(page.getByTestId('list-open')).toBeVisible();
  await shoot(page, 'allocations-sealed');
  await page.getByTestId('list-open-password').fill(PASSWORD);
  await page.getByTestId('list-open-submit').click();
  await expect(page.getByTestId('allocation-table')).toBeVisible();
  await shoot(page, 'allocations');
});
