// `ecrf sponsor report` against a hand-computed table: a synthetic study whose counts were chosen by hand
// (testing/sponsorStudy.ts handCountedStudy: 9/12 vs 5/6 remission), the exact intervals against published values
// (R's binom.test gives the same), and the command line end to end (text, CSV, HTML with its chart).
import Database from 'better-sqlite3-multiple-ciphers';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli } from '../testing/cli';
import { allocationText, handCountedStudy, syntheticSponsorDb } from '../testing/sponsorStudy';
import { tempDir } from '../testing/tempDir';
import { clopperPearson, endpointReport, parseAllocation, reportCsv, reportHtml, reportText } from './sponsorReport';

let dir: string;
let file: string;
let cleanup: () => void;

beforeAll(() => {
  ({ dir, cleanup } = tempDir('sponsor-report-'));
  file = join(dir, 'sponsor.db');
  syntheticSponsorDb(file, handCountedStudy()).close();
});
afterAll(() => cleanup());

describe('the exact (Clopper-Pearson) 95% interval', () => {
  it('matches the published values', () => {
    const close = (x: number, n: number, lower: number, upper: number) => {
      const ci = clopperPearson(x, n)!;
      expect(ci.lower).toBeCloseTo(lower, 4);
      expect(ci.upper).toBeCloseTo(upper, 4);
    };
    close(9, 12, 0.4281, 0.9451);
    close(5, 6, 0.3588, 0.9958);
    close(14, 18, 0.5236, 0.9359);
    close(0, 5, 0, 0.5218);
    close(5, 5, 0.4782, 1);
    close(1, 2, 0.0126, 0.9874);
    expect(clopperPearson(0, 0)).toBeNull();
  });
});

describe('the primary endpoint table from the sponsor database', () => {
  it('overall: the confirmed categories of record; no confirmation (or a withdrawn one) counts as not evaluable, never as a remission', () => {
    const db = new Database(file, { readonly: true });
    const r = endpointReport(db);
    db.close();
    expect(r.groups).toHaveLength(1);
    expect(r.groups[0]).toMatchObject({ n: 18, counts: { complete: 7, partial: 7, none: 1, not_evaluable: 3 }, unconfirmed: 2, withdrawn: 1, remission: 14 });
    expect(r.groups[0]!.ci!.lower).toBeCloseTo(0.5236, 4);
  });

  it('by arm only with the allocation list: 9/12 vs 5/6', () => {
    const db = new Database(file, { readonly: true });
    const r = endpointReport(db, parseAllocation(allocationText(handCountedStudy())));
    db.close();
    const [overall, msc, placebo] = r.groups;
    expect(overall!.remission).toBe(14);
    expect(msc).toMatchObject({ arm: 'MSC', n: 12, counts: { complete: 5, partial: 4, none: 1, not_evaluable: 2 }, unconfirmed: 1, withdrawn: 1, remission: 9 });
    expect(placebo).toMatchObject({ arm: 'PLACEBO', n: 6, counts: { complete: 2, partial: 3, none: 0, not_evaluable: 1 }, unconfirmed: 1, withdrawn: 0, remission: 5 });
    expect(msc!.ci!.lower).toBeCloseTo(0.4281, 4);
    expect(msc!.ci!.upper).toBeCloseTo(0.9451, 4);
    expect(placebo!.ci!.lower).toBeCloseTo(0.3588, 4);
    expect(placebo!.ci!.upper).toBeCloseTo(0.9958, 4);
    expect(r.unallocated).toEqual([]);

    const text = reportText(r);
    expect(text).toMatch(/Remission \(complete \+ partial\)\s+14 \(77\.8%\)\s+9 \(75\.0%\)\s+5 \(83\.3%\)/);
    expect(text).toMatch(/95% CI \(exact Clopper-Pearson\)\s+52\.4–93\.6%\s+42\.8–94\.5%\s+35\.9–99\.6%/);
    const csv = reportCsv(r).trim().split('\n');
    expect(csv[0]).toBe('group,arm,category,label_zh,label_en,n,denominator,percent,ci95_lower,ci95_upper');
    expect(csv).toContain('hUC-MSC,MSC,remission,缓解（完全 + 部分）,Remission (complete + partial),9,12,75.0,0.4281,0.9451');
    expect(csv).toContain('Placebo,PLACEBO,not_evaluable,无法评估,Not evaluable,1,6,16.7,,');
    const html = reportHtml(r);
    expect(html).toContain('<svg');
    expect((html.match(/<rect /g) ?? []).length).toBeGreaterThanOrEqual(3 * 3); // stacked bars of three groups
    expect(html).toContain('remission 9/12, 95% CI 42.8–94.5%');
  });

  it('names randomisation numbers the allocation list lacks, and refuses a file that is not the list', () => {
    const db = new Database(file, { readonly: true });
    const partial = allocationText(handCountedStudy()).split('\n').filter((l) => !l.startsWith('R018,')).join('\n');
    expect(endpointReport(db, parseAllocation(partial)).unallocated).toEqual(['R018']);
    db.close();
    expect(() => parseAllocation('hello,world\n1,2\n')).toThrow(/rand_no and allocation/);
  });

  it('runs as `ecrf sponsor report --db --allocation --out`: prints the table, writes the CSV and the HTML page', async () => {
    const { cli, remove } = await buildCli();
    try {
      writeFileSync(join(dir, 'allocation.csv'), allocationText(handCountedStudy()));
      const out = join(dir, 'report');
      const r = await runCli(cli, ['sponsor', 'report', '--db', file, '--allocation', join(dir, 'allocation.csv'), '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('Primary endpoint: renal response at Month 6');
      expect(r.stdout).toMatch(/hUC-MSC/);
      expect(readFileSync(join(out, 'primary-endpoint.csv'), 'utf8')).toContain('Overall,,remission,');
      expect(readFileSync(join(out, 'primary-endpoint.html'), 'utf8')).toContain('<svg');
      const blind = await runCli(cli, ['sponsor', 'report', '--db', file, '--out', out]);
      expect(blind.code).toBe(0);
      expect(blind.stdout).not.toMatch(/hUC-MSC|Placebo/);
      const missing = await runCli(cli, ['sponsor', 'report', '--db', join(dir, 'nope.db')]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('does not exist');
    } finally {
      remove();
    }
  }, 120_000);
});
