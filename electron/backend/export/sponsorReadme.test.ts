// The README's two worked queries on the sponsor database (section "The sponsor database"), run as written on the
// hand-counted synthetic study, must print exactly the output the README shows (as `sqlite3 -header` prints it), and the
// endpoint table must agree with `ecrf sponsor report`.
import Database from 'better-sqlite3-multiple-ciphers';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handCountedStudy, syntheticSponsorDb } from '../testing/sponsorStudy';
import { tempDir } from '../testing/tempDir';
import { endpointReport } from './sponsorReport';

const README = readFileSync(resolve(__dirname, '../../../README.md'), 'utf8');
let db: Database.Database;
let cleanup: () => void;

beforeAll(() => {
  const t = tempDir('sponsor-readme-');
  cleanup = t.cleanup;
  syntheticSponsorDb(join(t.dir, 'sponsor.db'), handCountedStudy()).close();
  db = new Database(join(t.dir, 'sponsor.db'), { readonly: true });
});
afterAll(() => {
  db.close();
  cleanup();
});

/** The sql blocks of the README's sponsor database section, each with the text block that follows it. */
function workedQueries(): { sql: string; output: string }[] {
  const start = README.indexOf('## The sponsor database');
  const section = README.slice(start, README.indexOf('\n## ', start + 5));
  const blocks = [...section.matchAll(/```(sql|text)\n([\s\S]*?)```/g)].map((m) => ({ kind: m[1]!, body: m[2]! }));
  const out: { sql: string; output: string }[] = [];
  for (let i = 0; i + 1 < blocks.length; i++) if (blocks[i]!.kind === 'sql' && blocks[i + 1]!.kind === 'text') out.push({ sql: blocks[i]!.body, output: blocks[i + 1]!.body });
  return out;
}

/** A value as the sqlite3 shell prints it: NULL empty, a REAL with an integral value with its ".0". */
const cell = (v: unknown, type: string) => (v === null ? '' : type === 'real' && Number.isInteger(v) ? (v as number).toFixed(1) : String(v));

function shell(sql: string): string {
  const statement = db.prepare(sql);
  const columns = statement.columns().map((c) => c.name);
  // typeof() of each cell tells a REAL 86.0 from an INTEGER 86, as the shell does.
  const typed = db.prepare(`SELECT ${columns.map((c) => `typeof("${c}")`).join(', ')} FROM (${sql.replace(/;\s*$/, '')})`).raw();
  const types = typed.all() as string[][];
  const rows = (statement.raw().all() as unknown[][]).map((r, i) => r.map((v, j) => cell(v, types[i]![j]!)).join('|'));
  return `${[columns.join('|'), ...rows].join('\n')}\n`;
}

describe('the README’s worked SQL on the sponsor database', () => {
  it('has the two queries, each with its output', () => {
    const q = workedQueries();
    expect(q).toHaveLength(2);
    expect(q[0]!.sql).toMatch(/primary endpoint/i);
    expect(q[1]!.sql).toMatch(/eGFR/);
  });

  it('the endpoint table prints what the README shows, and agrees with `ecrf sponsor report`', () => {
    const [endpoint] = workedQueries();
    expect(shell(endpoint!.sql)).toBe(endpoint!.output);
    const r = endpointReport(db).groups[0]!;
    const n = Object.fromEntries((db.prepare(endpoint!.sql).all() as { category: string; n: number }[]).map((x) => [x.category, x.n]));
    expect(n).toEqual(r.counts);
  });

  it('eGFR over time prints what the README shows', () => {
    const [, egfr] = workedQueries();
    expect(shell(egfr!.sql)).toBe(egfr!.output);
  });
});
