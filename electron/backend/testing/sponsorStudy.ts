// A synthetic sponsor database for tests of the report and the README's SQL: subjects, Month 6 RESPONSE forms of record
// and LAB forms with their eGFR, loaded by the sponsor import's own loader (the app's dictionary, as for a /2 bundle
// without one) into a database made by openSponsorDatabase, with counts the test chooses.
import type Database from 'better-sqlite3-multiple-ciphers';
import type { BundleManifest } from '../export/bundleManifest';
import { openSponsorDatabase } from '../export/sponsorDatabase';
import { BundleLoader } from '../export/sponsorLoader';

export interface SyntheticSubject {
  screeningNo: string;
  randNo: string | null;
  arm?: 'MSC' | 'PLACEBO';
  /** The Month 6 RESPONSE as stored: confirmed, the category of record, a withdrawal; the rules' current category. */
  response?: { confirmed: boolean; recordCategory?: string; recordWithdrawal?: string; category?: string };
  /** LAB forms: visit, collection date, creatinine, eGFR (CKD-EPI 2021). */
  labs?: { visit: string; date: string; creatinine: number; egfr: number }[];
}

export function syntheticSponsorDb(file: string, subjects: SyntheticSubject[], site = 'KM01'): Database.Database {
  const db = openSponsorDatabase(file);
  const manifest = { format: 'kunming-ln-ecrf-bundle/3', site, sequence: 1, previousBundleSha256: null, scope: 'full', keys: { site: 'TEST', sponsor: 'TEST' }, created: { utc: '2026-12-08T00:00:00Z', local: '' }, rulesVersion: 'a1.1' } as unknown as BundleManifest;
  const loader = new BundleLoader(db, manifest, JSON.stringify(manifest));
  db.transaction(() => {
    for (const s of subjects) {
      loader.dataRow({ type: 'subject', site, screeningNo: s.screeningNo, randNo: s.randNo, kitNo: s.randNo ? `K${s.randNo}` : null, status: s.randNo ? 'randomised' : 'screen_failed', createdAt: '2026-01-05T02:00:00.000Z' });
    }
    const form = (s: SyntheticSubject, visitCode: string, formCode: string, values: Record<string, unknown>, derived: Record<string, unknown>) =>
      loader.dataRow({ type: 'form', site, screeningNo: s.screeningNo, visitCode, formCode, repeatKey: 0, status: 'complete', version: 1, updatedAt: '2026-07-01T02:00:00.000Z', values, derived, rulesVersion: 'a1.1' });
    for (const s of subjects) {
      for (const l of s.labs ?? []) form(s, l.visit, 'LAB', { collectionDate: l.date, creatinine: l.creatinine }, { egfrCkdEpi2021: l.egfr });
      if (s.response) {
        const r = s.response;
        const values: Record<string, unknown> = { assessmentDate: '2026-07-01', confirmed: r.confirmed };
        if (r.recordCategory) Object.assign(values, { recordCategory: r.recordCategory, recordRulesVersion: 'a1.1' });
        if (r.recordWithdrawal) values.recordWithdrawal = r.recordWithdrawal;
        form(s, 'M6', 'RESPONSE', values, r.category ? { category: r.category } : {});
      }
    }
    loader.finish('0'.repeat(64));
  })();
  return db;
}

/** The allocation list as `gpg --decrypt` of the recovery copy prints it. */
export function allocationText(subjects: SyntheticSubject[]): string {
  const rows = subjects.filter((s) => s.randNo && s.arm).map((s, i) => `${s.randNo},K${s.randNo},${Math.floor(i / 3) + 1},${s.arm}`);
  return `# KM01 sealed randomisation list: sponsor recovery copy\n# list key (HMAC key of the commitment): ${'ab'.repeat(32)}\nrand_no,kit_no,block_no,allocation\n${rows.join('\n')}\nR999,KR999,99,MSC\n`;
}

/**
 * 18 randomised subjects and 2 screen failures, counts chosen by hand:
 * - hUC-MSC (12): complete 5, partial 4, none 1, confirmed not evaluable 1, and 1 whose confirmation ("complete") was
 *   withdrawn after an M6 input changed (counted not evaluable, no remission) → remission 9/12;
 * - placebo (6): complete 2, partial 3 (one of them confirmed "partial" while the rules now say "none": the record
 *   counts), and 1 without a confirmation (the rules say "complete": it does not count) → remission 5/6;
 * - overall: complete 7, partial 7, none 1, not evaluable 3 (of which 2 without a confirmation of record, 1 withdrawn)
 *   → remission 14/18.
 */
export function handCountedStudy(): SyntheticSubject[] {
  const out: SyntheticSubject[] = [];
  let i = 0;
  const add = (arm: 'MSC' | 'PLACEBO', response: SyntheticSubject['response']) => {
    i++;
    const n = String(i).padStart(3, '0');
    out.push({ screeningNo: `KM01-S${n}`, randNo: `R${n}`, arm, ...(response ? { response } : {}) });
  };
  const confirmed = (c: string, category = c) => ({ confirmed: true, recordCategory: c, category });
  for (let k = 0; k < 5; k++) add('MSC', confirmed('complete'));
  for (let k = 0; k < 4; k++) add('MSC', confirmed('partial'));
  add('MSC', confirmed('none'));
  add('MSC', confirmed('not_evaluable'));
  add('MSC', { confirmed: false, recordCategory: 'complete', recordWithdrawal: 'Confirmation withdrawn: Month 6 24-h urine protein 0.37 → 1.2 g/24 h', category: 'partial' });
  for (let k = 0; k < 2; k++) add('PLACEBO', confirmed('complete'));
  for (let k = 0; k < 2; k++) add('PLACEBO', confirmed('partial'));
  add('PLACEBO', confirmed('partial', 'none'));
  add('PLACEBO', { confirmed: false, category: 'complete' });
  // eGFR over time for the first two subjects (the README's second query).
  out[0]!.labs = [
    { visit: 'SCR', date: '2026-01-05', creatinine: 80, egfr: 86.0 },
    { visit: 'M3', date: '2026-04-05', creatinine: 72, egfr: 97.5 },
    { visit: 'M6', date: '2026-07-01', creatinine: 70, egfr: 100.9 },
  ];
  out[12]!.labs = [
    { visit: 'SCR', date: '2026-01-06', creatinine: 110, egfr: 58.2 },
    { visit: 'M6', date: '2026-07-02', creatinine: 120, egfr: 52.4 },
  ];
  out.push({ screeningNo: 'KM01-S019', randNo: null }, { screeningNo: 'KM01-S020', randNo: null });
  return out;
}
