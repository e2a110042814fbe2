// What a statistician reads in a bundle (issue 14, "Found"): unique column names in every CSV (EOS.csv had two
// `status` columns), a dictionary with one row per code and separate zh/en labels (`code=zh/en; …` was ambiguous for
// BIOPSY `A/C` and the AE seriousness criteria), multi-choice items with a code list, derived values with their
// formula and rules version, missing-value reasons, and SLEDAI "absent" as a value. The bundle is made through the API
// on a real SQLite file and read back with the sponsor's own reader; the ODM is checked with xmllint.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMS } from '../../../shared/protocol/study';
import type { FormCode, FormData } from '../../../shared/protocol/types';
import { GOOD_FORMS } from '../../../shared/protocol/testing/fixtures';
import { RULES_VERSION } from '../../../shared/rules/version';
import { ok } from '../testing/apiResults';
import { testBackend, type TestBackend } from '../testing/fixtures';
import { bundleFiles, csvObjects, exportBundle, formIdOf, parseCsv, sponsorSetup, writeDerivedRows, writeItemAsSite } from '../testing/sponsorBundle';

const XSD = '/work/shared/standards/odm-1.3.2/ODM1-3-2.xsd';
let t: TestBackend;
let files: Map<string, string>;

/** LAB's albumin may carry a missing-value reason (the site half of issue 14 sets these defaults). */
const labProtein = FORMS.LAB.fields.find((f) => f.id === 'albumin')! as { missingReasons?: readonly string[] };
const hadReasons = labProtein.missingReasons;

beforeAll(async () => {
  labProtein.missingReasons = ['not_done', 'unknown', 'not_applicable'];
  t = await testBackend();
  const { key: nurse } = await t.login('data_entry', 'nurse');
  const { key: doctor } = await t.login('investigator', 'doctor');
  const { key: admin } = await t.login('admin', 'admin1');
  const { key: monitor } = await t.login('monitor', 'monitor1');
  const { id } = await ok<{ id: number }>(t.call('subjects.create', {}, nurse));
  const save = (code: FormCode, data: FormData, key = nurse, visitCode = GOOD_FORMS[code].visit, repeatKey = 0) =>
    ok(t.call('forms.save', { subjectId: id, visitCode, formCode: code, repeatKey, data, expectedVersion: 0, markComplete: true }, key));
  for (const code of ['CONSENT', 'DEMOG', 'VITALS'] as const) await save(code, GOOD_FORMS[code].data);
  await save('BIOPSY', { ...GOOD_FORMS.BIOPSY.data, activityChronicity: 'A/C' }, doctor);
  // The assessor marks every descriptor: present ones true, the rest absent (false), not left blank.
  const sledai: FormData = { assessmentDate: GOOD_FORMS.SLEDAI.data.assessmentDate as string };
  for (const f of FORMS.SLEDAI.fields) if (f.type === 'boolean') sledai[f.id] = GOOD_FORMS.SLEDAI.data[f.id] === true;
  await save('SLEDAI', sledai, doctor);
  const lab = { ...GOOD_FORMS.LAB.data };
  delete lab.albumin;
  await save('LAB', lab);
  writeItemAsSite(t.backend.services, { subjectId: id, visitCode: 'SCR', formCode: 'LAB' }, 'albumin__missing', 'not_done');
  await save('AE', {
    ...GOOD_FORMS.AE.data, grade: '3', serious: true, seriousCriteria: ['hospitalisation', 'disability'], awarenessDate: '2024-02-01', awarenessTime: '09:30',
    expectedness: 'expected', reportedToSponsorDate: '2024-02-01', reportedToEcDate: '2024-02-01',
  }, doctor, 'LOG', 1);
  await save('EOS', { status: 'early_termination', eosDate: '2024-03-01', terminationReason: 'withdrew_consent' }, doctor, 'M6');
  const db = t.backend.services.db;
  writeDerivedRows(db, formIdOf(db, id, 'SCR', 'VITALS'), { bmi: 21.484375, bsa: 1.5634719199411433 }, RULES_VERSION);
  writeDerivedRows(db, formIdOf(db, id, 'SCR', 'SLEDAI'), { sledaiTotal: 14 }, RULES_VERSION);

  const { sponsor, out, sitePublic } = await sponsorSetup(t, admin);
  const bundle = await exportBundle(t, monitor, out);
  files = await bundleFiles(bundle.path, sponsor.privateKey, sitePublic);
}, 120_000);

afterAll(() => {
  labProtein.missingReasons = hadReasons;
  t?.cleanup();
});

const csv = (name: string) => csvObjects(files.get(name)!);

describe('bundle content for the statistician', () => {
  it('gives every CSV unique column names (EOS.csv had the form status and the item status both as `status`)', () => {
    const csvs = [...files.keys()].filter((n) => n.endsWith('.csv'));
    expect(csvs).toEqual(expect.arrayContaining(['forms/EOS.csv', 'dictionary.csv', 'subjects.csv']));
    for (const name of csvs) {
      const header = parseCsv(files.get(name)!)[0]!;
      expect(header.filter((h, i) => header.indexOf(h) !== i), name).toEqual([]);
    }
    const eos = csv('forms/EOS.csv')[0]!;
    expect(eos).toMatchObject({ form_status: 'complete', status: 'early_termination', form_version: '1' });
  });

  it('lists every code of the dictionary on its own row, zh and en apart (BIOPSY A/C, AE seriousness criteria)', () => {
    const dict = csv('dictionary.csv');
    expect(Object.keys(dict[0]!)).not.toContain('choices');
    const biopsy = dict.find((d) => d.table === 'biopsy' && d.column === 'activityChronicity')!;
    expect(biopsy.code_list).toBe('CL.BIOPSY.activityChronicity');
    const codes = csv('dictionary_codes.csv');
    expect(codes.filter((c) => c.code_list === 'CL.BIOPSY.activityChronicity').map((c) => c.code)).toEqual(['A', 'A/C', 'C']);
    expect(codes.find((c) => c.code_list === 'CL.BIOPSY.activityChronicity' && c.code === 'A/C')).toMatchObject({ label_zh: 'A/C 活动性伴慢性病变', label_en: 'A/C active and chronic' });
    expect(codes.find((c) => c.code_list === 'CL.AE.seriousCriteria' && c.code === 'disability')).toMatchObject({
      label_zh: '导致永久或严重残疾/功能丧失', label_en: 'Persistent or significant disability/incapacity', order: '4',
    });
    // The values in a form CSV are the codes the list names.
    expect(csv('forms/BIOPSY.csv')[0]!.activityChronicity).toBe('A/C');
  });

  it('gives a multi-choice item its code list in the dictionary and in the ODM (one ItemData per code chosen)', () => {
    const dict = csv('dictionary.csv');
    expect(dict.find((d) => d.table === 'ae' && d.column === 'seriousCriteria')).toMatchObject({ type: 'multichoice', code_list: 'CL.AE.seriousCriteria' });
    expect(csv('forms/AE.csv')[0]!.seriousCriteria).toBe('hospitalisation;disability');
    const odm = files.get('odm.xml')!;
    expect(odm).toMatch(/<CodeList OID="CL.AE.seriousCriteria"[^>]*>/);
    expect(odm).toMatch(/<ItemGroupDef OID="IG.AE.seriousCriteria" Name="[^"]*" Repeating="Yes">\s*<Description>[\s\S]*?<\/Description>\s*<ItemRef ItemOID="IT.AE.seriousCriteria"/);
    expect(odm).toMatch(/<ItemGroupData ItemGroupOID="IG.AE.seriousCriteria" ItemGroupRepeatKey="1">\s*<ItemData ItemOID="IT.AE.seriousCriteria" Value="hospitalisation"/);
    expect(odm).toMatch(/<ItemGroupData ItemGroupOID="IG.AE.seriousCriteria" ItemGroupRepeatKey="2">\s*<ItemData ItemOID="IT.AE.seriousCriteria" Value="disability"/);
    expect(odm).not.toContain('Value="hospitalisation;disability"');
  });

  it('exports derived values with their formula (MethodDef + FormalExpression), marked derived, and the rules version', () => {
    const vitals = csv('forms/VITALS.csv')[0]!;
    expect(vitals).toMatchObject({ bmi: '21.484375', bsa: '1.5634719199411433', rules_version: RULES_VERSION });
    const dict = csv('dictionary.csv');
    const bmi = dict.find((d) => d.table === 'vitals' && d.column === 'bmi')!;
    expect(bmi).toMatchObject({ kind: 'derived', derived: 'yes', rules_version: RULES_VERSION, sql_type: 'REAL' });
    expect(bmi.formula_en).toContain('weight kg');
    expect(bmi.formula_zh).toContain('体重');
    const data = files.get('data.jsonl')!.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(data.find((r) => r.type === 'form' && r.formCode === 'VITALS')).toMatchObject({ derived: { bmi: 21.484375, bsa: 1.5634719199411433 }, rulesVersion: RULES_VERSION });
    expect(JSON.parse(files.get('manifest.json')!)).toMatchObject({ rulesVersion: RULES_VERSION });
    const odm = files.get('odm.xml')!;
    expect(odm).toMatch(/<ItemRef ItemOID="IT.VITALS.bmi" OrderNumber="\d+" Mandatory="No" MethodOID="MT.VITALS.bmi"\/>/);
    expect(odm).toMatch(/<ItemDef OID="IT.VITALS.bmi" Name="VITALS.bmi" DataType="float" Origin="Derived"/);
    expect(odm).toMatch(new RegExp(`<MethodDef OID="MT.VITALS.bmi" Name="[^"]+" Type="Computation">[\\s\\S]*?<FormalExpression Context="[^"]*${RULES_VERSION.replace('.', '\\.')}[^"]*">BMI = weight kg`));
    expect(odm).toMatch(/<ItemData ItemOID="IT.VITALS.bmi" Value="21.484375"/);
    expect(odm).toContain(`rules ${RULES_VERSION}`);
  });

  it('exports a missing-value reason as its own item beside the field, and SLEDAI "absent" as the value false', () => {
    const lab = csv('forms/LAB.csv')[0]!;
    expect(lab.albumin).toBe('');
    expect(lab.albumin__missing).toBe('not_done');
    const header = parseCsv(files.get('forms/LAB.csv')!)[0]!;
    expect(header.indexOf('albumin__missing')).toBe(header.indexOf('albumin') + 1);
    const reason = csv('dictionary.csv').find((d) => d.table === 'lab' && d.column === 'albumin__missing')!;
    expect(reason).toMatchObject({ kind: 'missing_reason', code_list: 'CL.MISSING_REASON', item: 'albumin' });
    expect(csv('dictionary_codes.csv').filter((c) => c.code_list === 'CL.MISSING_REASON').map((c) => [c.code, c.label_en])).toEqual([
      ['not_done', 'Not done'], ['unknown', 'Unknown'], ['not_applicable', 'Not applicable'],
    ]);
    const odm = files.get('odm.xml')!;
    expect(odm).toMatch(/<ItemData ItemOID="IT.LAB.albumin__missing" Value="not_done"/);
    expect(odm).toMatch(/<ItemDef OID="IT.LAB.albumin__missing"[^>]*>[\s\S]*?<CodeListRef CodeListOID="CL.MISSING_REASON"\/>/);

    const sledai = csv('forms/SLEDAI.csv')[0]!;
    expect(sledai.haematuria).toBe('true');
    expect(sledai.seizure).toBe('false');
    expect(sledai.sledaiTotal).toBe('14');
  });

  it('writes ODM 1.3.2 that the schema accepts', () => {
    const file = join(t.dir, 'odm.xml');
    writeFileSync(file, files.get('odm.xml')!);
    const lint = spawnSync('xmllint', ['--noout', '--schema', XSD, file], { encoding: 'utf8' });
    expect(lint.status, lint.stderr).toBe(0);
  });
});
