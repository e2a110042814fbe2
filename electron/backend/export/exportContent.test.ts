// What a statistician reads in a bundle (issue 14, "Found", the export side), on a study made through the API on a real
// SQLite file (the site's own derived values, RESPONSE of record, missing-value reasons and SLEDAI answers) and read back
// with the sponsor's own reader; the ODM is checked with xmllint against the ODM 1.3.2 schema. Each describe is one
// finding: derived values were not exported; EOS.csv had two `status` columns; the dictionary's `code=zh/en; …` cell was
// ambiguous and multi-choice items had no code list; one empty string stood for four meanings; the workflow (queries,
// SDV, signatures, subject status, unblindings) existed only as audit rows.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubjectSummary } from '../../../shared/api/calls/subjects';
import { FORMS } from '../../../shared/protocol/study';
import type { FormCode, FormData, VisitCode } from '../../../shared/protocol/types';
import { DAY0, GOOD_FORMS, enteredBy } from '../../../shared/protocol/testing/fixtures';
import { addDays } from '../../../shared/rules/dates';
import { RULES_VERSION } from '../../../shared/rules/version';
import { setClock } from '../audit/clock';
import { ok } from '../testing/apiResults';
import { TEST_PASSWORD, testBackend, type TestBackend } from '../testing/fixtures';
import { bundleFiles, csvObjects, exportBundle, parseCsv, sponsorSetup } from '../testing/sponsorBundle';

const XSD = '/work/shared/standards/odm-1.3.2/ODM1-3-2.xsd';
const day = (n: number) => addDays(DAY0, n)!;
let t: TestBackend;
let files: Map<string, string>;
let restoreClock: () => void;
let allocation: string;
/** A second bundle ("changes since the last"), made by the last describe. */
let next: () => Promise<Map<string, string>>;

beforeAll(async () => {
  restoreClock = setClock(() => new Date('2024-09-01T02:00:00Z'));
  t = await testBackend();
  const { key: nurse } = await t.login('data_entry', 'nurse');
  const { key: doctor } = await t.login('investigator', 'doctor');
  const { key: admin } = await t.login('admin', 'admin1');
  const { key: monitor } = await t.login('monitor', 'monitor1');
  const { key: pharmacist } = await t.login('pharmacist', 'pharma');
  await ok(t.call('randomisation.generateList', { seed: 'export-content', size: 6, password: TEST_PASSWORD }, pharmacist));
  await ok(t.call('randomisation.grantAccess', { password: TEST_PASSWORD, granteeUsername: 'doctor', granteePassword: TEST_PASSWORD }, pharmacist));
  const { id } = await ok<SubjectSummary>(t.call('subjects.create', {}, nurse));
  const formKey = (visitCode: VisitCode, formCode: FormCode, repeatKey = 0) => ({ subjectId: id, visitCode, formCode, repeatKey });
  const version = (visitCode: VisitCode, formCode: FormCode, repeatKey = 0) =>
    (t.backend.services.db.prepare('SELECT version FROM form_instances WHERE subject_id = ? AND visit_code = ? AND form_code = ? AND repeat_key = ?').pluck().get(id, visitCode, formCode, repeatKey) as number | undefined) ?? 0;
  const save = (visitCode: VisitCode, formCode: FormCode, data: FormData, who: string, repeatKey = 0, reason?: string) =>
    ok(t.call('forms.save', { ...formKey(visitCode, formCode, repeatKey), data, expectedVersion: version(visitCode, formCode, repeatKey), markComplete: true, ...(reason ? { reason } : {}) }, who));

  for (const code of ['CONSENT', 'DEMOG', 'MEDHX', 'BIOPSY', 'SLEDAI', 'BILAG', 'VITALS', 'LAB', 'PREG', 'ELIG'] as FormCode[]) {
    const data = code === 'BIOPSY' ? { ...GOOD_FORMS.BIOPSY.data, activityChronicity: 'A/C' } : GOOD_FORMS[code].data;
    await save('SCR', code, data, enteredBy(code) === 'investigator' ? doctor : nurse);
  }
  await ok(t.call('randomisation.randomise', { subjectId: id, date: DAY0, password: TEST_PASSWORD, confirmIrreversible: true }, doctor));
  // Day 0: the visit's weight and the pharmacist's release (cells/kg is unblindedOnly: never in a blinded output).
  await save('D0', 'VITALS', { ...GOOD_FORMS.VITALS.data, assessmentDate: DAY0 }, nurse);
  const kitNo = t.backend.services.db.prepare('SELECT kit_no FROM subjects WHERE id = ?').pluck().get(id) as string;
  await save('D0', 'PHARM', { ...GOOD_FORMS.PHARM.data, kitNo }, pharmacist);
  // Month 1 LAB: 24-h protein not done, C4 unknown (reasons instead of values).
  await save('M1', 'LAB', { ...GOOD_FORMS.LAB.data, collectionDate: day(30), urineProtein24h: null, urineProtein24h__missing: 'not_done', c4: null, c4__missing: 'unknown' }, nurse);
  // Month 6: complete remission confirmed, then the protein corrected 0.37 → 1.2 (the confirmation is withdrawn, a query raised).
  const m6Lab = (protein: number): FormData => ({ ...GOOD_FORMS.LAB.data, collectionDate: day(180), creatinine: 85, urineRbc: 3, urineProtein24h: protein });
  await save('M6', 'LAB', m6Lab(0.37), nurse);
  await save('M6', 'RESPONSE', { assessmentDate: day(180), confirmed: true }, doctor);
  await save('M6', 'LAB', m6Lab(1.2), nurse, 0, '化验单转录错误');
  const auto = await ok<{ id: number }[]>(t.call('queries.list', { subjectId: id }, doctor));
  await ok(t.call('queries.answer', { queryId: auto[0]!.id, text: '已复核化验单，待重新确认' }, doctor));
  await save('LOG', 'AE', {
    ...GOOD_FORMS.AE.data, grade: '3', serious: true, seriousCriteria: ['hospitalisation', 'disability'], awarenessDate: '2024-02-01', awarenessTime: '09:30',
    expectedness: 'expected', reportedToSponsorDate: '2024-02-01', reportedToEcDate: '2024-02-01',
  }, doctor, 1);
  await save('M6', 'EOS', { status: 'early_termination', eosDate: '2024-07-18', terminationReason: 'withdrew_consent' }, doctor);

  // The monitor: a manual query answered and closed, two items verified and one verification withdrawn.
  const vitals = formKey('SCR', 'VITALS');
  const q = await ok<{ id: number }>(t.call('queries.raise', { ...vitals, itemCode: 'weightKg', text: '请核实体重' }, monitor));
  await ok(t.call('queries.answer', { queryId: q.id, text: '与源文件一致' }, nurse));
  await ok(t.call('queries.close', { queryId: q.id, text: '已核实' }, monitor));
  await ok(t.call('lifecycle.verifyItems', { formKey: formKey('SCR', 'DEMOG'), itemCodes: ['sex', 'dateOfBirth'] }, monitor));
  await ok(t.call('lifecycle.unverifyItems', { formKey: formKey('SCR', 'DEMOG'), itemCodes: ['sex'], reason: '误勾选' }, monitor));
  await ok(t.call('lifecycle.sign', { scope: 'form', formKey: formKey('SCR', 'BIOPSY'), password: TEST_PASSWORD, meaning: 'accurate_complete' }, doctor));
  allocation = (await ok<{ allocation: string }>(t.call('unblinding.emergency', { subjectId: id, password: TEST_PASSWORD, reason: '严重输注反应，需明确用药' }, doctor))).allocation;
  // A second subject: a screen failure with its reason.
  const other = await ok<SubjectSummary>(t.call('subjects.create', {}, nurse));
  await ok(t.call('subjects.changeStatus', { subjectId: other.id, to: 'screen_failed', date: '2024-08-30', reason: 'consent_withdrawn' }, nurse));

  const { sponsor, out, sitePublic } = await sponsorSetup(t, admin);
  const bundle = await exportBundle(t, monitor, out);
  files = await bundleFiles(bundle.path, sponsor.privateKey, sitePublic);
  // After it: the investigator confirms the response again (the auto query closes itself), the monitor verifies an item.
  next = async () => {
    await save('M6', 'RESPONSE', { assessmentDate: day(180), confirmed: true }, doctor, 0, '重新确认');
    await ok(t.call('lifecycle.verifyItems', { formKey: formKey('SCR', 'VITALS'), itemCodes: ['heightCm'] }, monitor));
    const changes = await exportBundle(t, monitor, out, 'changes');
    return bundleFiles(changes.path, sponsor.privateKey, sitePublic);
  };
}, 180_000);

afterAll(() => {
  try {
    t?.cleanup();
  } finally {
    restoreClock?.();
  }
});

const csv = (name: string) => csvObjects(files.get(name)!);
const header = (name: string) => parseCsv(files.get(name)!)[0]!;
const csvNames = () => [...files.keys()].filter((n) => n.endsWith('.csv'));
const dataRows = () => files.get('data.jsonl')!.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
const odm = () => files.get('odm.xml')!;

/** Column names as pandas.read_csv gives them: a repeated name becomes `name.1`, `name.2`, … */
function pandasNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n) => {
    const k = seen.get(n) ?? 0;
    seen.set(n, k + 1);
    return k === 0 ? n : `${n}.${k}`;
  });
}

describe('column names (the finding: EOS.csv had two `status` columns; pandas renamed one `status.1`)', () => {
  it('every CSV header is unique and loads under its own names', () => {
    expect(csvNames()).toEqual(expect.arrayContaining(['forms/EOS.csv', 'dictionary.csv', 'dictionary_codes.csv', 'subjects.csv', 'queries.csv']));
    for (const name of csvNames()) {
      const h = header(name);
      expect(h.filter((c, i) => h.indexOf(c) !== i), name).toEqual([]);
      expect(pandasNames(h), name).toEqual(h);
      expect(h.filter((c) => /\.\d+$/.test(c)), name).toEqual([]);
    }
    expect(csv('forms/EOS.csv')[0]).toMatchObject({ form_status: 'complete', status: 'early_termination', form_version: '1' });
  });

  it('the dictionary has one row per column of every CSV, and nothing else', () => {
    const dict = csv('dictionary.csv');
    const described = dict.map((d) => `${d.file}|${d.column}`);
    expect(described.filter((k, i) => described.indexOf(k) !== i)).toEqual([]);
    const tables = csvNames().filter((n) => !n.startsWith('dictionary'));
    const inFiles = tables.flatMap((n) => header(n).map((c) => `${n}|${c}`));
    expect([...described].sort()).toEqual([...inFiles].sort());
  });
});

describe('the dictionary (the finding: `code=zh/en; …` was ambiguous for BIOPSY A/C and the AE seriousness criteria; multi-choice had no code list)', () => {
  it('lists every code on its own row with zh and en apart, and the values are the codes', () => {
    const dict = csv('dictionary.csv');
    expect(Object.keys(dict[0]!)).not.toContain('choices');
    for (const d of dict) for (const v of Object.values(d)) expect(v).not.toMatch(/^[\w/]+=[^;]*\/[^;]*;/);
    expect(dict.find((d) => d.table === 'biopsy' && d.column === 'activityChronicity')!.code_list).toBe('CL.BIOPSY.activityChronicity');
    const codes = csv('dictionary_codes.csv');
    const keys = codes.map((c) => `${c.code_list}|${c.code}`);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
    expect(codes.filter((c) => c.code_list === 'CL.BIOPSY.activityChronicity').map((c) => c.code)).toEqual(['A', 'A/C', 'C']);
    expect(codes.find((c) => c.code_list === 'CL.BIOPSY.activityChronicity' && c.code === 'A/C')).toMatchObject({ label_zh: 'A/C 活动性伴慢性病变', label_en: 'A/C active and chronic' });
    expect(codes.find((c) => c.code_list === 'CL.AE.seriousCriteria' && c.code === 'disability')).toMatchObject({
      label_zh: '导致永久或严重残疾/功能丧失', label_en: 'Persistent or significant disability/incapacity', order: '4',
    });
    expect(csv('forms/BIOPSY.csv')[0]!.activityChronicity).toBe('A/C');
    // Every code list a column names exists, and every choice field names one.
    const lists = new Set(codes.map((c) => c.code_list));
    for (const d of dict) if (d.code_list) expect(lists.has(d.code_list), `${d.table}.${d.column} ${d.code_list}`).toBe(true);
    for (const f of Object.values(FORMS)) {
      for (const field of f.fields) {
        if ((field.type === 'choice' || field.type === 'multichoice') && !field.unblindedOnly && f.code !== 'UNBLIND') {
          expect(dict.find((d) => d.form === f.code && d.column === field.id)?.code_list, `${f.code}.${field.id}`).toBe(`CL.${f.code}.${field.id}`);
        }
      }
    }
  });

  it('gives a multi-choice item its code list in the dictionary and in the ODM (one ItemData per code chosen)', () => {
    expect(csv('dictionary.csv').find((d) => d.table === 'ae' && d.column === 'seriousCriteria')).toMatchObject({ type: 'multichoice', code_list: 'CL.AE.seriousCriteria' });
    expect(csv('forms/AE.csv')[0]!.seriousCriteria).toBe('hospitalisation;disability');
    expect(odm()).toMatch(/<CodeList OID="CL.AE.seriousCriteria"[^>]*>/);
    expect(odm()).toMatch(/<ItemGroupDef OID="IG.AE.seriousCriteria" Name="[^"]*" Repeating="Yes">\s*<Description>[\s\S]*?<\/Description>\s*<ItemRef ItemOID="IT.AE.seriousCriteria"/);
    expect(odm()).toMatch(/<ItemGroupData ItemGroupOID="IG.AE.seriousCriteria" ItemGroupRepeatKey="1">\s*<ItemData ItemOID="IT.AE.seriousCriteria" Value="hospitalisation"/);
    expect(odm()).toMatch(/<ItemGroupData ItemGroupOID="IG.AE.seriousCriteria" ItemGroupRepeatKey="2">\s*<ItemData ItemOID="IT.AE.seriousCriteria" Value="disability"/);
    expect(odm()).not.toContain('Value="hospitalisation;disability"');
  });
});

describe('derived values (the finding: none of the 18 derived values was exported)', () => {
  it('are in the form CSVs and data.jsonl as the site stored them, with the rules version, marked derived in the dictionary', () => {
    const vitals = csv('forms/VITALS.csv').find((r) => r.visit_code === 'SCR')!;
    // BMI 55 / 1.6² = 21.484375; BSA √(160 × 55 / 3600) = 1.56347…
    expect(Number(vitals.bmi)).toBeCloseTo(21.484375, 6);
    expect(Number(vitals.bsa)).toBeCloseTo(1.56347, 5);
    expect(vitals.rules_version).toBe(RULES_VERSION);
    expect(csv('forms/SLEDAI.csv')[0]!.sledaiTotal).toBe('14');
    const lab = csv('forms/LAB.csv').find((r) => r.visit_code === 'SCR')!;
    expect(Number(lab.egfrCkdEpi2021)).toBeCloseTo(85.998, 2); // female, 33, creatinine 80 µmol/L
    const elig = csv('forms/ELIG.csv')[0]!;
    expect(elig).toMatchObject({ eligible: '1', INC_AGE: 'met', EXC_CREATININE_GT_250: 'met' });
    const dict = csv('dictionary.csv');
    const bmi = dict.find((d) => d.table === 'vitals' && d.column === 'bmi')!;
    expect(bmi).toMatchObject({ kind: 'derived', derived: 'yes', rules_version: RULES_VERSION, sql_type: 'REAL' });
    expect(bmi.formula_en).toContain('weight kg');
    expect(bmi.formula_zh).toContain('体重');
    expect(dict.find((d) => d.table === 'elig' && d.column === 'INC_AGE')).toMatchObject({ kind: 'derived', code_list: 'CL.ELIG.INC_AGE' });
    expect(csv('dictionary_codes.csv').filter((c) => c.code_list === 'CL.RESPONSE.category').map((c) => c.code)).toEqual(['complete', 'partial', 'none', 'not_evaluable']);
    const vitalsRow = dataRows().find((r) => r.type === 'form' && r.formCode === 'VITALS' && r.visitCode === 'SCR') as { derived: Record<string, number>; rulesVersion: string };
    expect(vitalsRow.derived.bmi).toBeCloseTo(21.484375, 6);
    expect(vitalsRow.rulesVersion).toBe(RULES_VERSION);
    expect(JSON.parse(files.get('manifest.json')!)).toMatchObject({ rulesVersion: RULES_VERSION, format: 'kunming-ln-ecrf-bundle/3' });
  });

  it('each derived ItemDef is Origin="Derived" and its ItemRef points to a MethodDef (Computation) with its formula', () => {
    const x = odm();
    expect(x).toMatch(/<ItemRef ItemOID="IT.VITALS.bmi" OrderNumber="\d+" Mandatory="No" MethodOID="MT.VITALS.bmi"\/>/);
    expect(x).toMatch(/<ItemDef OID="IT.VITALS.bmi" Name="VITALS.bmi" DataType="float" Origin="Derived"/);
    expect(x).toMatch(new RegExp(`<MethodDef OID="MT.VITALS.bmi" Name="[^"]+" Type="Computation">[\\s\\S]*?<FormalExpression Context="[^"]*${RULES_VERSION.replace('.', '\\.')}[^"]*">BMI = weight kg`));
    expect(x).toMatch(/<ItemData ItemOID="IT.VITALS.bmi" Value="21\.4843\d*"/);
    expect(x).toMatch(/<ItemData ItemOID="IT.RESPONSE.category" Value="partial"/);
    const derivedDefs = [...x.matchAll(/<ItemDef OID="([^"]+)"[^>]*Origin="Derived"/g)].map((m) => m[1]!);
    const expected = Object.values(FORMS).filter((f) => f.code !== 'UNBLIND').flatMap((f) => (f.derived ?? []).filter((d) => !d.unblindedOnly).map((d) => `IT.${f.code}.${d.id}`));
    expect(derivedDefs.sort()).toEqual(expected.sort());
    for (const oid of derivedDefs) {
      const method = oid.replace(/^IT\./, 'MT.');
      expect(x, oid).toMatch(new RegExp(`<ItemRef ItemOID="${oid.replace(/\./g, '\\.')}"[^>]*MethodOID="${method.replace(/\./g, '\\.')}"`));
      expect(x, oid).toMatch(new RegExp(`<MethodDef OID="${method.replace(/\./g, '\\.')}"[^>]*Type="Computation">[\\s\\S]*?<FormalExpression`));
    }
  });

  it('never carries an unblindedOnly value (PHARM cells/kg) or item into a blinded output', () => {
    expect(t.backend.services.db.prepare("SELECT COUNT(*) FROM derived_values WHERE derived_id = 'cellsPerKg'").pluck().get()).toBe(1);
    for (const [name, text] of files) {
      if (name === 'audit.jsonl') continue;
      expect(text, name).not.toContain('cellsPerKg');
      expect(text, name).not.toContain('cellsInBag');
    }
  });
});

describe('the RESPONSE of record travels like any item', () => {
  it('category, steps, inputs, rules version and the withdrawal are columns of RESPONSE.csv, data.jsonl and the ODM', () => {
    const r = csv('forms/RESPONSE.csv')[0]!;
    expect(r).toMatchObject({ confirmed: 'false', recordCategory: 'complete', recordRulesVersion: RULES_VERSION, category: 'partial', form_status: 'in_progress' });
    expect(r.recordWithdrawal).toContain('0.37 → 1.2');
    expect(JSON.parse(r.recordInputs!)['month6.proteinGPer24h']).toMatchObject({ visit: 'M6', form: 'LAB', formVersion: 1, value: 0.37 });
    expect(JSON.parse(r.recordSteps!)).toHaveLength(4);
    const dict = csv('dictionary.csv');
    for (const item of ['recordCategory', 'recordSteps', 'recordInputs', 'recordMissing', 'recordWithdrawal', 'recordRulesVersion']) {
      expect(dict.find((d) => d.table === 'response' && d.column === item), item).toMatchObject({ kind: 'field' });
    }
    expect(dict.find((d) => d.table === 'response' && d.column === 'recordCategory')!.code_list).toBe('CL.RESPONSE.recordCategory');
    const row = dataRows().find((x) => x.type === 'form' && x.formCode === 'RESPONSE') as { values: Record<string, unknown>; derived: Record<string, unknown> };
    expect(row.values).toMatchObject({ confirmed: false, recordCategory: 'complete' });
    expect(row.derived).toMatchObject({ category: 'partial' });
    expect(odm()).toMatch(/<ItemData ItemOID="IT.RESPONSE.recordCategory" Value="complete"/);
  });
});

describe('missing values (the finding: one empty string stood for not entered, not done, unknown and SLEDAI absent)', () => {
  it('a reason is its own column beside the field, its own ItemDef with the reasons’ code list; SLEDAI absent is false', () => {
    const m1 = csv('forms/LAB.csv').find((r) => r.visit_code === 'M1')!;
    expect(m1).toMatchObject({ urineProtein24h: '', urineProtein24h__missing: 'not_done', c4: '', c4__missing: 'unknown', albumin: '30', albumin__missing: '' });
    const h = header('forms/LAB.csv');
    expect(h.indexOf('urineProtein24h__missing')).toBe(h.indexOf('urineProtein24h') + 1);
    expect(csv('dictionary.csv').find((d) => d.table === 'lab' && d.column === 'urineProtein24h__missing')).toMatchObject({ kind: 'missing_reason', code_list: 'CL.MISSING_REASON', item: 'urineProtein24h' });
    expect(csv('dictionary_codes.csv').filter((c) => c.code_list === 'CL.MISSING_REASON').map((c) => [c.code, c.label_zh, c.label_en])).toEqual([
      ['not_done', '未做', 'Not done'], ['unknown', '不详', 'Unknown'], ['not_applicable', '不适用', 'Not applicable'],
    ]);
    const row = dataRows().find((x) => x.type === 'form' && x.formCode === 'LAB' && x.visitCode === 'M1') as { values: Record<string, unknown> };
    expect(row.values).toMatchObject({ urineProtein24h__missing: 'not_done', c4__missing: 'unknown' });
    expect(row.values).not.toHaveProperty('urineProtein24h');
    expect(odm()).toMatch(/<ItemData ItemOID="IT.LAB.urineProtein24h__missing" Value="not_done"/);
    expect(odm()).toMatch(/<ItemDef OID="IT.LAB.urineProtein24h__missing"[^>]*>[\s\S]*?<CodeListRef CodeListOID="CL.MISSING_REASON"\/>/);
    const sledai = csv('forms/SLEDAI.csv')[0]!;
    expect(sledai).toMatchObject({ haematuria: 'true', seizure: 'false' });
    expect(odm()).toMatch(/<ItemData ItemOID="IT.SLEDAI.seizure" Value="false"/);
  });
});

describe('the workflow as data (the finding: queries, SDV, signatures, subject status and unblindings existed only as audit rows)', () => {
  it('queries with their status and thread', () => {
    const queries = csv('queries.csv');
    const auto = queries.find((q) => q.check_id === 'RESPONSE.confirmed.inputChanged')!;
    expect(auto).toMatchObject({ form_code: 'RESPONSE', visit_code: 'M6', item_code: 'confirmed', origin: 'auto', status: 'answered', raised_by: 'system' });
    expect(auto.text_en).toContain('0.37 → 1.2');
    const manual = queries.find((q) => q.origin === 'manual')!;
    expect(manual).toMatchObject({ form_code: 'VITALS', item_code: 'weightKg', status: 'closed', raised_by: 'monitor1', text_zh: '请核实体重' });
    const thread = csv('query_messages.csv').filter((m) => m.query_id === manual.query_id);
    expect(thread.map((m) => [m.message_no, m.kind, m.username, m.text])).toEqual([
      ['1', 'raise', 'monitor1', '请核实体重'], ['2', 'answer', 'nurse', '与源文件一致'], ['3', 'close', 'monitor1', '已核实'],
    ]);
    expect(odm()).toMatch(new RegExp(`<Annotation SeqNum="\\d+" ID="Q\\.${manual.query_id}">\\s*<Comment SponsorOrSite="Site">[^<]*请核实体重`));
    const rows = dataRows().filter((r) => r.type === 'query' || r.type === 'queryMessage');
    expect(rows.find((r) => r.type === 'query' && r.query_id === Number(manual.query_id))).toMatchObject({ status: 'closed', item_code: 'weightKg' });
  });

  it('SDV events, signatures with their meaning and form version, subject status history, unblindings without the arm', () => {
    expect(csv('sdv.csv').filter((r) => r.form_code === 'DEMOG').map((r) => [r.item_code, r.event, r.username, r.reason, r.form_version])).toEqual([
      ['sex', 'verified', 'monitor1', '', '1'], ['dateOfBirth', 'verified', 'monitor1', '', '1'], ['sex', 'withdrawn', 'monitor1', '误勾选', ''],
    ]);
    const sig = csv('signatures.csv').find((s) => s.form_code === 'BIOPSY')!;
    expect(sig).toMatchObject({ scope: 'form', username: 'doctor', form_version: '1', current: '1', meaning_en: 'I confirm that the data in this casebook are accurate and complete' });
    expect(sig.meaning_zh).toContain('真实、准确、完整');
    expect(odm()).toMatch(/<Signature>\s*<UserRef UserOID="[^"]+"\/>\s*<LocationRef LocationOID="[^"]+"\/>\s*<SignatureRef SignatureOID="SD.accurate_complete"\/>/);
    const status = csv('subject_status.csv');
    expect(status.map((s) => [s.from_status, s.to_status])).toEqual(expect.arrayContaining([['', 'screening'], ['screening', 'randomised'], ['screening', 'screen_failed']]));
    expect(status.find((s) => s.to_status === 'screen_failed')).toMatchObject({ reason: 'consent_withdrawn', status_date: '2024-08-30', username: 'nurse' });
    const unblinding = csv('unblinding.csv');
    expect(unblinding).toHaveLength(1);
    expect(unblinding[0]).toMatchObject({ username: 'doctor', reason: '严重输注反应，需明确用药' });
    expect(unblinding[0]!.unblind_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Object.values(unblinding[0]!).join('|')).not.toContain(allocation);
    const jsonUnblinding = dataRows().filter((r) => r.type === 'unblinding');
    expect(jsonUnblinding).toHaveLength(1);
    expect(JSON.stringify(jsonUnblinding)).not.toContain(allocation);
    for (const type of ['sdv', 'signature', 'statusChange']) expect(dataRows().some((r) => r.type === type), type).toBe(true);
    // Each workflow file is described in the dictionary.
    const dict = csv('dictionary.csv');
    for (const file of ['queries.csv', 'query_messages.csv', 'sdv.csv', 'signatures.csv', 'subject_status.csv', 'unblinding.csv']) {
      expect(dict.filter((d) => d.file === file).map((d) => d.column), file).toEqual(header(file));
    }
  });
});

describe('a "changes" bundle carries the workflow that changed since the last one', () => {
  it('the re-confirmed RESPONSE, its query closed with the whole thread, the new SDV event only', async () => {
    const changed = await next();
    const rows = changed.get('data.jsonl')!.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.filter((r) => r.type === 'form').map((r) => `${r.visitCode}.${r.formCode}`).sort()).toEqual(['M6.RESPONSE', 'SCR.VITALS']);
    const response = rows.find((r) => r.type === 'form' && r.formCode === 'RESPONSE') as { values: Record<string, unknown>; derived: Record<string, unknown> };
    expect(response.values).toMatchObject({ confirmed: true, recordCategory: 'partial' });
    expect(response.values).not.toHaveProperty('recordWithdrawal');
    const queries = rows.filter((r) => r.type === 'query');
    expect(queries.map((q) => [q.check_id, q.status])).toEqual([['RESPONSE.confirmed.inputChanged', 'closed']]);
    const thread = rows.filter((r) => r.type === 'queryMessage' && r.query_id === queries[0]!.query_id).map((m) => m.kind);
    expect(thread).toEqual(['raise', 'answer', 'auto_close']);
    expect(rows.filter((r) => r.type === 'sdv').map((r) => [r.form_code, r.item_code, r.event])).toEqual([['VITALS', 'heightCm', 'verified']]);
    expect(rows.filter((r) => r.type === 'unblinding' || r.type === 'statusChange')).toEqual([]);
    expect(csvObjects(changed.get('sdv.csv')!)).toHaveLength(1);
  });
});

describe('ODM 1.3.2', () => {
  it('the schema accepts the ODM with derived items, reasons, annotations and signatures', () => {
    const file = join(t.dir, 'odm.xml');
    writeFileSync(file, odm());
    const lint = spawnSync('xmllint', ['--noout', '--schema', XSD, file], { encoding: 'utf8' });
    expect(lint.status, lint.stderr).toBe(0);
  });
});
