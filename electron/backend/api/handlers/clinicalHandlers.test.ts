// Tests of clinical.casebook: the saved forms come back as stored, and nothing that reveals the allocation does.
import { afterEach, describe, expect, it } from 'vitest';
import { testBackend, type TestBackend } from '../../testing/fixtures';
import { blindedCasebook } from './clinicalHandlers';

// A consented subject with screening and Month 6 labs (the renderer's worked subject, trimmed: the back end may not import renderer code).
const SEED = [
  { visitCode: 'SCR', formCode: 'CONSENT', data: { consentDate: '2026-03-02', consentVersion: 'V2.0', signedBy: 'patient', copyGiven: true } },
  { visitCode: 'SCR', formCode: 'LAB', data: { collectionDate: '2026-03-03', wbc: 5.2, creatinine: 88, urineRbc: 25, urineProtein24h: 3.6 } },
  { visitCode: 'M6', formCode: 'LAB', data: { collectionDate: '2026-09-14', wbc: 5.5, creatinine: 95, urineRbc: 4, urineProtein24h: 1.2 } },
];

let tb: TestBackend | null = null;
afterEach(() => {
  tb?.cleanup();
  tb = null;
});

describe('blindedCasebook', () => {
  it('drops the RAND allocation and UNBLIND forms, keeps the rest', () => {
    const out = blindedCasebook([
      { visitCode: 'D0', formCode: 'RAND', repeatKey: 0, data: { randNo: 'R001', kitNo: 'K-017', allocation: 'MSC' } },
      { visitCode: 'LOG', formCode: 'UNBLIND', repeatKey: 0, data: { reason: 'x', allocation: 'PLACEBO' } },
      { visitCode: 'SCR', formCode: 'LAB', repeatKey: 0, data: { creatinine: 88 } },
    ]);
    expect(out).toEqual([
      { visitCode: 'D0', formCode: 'RAND', repeatKey: 0, data: { randNo: 'R001', kitNo: 'K-017' } },
      { visitCode: 'SCR', formCode: 'LAB', repeatKey: 0, data: { creatinine: 88 } },
    ]);
  });
});

describe('clinical.casebook', () => {
  it('returns the saved screening and follow-up forms of a real SQLite casebook to any role', async () => {
    tb = await testBackend();
    const { key: nurse } = await tb.login('data_entry', 'nurse1');
    const created = await tb.call('subjects.create', {}, nurse);
    if (!created.ok) throw new Error(created.error.message.en);
    const subjectId = (created.value as { id: number }).id;
    for (const f of SEED) {
      const r = await tb.call('forms.save', { subjectId, visitCode: f.visitCode, formCode: f.formCode, data: f.data, expectedVersion: 0 }, nurse);
      if (!r.ok) throw new Error(`${f.visitCode} ${f.formCode}: ${JSON.stringify(r.error)}`);
    }
    const { key: monitor } = await tb.login('monitor', 'monitor1');
    const res = await tb.call('clinical.casebook', { subjectId }, monitor);
    expect(res.ok).toBe(true);
    const casebook = (res as { value: { visitCode: string; formCode: string; data: Record<string, unknown> }[] }).value;
    expect(casebook).toHaveLength(SEED.length);
    const m6 = casebook.find((f) => f.visitCode === 'M6' && f.formCode === 'LAB');
    expect(m6?.data).toMatchObject({ creatinine: 95, urineRbc: 4, urineProtein24h: 1.2 });
    const consent = casebook.find((f) => f.formCode === 'CONSENT') as unknown as { updatedAt: string };
    expect(consent.updatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect((m6 as unknown as { updatedAt: string }).updatedAt >= consent.updatedAt).toBe(true);
  });

  it('refuses an unknown subject with NOT_FOUND', async () => {
    tb = await testBackend();
    const { key } = await tb.login('admin');
    const res = await tb.call('clinical.casebook', { subjectId: 999 }, key);
    expect(res.ok).toBe(false);
    expect(!res.ok && res.error.code).toBe('NOT_FOUND');
  });
});
