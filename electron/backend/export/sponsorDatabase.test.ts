// Issue 14, sponsor database: the finding "the sponsor database is four raw tables (forms holds one JSON blob per
// form): no per-form tables or views, no long item table, no dictionary, no derived values", and the round trip of the
// endpoint of record: an M6 LAB edited after the investigator confirmed RESPONSE reaches the sponsor database as a
// withdrawn confirmation (confirmed false, recordWithdrawal) and an open query. A real ward on a real SQLite file,
// exported through the API, imported by the sponsor import, read with SQL.
import Database from 'better-sqlite3-multiple-ciphers';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormData } from '../../../shared/protocol/types';
import { DAY0, GOOD_FORMS } from '../../../shared/protocol/testing/fixtures';
import { addDays } from '../../../shared/rules/dates';
import { RULES_VERSION } from '../../../shared/rules/version';
import { ok } from '../testing/apiResults';
import { TEST_PASSWORD } from '../testing/fixtures';
import { exportBundle, sponsorSetup } from '../testing/sponsorBundle';
import { openWard, type Ward } from '../testing/ward';
import { openSponsorDatabase, SPONSOR_SCHEMA_VERSION } from './sponsorDatabase';
import { importBundle } from './sponsorImport';

let w: Ward;
let s: Database.Database;
let sponsorDb: string;
const day = (n: number) => addDays(DAY0, n)!;
const m6Lab = (extra: FormData): FormData => ({ ...GOOD_FORMS.LAB.data, collectionDate: day(180), creatinine: 85, urineRbc: 3, urineProtein24h: 0.37, ...extra });

beforeAll(async () => {
  w = await openWard();
  const { t, nurse, doctor, save, key } = w;
  await w.screenedAndRandomised();
  await ok(save('M6', 'LAB', m6Lab({ wbc: null, wbc__missing: 'not_done' }), nurse));
  await ok(save('M6', 'RESPONSE', { assessmentDate: day(180), confirmed: true }, doctor));
  await ok(t.call('lifecycle.sign', { scope: 'form', formKey: key('M6', 'RESPONSE'), password: TEST_PASSWORD, meaning: 'accurate_complete' }, doctor.key));
  const monitor = await t.login('monitor', 'mon1');
  const admin = await t.login('admin', 'admin1');
  await ok(t.call('lifecycle.verifyForm', { formKey: key('SCR', 'VITALS') }, monitor.key));
  // After the confirmation: M6 protein 0.37 → 1.2 (a transcription error): the rules now give "partial".
  await ok(save('M6', 'LAB', m6Lab({ wbc: null, wbc__missing: 'not_done', urineProtein24h: 1.2 }), nurse, 0, '化验单转录错误'));
  const { sponsor, out, sitePublic } = await sponsorSetup(t, admin.key);
  const bundle = await exportBundle(t, monitor.key, out);
  sponsorDb = join(t.dir, 'sponsor.db');
  expect(await importBundle({ bundleFile: bundle.path, sponsorSecretKey: sponsor.privateKey, trustedSiteKey: sitePublic, intoDb: sponsorDb })).toMatchObject({ status: 'imported' });
  s = new Database(sponsorDb, { readonly: true });
}, 120_000);

afterAll(() => {
  s?.close();
  w?.close();
});

const tables = () => s.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
const views = () => s.prepare("SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name").pluck().all() as string[];
const columnTypes = (table: string) =>
  Object.fromEntries((s.prepare('SELECT name, type FROM pragma_table_info(?)').all(table) as { name: string; type: string }[]).map((c) => [c.name, c.type]));

describe('the sponsor database is made for analysts (the finding: four raw tables, forms as JSON blobs)', () => {
  it('has one typed table per form, no JSON blob table, and the workflow tables', () => {
    const t = tables();
    expect(t).not.toContain('forms');
    for (const name of ['lab', 'response', 'demog', 'vitals', 'elig', 'sledai', 'subjects', 'queries', 'query_messages', 'sdv', 'signatures', 'subject_status', 'unblinding', 'dictionary', 'code_lists', 'audit_rows']) {
      expect(t).toContain(name);
    }
    expect(t).not.toContain('unblind'); // the emergency unblinding form is withheld
    expect(views()).toEqual(expect.arrayContaining(['items', 'derived_values', 'audit_trail']));
    const lab = columnTypes('lab');
    // A lab result that may be reported against a limit ("<0.1") is REAL: its numbers are numbers, a limit stays text.
    expect(lab).toMatchObject({ site: 'TEXT', screening_no: 'TEXT', visit_code: 'TEXT', repeat_key: 'INTEGER', form_status: 'TEXT', form_version: 'INTEGER', creatinine: 'REAL', wbc: 'REAL', wbc__missing: 'TEXT', rules_version: 'TEXT' });
    expect(s.prepare("SELECT typeof(egfrCkdEpi2021) FROM lab WHERE visit_code = 'SCR'").pluck().get()).toBe('real');
    expect(columnTypes('response')).toMatchObject({ confirmed: 'INTEGER', recordCategory: 'TEXT', category: 'TEXT', remission: 'INTEGER' });
    // One row per form instance, values typed as stored (REAL, INTEGER for booleans), the reason beside its empty field.
    const m6 = s.prepare("SELECT creatinine, typeof(creatinine) AS t, urineProtein24h, wbc, wbc__missing, form_version, rules_version FROM lab WHERE visit_code = 'M6'").get();
    expect(m6).toEqual({ creatinine: 85, t: 'real', urineProtein24h: 1.2, wbc: null, wbc__missing: 'not_done', form_version: 2, rules_version: RULES_VERSION });
    expect(s.prepare('SELECT COUNT(*) FROM lab').pluck().get()).toBe(2);
  });

  it('has the long item table (value and missing reason), the derived values with their rules version', () => {
    const item = (visit: string, form: string, name: string) => s.prepare('SELECT value, missing_reason FROM items WHERE visit_code = ? AND form_code = ? AND item = ?').get(visit, form, name);
    expect(item('M6', 'LAB', 'urineProtein24h')).toEqual({ value: 1.2, missing_reason: null });
    expect(item('M6', 'LAB', 'creatinine')).toEqual({ value: 85, missing_reason: null });
    expect(item('M6', 'LAB', 'wbc')).toEqual({ value: null, missing_reason: 'not_done' });
    expect(item('SCR', 'DEMOG', 'sex')).toEqual({ value: GOOD_FORMS.DEMOG.data.sex, missing_reason: null });
    expect(s.prepare("SELECT COUNT(*) FROM items WHERE item LIKE '%\\_\\_missing' ESCAPE '\\'").pluck().get()).toBe(0);
    const egfr = s.prepare("SELECT value, rules_version FROM derived_values WHERE visit_code = 'SCR' AND form_code = 'LAB' AND derived = 'egfrCkdEpi2021'").get() as { value: number; rules_version: string };
    expect(egfr.value).toBeCloseTo(85.998, 2);
    expect(egfr.rules_version).toBe(RULES_VERSION);
    expect(s.prepare("SELECT value FROM derived_values WHERE form_code = 'RESPONSE' AND derived = 'category'").pluck().get()).toBe('partial');
  });

  it('has the dictionary (one row per column, derived ones with their formula) and the code lists with zh and en labels', () => {
    const d = s.prepare("SELECT kind, sql_type, unit, label_en, formula_en FROM dictionary WHERE table_name = 'lab' AND column_name = 'egfrCkdEpi2021'").get() as Record<string, string>;
    expect(d.kind).toBe('derived');
    expect(d.formula_en).toMatch(/^142 × min\(Scr\/κ,1\)/);
    expect(s.prepare("SELECT kind, code_list FROM dictionary WHERE table_name = 'lab' AND column_name = 'wbc__missing'").get()).toEqual({ kind: 'missing_reason', code_list: 'CL.MISSING_REASON' });
    expect(s.prepare("SELECT label_zh, label_en FROM code_lists WHERE code_list = 'CL.MISSING_REASON' AND code = 'not_done'").get()).toEqual({ label_zh: '未做', label_en: 'Not done' });
    const codes = s.prepare("SELECT code FROM code_lists WHERE code_list = 'CL.RESPONSE.recordCategory' ORDER BY position").pluck().all();
    expect(codes).toEqual(['complete', 'partial', 'none', 'not_evaluable']);
  });

  it('has SDV, signatures and the subject status history as tables', () => {
    expect(s.prepare("SELECT COUNT(*) FROM sdv WHERE form_code = 'VITALS' AND event = 'verified' AND username = 'mon1'").pluck().get()).toBeGreaterThan(0);
    expect(s.prepare("SELECT form_code, username, meaning_en FROM signatures WHERE form_code = 'RESPONSE'").get()).toMatchObject({ form_code: 'RESPONSE', username: 'doctor' });
    expect(s.prepare('SELECT to_status FROM subject_status ORDER BY audit_seq').pluck().all()).toContain('screening');
    const site = w.t.backend.services.db.prepare('SELECT screening_no, status, rand_no FROM subjects').get();
    expect(s.prepare('SELECT screening_no, status, rand_no FROM subjects').get()).toEqual(site);
  });
});

describe('round trip: an M6 LAB edit after the investigator confirmed RESPONSE reaches the sponsor', () => {
  it('as a withdrawn confirmation (confirmed false, recordWithdrawal naming the change, the record kept) and an open query', () => {
    const r = s.prepare("SELECT confirmed, recordCategory, recordWithdrawal, form_status, category FROM response WHERE visit_code = 'M6'").get() as Record<string, unknown>;
    expect(r).toMatchObject({ confirmed: 0, recordCategory: 'complete', form_status: 'in_progress', category: 'partial' });
    expect(r.recordWithdrawal).toMatch(/0\.37 → 1\.2/);
    const q = s.prepare("SELECT q.status, q.check_id, q.text_en, q.item_code FROM queries q WHERE q.form_code = 'RESPONSE'").all() as Record<string, string>[];
    expect(q).toHaveLength(1);
    expect(q[0]).toMatchObject({ status: 'open', check_id: 'RESPONSE.confirmed.inputChanged', item_code: 'confirmed' });
    expect(q[0]!.text_en).toMatch(/1\.2/);
    expect(s.prepare("SELECT kind FROM query_messages m JOIN queries q USING (site, query_id) WHERE q.form_code = 'RESPONSE'").pluck().all()).toEqual(['raise']);
  });

  it('keeps the audit trail as the site has it: the chain reads back in hex, linked row to row', () => {
    const rows = s.prepare('SELECT seq, prev_hash, hash FROM audit_trail ORDER BY seq').all() as { seq: number; prev_hash: string; hash: string }[];
    expect(rows.length).toBeGreaterThan(50);
    expect(rows[0]!.prev_hash).toMatch(/^0{64}$/);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    const site = w.t.backend.services.db.prepare('SELECT seq, prev_hash, hash FROM audit_log WHERE seq <= ? ORDER BY seq').all(rows.at(-1)!.seq);
    expect(rows).toEqual(site);
  });
});

describe('a sponsor database of the earlier layout', () => {
  it('is refused with the way out, in both languages, and left as it was', () => {
    const old = join(w.t.dir, 'old-sponsor.db');
    const o = new Database(old);
    o.exec("CREATE TABLE forms (data TEXT); INSERT INTO forms VALUES ('{}'); PRAGMA user_version = 2");
    o.close();
    expect(() => openSponsorDatabase(old)).toThrow(/旧格式.*import the bundles received so far, in order, into a new database/s);
    const again = new Database(old, { readonly: true });
    expect(again.pragma('user_version', { simple: true })).toBe(2);
    expect(again.prepare('SELECT COUNT(*) FROM forms').pluck().get()).toBe(1);
    again.close();
    expect(s.pragma('user_version', { simple: true })).toBe(SPONSOR_SCHEMA_VERSION);
  });
});
