// The printed casebook reads a yes/no derived value (remission, each response rule) as 是 / 否, never as 1 / 0.
import { describe, expect, it } from 'vitest';
import type { CasebookPrint } from '../api/calls/print';
import { buildCasebookDoc } from './casebookDoc';
import type { ItemRow } from './printDoc';

/** A subject with only an M6 LAB and its RESPONSE: creatinine 85 vs baseline missing, protein 0.37. */
function printOf(lab: Record<string, unknown>): CasebookPrint {
  const form = (visitCode: string, formCode: string, data: Record<string, unknown>) => ({
    visitCode, formCode, repeatKey: 0, status: 'complete', version: 1, updatedAtLocal: '2026-12-01 10:00', updatedBy: 'nurse', data, verifiedItems: [], openQueries: 0,
  });
  return {
    generatedAtLocal: '2026-12-08 10:00',
    generatedBy: 'test',
    subject: { id: 1, screeningNo: 'KM01-S001', randNo: 'R001', kitNo: null, status: 'randomised', statusDate: null, statusReason: null, statusNote: null, createdAtUtc: '2026-05-01T00:00:00Z' },
    forms: [
      form('SCR', 'LAB', { collectionDate: '2026-05-20', creatinine: 80, urineRbc: 3, urineProtein24h: 3.5 }),
      form('M6', 'LAB', { collectionDate: '2026-11-28', ...lab }),
      form('M6', 'RESPONSE', { assessmentDate: '2026-12-01', confirmed: false }),
    ],
    signatures: [],
    audit: [],
    withheld: 0,
  } as unknown as CasebookPrint;
}

const rowsOf = (p: CasebookPrint, lang: 'zh-CN' | 'en'): ItemRow[] =>
  buildCasebookDoc(p, lang).blocks.flatMap((b) => (b.kind === 'items' ? b.rows : []));

describe('casebook on paper: derived yes/no flags', () => {
  it('complete remission prints 缓解 是 and each rule 是; a failed rule prints 否 (English: yes / no)', () => {
    const zh = rowsOf(printOf({ creatinine: 85, urineRbc: 3, urineProtein24h: 0.37 }), 'zh-CN');
    expect(zh.find((r) => r.label.startsWith('缓解'))?.value).toBe('是');
    expect(zh.find((r) => r.label.startsWith('规则 1'))?.value).toBe('是');
    // Protein 1.2 g: rules 1-3 pass (partial), the complete step fails.
    const partial = rowsOf(printOf({ creatinine: 85, urineRbc: 3, urineProtein24h: 1.2 }), 'en');
    expect(partial.find((r) => r.label.startsWith('Remission'))?.value).toBe('yes');
    expect(partial.find((r) => r.label.startsWith('Complete:'))?.value).toBe('no');
    expect([...zh, ...partial].some((r) => r.note && (r.value === '1' || r.value === '0'))).toBe(false);
  });
});
