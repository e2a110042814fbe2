// The paper trail on a real SQLite file: `ecrf casebook pdf` and `ecrf crf pdf` write PDFs whose text (pdftotext) has
// the header with protocol, site, subject and "page x of y", the values with units, statuses, SDV, the signature's
// meaning, name and time, the audit trail, in Chinese (really in the PDF, not boxes) or English; and never the
// allocation or the pharmacist's items.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormCode, FormData, VisitCode } from '../../../shared/protocol/types';
import { GOOD_FORMS, enteredBy } from '../../../shared/protocol/testing/fixtures';
import { setClock } from '../audit/clock';
import { ok } from '../testing/apiResults';
import { TEST_PASSWORD, testBackend, type TestBackend } from '../testing/fixtures';
import { annotatedCrfPdf, casebookPdf } from '../../cli/commands/casebook';
import { printable } from './pdfWriter';

let t: TestBackend;
let restoreClock: () => void;
let subjectId: number;
const pdfText = (file: string) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
const pageCount = (file: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);

beforeAll(async () => {
  restoreClock = setClock(() => new Date('2024-09-01T02:00:00Z'));
  t = await testBackend();
  const nurse = await t.login('data_entry', 'nurse');
  const doctor = await t.login('investigator', 'doctor');
  const pharmacist = await t.login('pharmacist', 'pharma');
  const monitor = await t.login('monitor', 'monitor');
  const who = { data_entry: nurse, investigator: doctor, pharmacist };
  subjectId = (await ok<{ id: number }>(t.call('subjects.create', {}, nurse.key))).id;
  const version = (visitCode: VisitCode, formCode: FormCode) =>
    (t.backend.services.db.prepare('SELECT version FROM form_instances WHERE subject_id = ? AND visit_code = ? AND form_code = ?').pluck().get(subjectId, visitCode, formCode) as number | undefined) ?? 0;
  const save = (visitCode: VisitCode, formCode: FormCode, data: FormData, reason?: string) =>
    ok(t.call('forms.save', { subjectId, visitCode, formCode, repeatKey: 0, data, expectedVersion: version(visitCode, formCode), ...(reason ? { reason } : {}) }, who[enteredBy(formCode)].key));
  for (const code of ['CONSENT', 'DEMOG', 'MEDHX', 'BIOPSY', 'SLEDAI', 'BILAG', 'VITALS', 'LAB', 'PREG', 'ELIG'] as FormCode[]) await save('SCR', code, GOOD_FORMS[code].data);
  await save('SCR', 'VITALS', { ...GOOD_FORMS.VITALS.data, weightKg: 56.5 }, '体重复测');
  await save('D0', 'RAND', GOOD_FORMS.RAND.data);
  await save('D0', 'PHARM', { ...GOOD_FORMS.PHARM.data, productLot: 'SECRET-LOT-7788', cellsInBag: 117.3 });
  const vitals = { subjectId, visitCode: 'SCR', formCode: 'VITALS', repeatKey: 0 };
  await ok(t.call('lifecycle.verifyItems', { formKey: vitals, itemCodes: ['weightKg'] }, monitor.key));
  await ok(t.call('lifecycle.sign', { scope: 'form', formKey: { ...vitals, formCode: 'LAB' }, password: TEST_PASSWORD, meaning: 'accurate_complete' }, doctor.key));
});

afterAll(() => {
  t?.cleanup();
  restoreClock?.();
});

describe('ecrf casebook pdf', () => {
  it('one subject in Chinese: header, page x of y, values with units, status, SDV, signature, audit trail; the text is really there', async () => {
    const out = join(t.dir, 'S001.pdf');
    const line = await casebookPdf({ db: t.dbFile, subject: 'KM01-S001', out, lang: 'zh' });
    const pages = pageCount(out);
    expect(line).toContain(`${pages} pages`);
    const text = pdfText(out);
    expect(text).toContain('NCT01539902 / CT 11-03 · 中心 KM01 · 受试者 KM01-S001');
    expect(text).toContain(`第 1 页 / 共 ${pages} 页`);
    expect(text).toContain(`第 ${pages} 页 / 共 ${pages} 页`);
    expect(text).toMatch(/体重\s+56\.5\s+kg\s+✓ 已核查/);
    expect(text).toMatch(/血肌酐\s+\S+\s+µmol\/L/);
    expect(text).toContain('生命体征 · SCR/VITALS');
    expect(text).toMatch(/状态：已完成 · 版本 2 · 最后保存 2024-09-01 10:00，nurse/);
    expect(text).toContain('电子签名（表单）：doctor (doctor)');
    expect(text).toContain('签署含义：本人确认本病例报告表中的数据真实、准确、完整');
    expect(text).toContain('附录：稽查轨迹');
    expect(text).toMatch(/55 kg → 56\.5 kg\s+体重复测/);
    // Blinded whoever prints: the pharmacist's lot and cell count are in the database, never on paper.
    expect(text).not.toContain('SECRET-LOT-7788');
    expect(text).not.toContain('117.3');
    expect(text).toContain('（盲态隐去）');
  });

  it('in English on request', async () => {
    const out = join(t.dir, 'S001-en.pdf');
    await casebookPdf({ db: t.dbFile, subject: 'KM01-S001', out, lang: 'en' });
    const text = pdfText(out);
    expect(text).toContain('NCT01539902 / CT 11-03 · site KM01 · subject KM01-S001');
    expect(text).toMatch(/Page 1 of \d+/);
    expect(text).toMatch(/Weight\s+56\.5\s+kg\s+✓ verified/);
    expect(text.replace(/\s+/g, ' ')).toContain('meaning: I confirm that the data in this casebook are accurate and complete');
  });

  it('the whole study: one casebook after another, each numbered on its own; an unknown subject is a clear error', async () => {
    const out = join(t.dir, 'study.pdf');
    await casebookPdf({ db: t.dbFile, all: true, out, lang: 'zh' });
    expect(pdfText(out)).toContain('受试者 KM01-S001');
    await expect(casebookPdf({ db: t.dbFile, subject: 'KM01-S999', out, lang: 'zh' })).rejects.toThrow(/KM01-S999/);
    await expect(casebookPdf({ db: t.dbFile, out, lang: 'zh' })).rejects.toThrow(/--subject/);
  });
});

describe('ecrf crf pdf', () => {
  it('every form with each item’s OID, type, unit and ranges', async () => {
    const out = join(t.dir, 'crf.pdf');
    await annotatedCrfPdf({ out, lang: 'zh' });
    const text = pdfText(out);
    expect(text).toContain('实验室检查 · F.LAB');
    expect(text).toMatch(/血肌酐\s+IT\.LAB\.creatinine\s+number\s+µmol\/L\s+可信 10–3000 · 正常 41–97/);
    expect(text).toContain('IT.PHARM.productLot');
    expect(text).toMatch(/第 1 页 \/ 共 \d+ 页/);
  });
});

describe('glyphs a CJK font lacks', () => {
  it('superscript and subscript digits are written out (×10⁹/L, SpO₂)', () => {
    expect(printable('×10⁹/L')).toBe('×10^9/L');
    expect(printable('SpO₂ m²')).toBe('SpO2 m²');
  });
});
