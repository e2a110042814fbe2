// `ecrf sponsor report`: the primary endpoint table from the sponsor database alone (PROTOCOL.md cross-form rule 10):
// renal response at Month 6 of every randomised subject, from the RESPONSE of record — the category the investigator
// confirmed (`recordCategory` where `confirmed` = 1 and no `recordWithdrawal`). Remission (complete + partial) with an
// exact 95% Clopper-Pearson interval (beta quantiles from @stdlib, never a normal approximation). Overall, and by arm
// only when given the allocation list the sponsor decrypted from the recovery copy at database lock.
//
// Counting: the population is every randomised subject (intention to treat: `subjects.rand_no` set). A subject without a
// confirmation of record — no Month 6 RESPONSE, not confirmed yet, or a confirmation withdrawn because an input changed
// after it — has no category of record: counted under "not evaluable" (and shown on a line of its own beneath), and
// never as a remission (non-responder). The rules' own current category (the derived `category`) is never used: only
// what the investigator confirmed is the endpoint of record.
import betaQuantile from '@stdlib/stats-base-dists-beta-quantile';
import type Database from 'better-sqlite3-multiple-ciphers';
import { fail } from '../errors';

export type Category = 'complete' | 'partial' | 'none' | 'not_evaluable';
export const CATEGORIES: readonly Category[] = ['complete', 'partial', 'none', 'not_evaluable'];
const LABELS: Record<Category | 'unconfirmed' | 'withdrawn' | 'remission' | 'total', { zh: string; en: string }> = {
  complete: { zh: '完全缓解', en: 'Complete remission' },
  partial: { zh: '部分缓解', en: 'Partial remission' },
  none: { zh: '未缓解', en: 'No remission' },
  not_evaluable: { zh: '无法评估', en: 'Not evaluable' },
  unconfirmed: { zh: '其中：无确认记录', en: 'of which: no confirmation of record' },
  withdrawn: { zh: '其中：确认已撤销', en: 'of which: confirmation withdrawn' },
  remission: { zh: '缓解（完全 + 部分）', en: 'Remission (complete + partial)' },
  total: { zh: '随机化受试者', en: 'Randomised subjects' },
};
const ARM_LABELS: Record<string, { zh: string; en: string }> = {
  MSC: { zh: 'hUC-MSC 组', en: 'hUC-MSC' },
  PLACEBO: { zh: '安慰剂组', en: 'Placebo' },
};

/**
 * The endpoint of record of every randomised subject, one row each (README "Sponsor database", worked query 1, is the
 * same SQL): `category` is the confirmed category, or 'not_confirmed' when there is no confirmation of record.
 */
export const ENDPOINT_OF_RECORD_SQL = `
SELECT s.site, s.screening_no, s.rand_no,
       CASE WHEN r.confirmed = 1 AND r.recordWithdrawal IS NULL AND r.recordCategory IS NOT NULL
            THEN r.recordCategory ELSE 'not_confirmed' END AS category,
       r.confirmed = 0 AND r.recordWithdrawal IS NOT NULL AS withdrawn
  FROM subjects s
  LEFT JOIN response r ON r.site = s.site AND r.screening_no = s.screening_no AND r.visit_code = 'M6' AND r.repeat_key = 0
 WHERE s.rand_no IS NOT NULL
 ORDER BY s.site, s.screening_no`;

export interface Interval {
  lower: number;
  upper: number;
}

/** Exact (Clopper-Pearson) two-sided interval for x successes in n trials; null when n is 0. */
export function clopperPearson(x: number, n: number, level = 0.95): Interval | null {
  if (n === 0) return null;
  const a = (1 - level) / 2;
  return { lower: x === 0 ? 0 : betaQuantile(a, x, n - x + 1), upper: x === n ? 1 : betaQuantile(1 - a, x + 1, n - x) };
}

export interface GroupCounts {
  arm: string | null;
  label: { zh: string; en: string };
  n: number;
  counts: Record<Category, number>;
  /** Counted under not_evaluable: no confirmation of record (of which `withdrawn` had one withdrawn). */
  unconfirmed: number;
  withdrawn: number;
  remission: number;
  ci: Interval | null;
}

export interface EndpointReport {
  generatedUtc: string;
  sites: string[];
  groups: GroupCounts[];
  /** Randomised subjects whose randomisation number the allocation list lacks (by arm only). */
  unallocated: string[];
}

/** The allocation list as decrypted from the recovery copy: '#' comment lines, then CSV rand_no,kit_no,block_no,allocation. */
export function parseAllocation(text: string): Map<string, string> {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() && !l.startsWith('#'));
  const header = (lines.shift() ?? '').split(',').map((h) => h.trim());
  const randAt = header.indexOf('rand_no');
  const armAt = header.indexOf('allocation');
  if (randAt < 0 || armAt < 0) {
    fail('VALIDATION', '分配表格式不符：需要 rand_no 与 allocation 两列（ecrf randomisation recovery-copy 解密所得）', 'the allocation file needs the columns rand_no and allocation (as decrypted from `ecrf randomisation recovery-copy`)');
  }
  const map = new Map<string, string>();
  for (const line of lines) {
    const cells = line.split(',').map((c) => c.trim());
    if (cells[randAt] && cells[armAt]) map.set(cells[randAt], cells[armAt]);
  }
  return map;
}

function group(arm: string | null, label: { zh: string; en: string }, rows: { category: string; withdrawn: number | null }[]): GroupCounts {
  const counts: Record<Category, number> = { complete: 0, partial: 0, none: 0, not_evaluable: 0 };
  let unconfirmed = 0;
  let withdrawn = 0;
  for (const r of rows) {
    if ((CATEGORIES as readonly string[]).includes(r.category)) counts[r.category as Category]++;
    else {
      counts.not_evaluable++;
      unconfirmed++;
      if (r.withdrawn === 1) withdrawn++;
    }
  }
  const remission = counts.complete + counts.partial;
  return { arm, label, n: rows.length, counts, unconfirmed, withdrawn, remission, ci: clopperPearson(remission, rows.length) };
}

export function endpointReport(db: Database.Database, allocation?: Map<string, string>): EndpointReport {
  const hasResponse = Boolean(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'response'").get());
  if (!hasResponse || !db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'subjects'").get()) {
    fail('VALIDATION', '申办方数据库中没有受试者或 RESPONSE 表：请先导入数据包', 'the sponsor database has no subjects or response table: import a bundle first');
  }
  const rows = db.prepare(ENDPOINT_OF_RECORD_SQL).all() as { site: string; rand_no: string; category: string; withdrawn: number | null }[];
  const groups = [group(null, { zh: '全部', en: 'Overall' }, rows)];
  const unallocated: string[] = [];
  if (allocation) {
    const arms = [...new Set(allocation.values())].sort();
    for (const arm of arms) groups.push(group(arm, ARM_LABELS[arm] ?? { zh: arm, en: arm }, rows.filter((r) => allocation.get(r.rand_no) === arm)));
    for (const r of rows) if (!allocation.has(r.rand_no)) unallocated.push(r.rand_no);
  }
  const sites = db.prepare('SELECT DISTINCT site FROM subjects ORDER BY site').pluck().all() as string[];
  return { generatedUtc: new Date().toISOString(), sites, groups, unallocated };
}

const pct = (k: number, n: number) => (n ? `${((100 * k) / n).toFixed(1)}%` : '–');
const ciText = (ci: Interval | null) => (ci ? `${(100 * ci.lower).toFixed(1)}–${(100 * ci.upper).toFixed(1)}%` : '–');

/** The table as lines of text (both languages), one column per group. */
export function reportText(r: EndpointReport): string {
  const head = ['', ...r.groups.map((g) => `${g.label.zh} / ${g.label.en}`)];
  const row = (label: { zh: string; en: string }, cell: (g: GroupCounts) => string) => [`${label.zh} / ${label.en}`, ...r.groups.map(cell)];
  const body = [
    row(LABELS.total, (g) => `N = ${g.n}`),
    ...CATEGORIES.map((c) => row(LABELS[c], (g) => `${g.counts[c]} (${pct(g.counts[c], g.n)})`)),
    row(LABELS.unconfirmed, (g) => String(g.unconfirmed)),
    row(LABELS.withdrawn, (g) => String(g.withdrawn)),
    row(LABELS.remission, (g) => `${g.remission} (${pct(g.remission, g.n)})`),
    row({ zh: '95% 置信区间（Clopper-Pearson 精确法）', en: '95% CI (exact Clopper-Pearson)' }, (g) => ciText(g.ci)),
  ];
  // A Chinese character takes two columns of a terminal.
  const cols = (s: string) => [...s].reduce((n, ch) => n + (ch.codePointAt(0)! >= 0x2e80 ? 2 : 1), 0);
  const widths = head.map((_, i) => Math.max(...[head, ...body].map((l) => cols(l[i]!))));
  const line = (cells: string[]) => cells.map((c, i) => c + ' '.repeat(widths[i]! - cols(c))).join('  ').trimEnd();
  return [
    '主要终点：第 6 个月肾脏缓解（已确认的终点记录） / Primary endpoint: renal response at Month 6 (confirmed endpoint of record)',
    `中心 / sites: ${r.sites.join(', ') || '–'}; 生成 / generated ${r.generatedUtc}`,
    '',
    line(head),
    ...body.map(line),
    '',
    '无确认记录者计为“无法评估”，不计为缓解。 / A subject without a confirmation of record counts as not evaluable, never as a remission.',
    ...(r.unallocated.length ? [`分配表中没有的随机号 / randomisation numbers missing from the allocation list: ${r.unallocated.join(', ')}`] : []),
  ].join('\n');
}

/** One row per group and category: group, arm, category, label_zh, label_en, n, denominator, percent, ci_lower, ci_upper. */
export function reportCsv(r: EndpointReport): string {
  const out = [['group', 'arm', 'category', 'label_zh', 'label_en', 'n', 'denominator', 'percent', 'ci95_lower', 'ci95_upper'].join(',')];
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  for (const g of r.groups) {
    const put = (category: string, label: { zh: string; en: string }, n: number, ci: Interval | null = null) =>
      out.push([g.label.en, g.arm ?? '', category, label.zh, label.en, n, g.n, g.n ? ((100 * n) / g.n).toFixed(1) : '', ci ? ci.lower.toFixed(4) : '', ci ? ci.upper.toFixed(4) : ''].map((c) => q(String(c))).join(','));
    for (const c of CATEGORIES) put(c, LABELS[c], g.counts[c]);
    put('not_evaluable_unconfirmed', LABELS.unconfirmed, g.unconfirmed);
    put('not_evaluable_withdrawn', LABELS.withdrawn, g.withdrawn);
    put('remission', LABELS.remission, g.remission, g.ci);
  }
  return `${out.join('\n')}\n`;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const COLOURS: Record<Category, string> = { complete: '#1b7837', partial: '#7fbf7b', none: '#c2a5cf', not_evaluable: '#bdbdbd' };

/** A stacked bar per group (share of each category), and the remission rate with its interval as a whisker. */
function barChart(r: EndpointReport): string {
  const barW = 90;
  const gap = 60;
  const h = 260;
  const top = 20;
  const left = 50;
  const width = left + r.groups.length * (barW + gap) + 220;
  const y = (p: number) => top + h * (1 - p);
  const parts: string[] = [];
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<line x1="${left - 5}" x2="${left + r.groups.length * (barW + gap)}" y1="${y(t)}" y2="${y(t)}" stroke="#ddd"/>`);
    parts.push(`<text x="${left - 8}" y="${y(t) + 4}" text-anchor="end" font-size="11">${t * 100}%</text>`);
  }
  r.groups.forEach((g, i) => {
    const x = left + gap / 2 + i * (barW + gap);
    let acc = 0;
    for (const c of CATEGORIES) {
      const share = g.n ? g.counts[c] / g.n : 0;
      if (share > 0) {
        parts.push(`<rect x="${x}" y="${y(acc + share)}" width="${barW}" height="${h * share}" fill="${COLOURS[c]}"><title>${esc(`${LABELS[c].en}: ${g.counts[c]} / ${g.n}`)}</title></rect>`);
      }
      acc += share;
    }
    if (g.ci) {
      const cx = x + barW + 12;
      parts.push(`<line x1="${cx}" x2="${cx}" y1="${y(g.ci.upper)}" y2="${y(g.ci.lower)}" stroke="#000"/>`);
      parts.push(`<line x1="${cx - 4}" x2="${cx + 4}" y1="${y(g.ci.upper)}" y2="${y(g.ci.upper)}" stroke="#000"/><line x1="${cx - 4}" x2="${cx + 4}" y1="${y(g.ci.lower)}" y2="${y(g.ci.lower)}" stroke="#000"/>`);
      parts.push(`<circle cx="${cx}" cy="${y(g.remission / g.n)}" r="3.5" fill="#000"><title>${esc(`remission ${g.remission}/${g.n}, 95% CI ${ciText(g.ci)}`)}</title></circle>`);
    }
    parts.push(`<text x="${x + barW / 2}" y="${top + h + 18}" text-anchor="middle" font-size="12">${esc(g.label.zh)}</text>`);
    parts.push(`<text x="${x + barW / 2}" y="${top + h + 33}" text-anchor="middle" font-size="12">${esc(`${g.label.en} (N = ${g.n})`)}</text>`);
  });
  const lx = left + r.groups.length * (barW + gap) + 10;
  CATEGORIES.forEach((c, i) => {
    parts.push(`<rect x="${lx}" y="${top + i * 22}" width="14" height="14" fill="${COLOURS[c]}"/>`);
    parts.push(`<text x="${lx + 20}" y="${top + i * 22 + 12}" font-size="12">${esc(`${LABELS[c].zh} ${LABELS[c].en}`)}</text>`);
  });
  parts.push(`<line x1="${lx + 7}" x2="${lx + 7}" y1="${top + 92}" y2="${top + 112}" stroke="#000"/><circle cx="${lx + 7}" cy="${top + 102}" r="3.5"/>`);
  parts.push(`<text x="${lx + 20}" y="${top + 106}" font-size="12">缓解率及 95% CI / remission, 95% CI</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Renal response by group" width="${width}" height="${top + h + 45}" viewBox="0 0 ${width} ${top + h + 45}">${parts.join('')}</svg>`;
}

export function reportHtml(r: EndpointReport): string {
  const cell = (s: string) => `<td>${esc(s)}</td>`;
  const row = (label: { zh: string; en: string }, f: (g: GroupCounts) => string, cls = '') =>
    `<tr${cls ? ` class="${cls}"` : ''}><th>${esc(label.zh)}<br><span class="en">${esc(label.en)}</span></th>${r.groups.map((g) => cell(f(g))).join('')}</tr>`;
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>主要终点 / Primary endpoint</title>
<style>body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}
td,th{border:1px solid #ccc;padding:.35em .7em;text-align:right}th{text-align:left;font-weight:normal}thead th{font-weight:bold;text-align:center}
.en{color:#666;font-size:.9em}tr.sub th{padding-left:2em}tr.key td{font-weight:bold}</style></head><body>
<h1>主要终点：第 6 个月肾脏缓解<br><span class="en">Primary endpoint: renal response at Month 6</span></h1>
<p>已确认的终点记录（RESPONSE：研究者确认且未撤销的类别）。中心：${esc(r.sites.join(', ') || '–')}；生成于 ${esc(r.generatedUtc)}。<br>
<span class="en">The confirmed endpoint of record (RESPONSE: the category the investigator confirmed, not withdrawn). Sites: ${esc(r.sites.join(', ') || '–')}; generated ${esc(r.generatedUtc)}.</span></p>
<table><thead><tr><th></th>${r.groups.map((g) => `<th>${esc(g.label.zh)}<br><span class="en">${esc(g.label.en)}</span></th>`).join('')}</tr></thead><tbody>
${row(LABELS.total, (g) => `N = ${g.n}`)}
${CATEGORIES.map((c) => row(LABELS[c], (g) => `${g.counts[c]} (${pct(g.counts[c], g.n)})`)).join('\n')}
${row(LABELS.unconfirmed, (g) => String(g.unconfirmed), 'sub')}
${row(LABELS.withdrawn, (g) => String(g.withdrawn), 'sub')}
${row(LABELS.remission, (g) => `${g.remission} (${pct(g.remission, g.n)})`, 'key')}
${row({ zh: '95% 置信区间（Clopper-Pearson 精确法）', en: '95% CI (exact Clopper-Pearson)' }, (g) => ciText(g.ci))}
</tbody></table>
${barChart(r)}
<p>无确认记录（未确认、或因输入值更改而撤销确认）者计为“无法评估”，不计为缓解。<br><span class="en">A subject without a confirmation of record (not confirmed, or withdrawn because an input changed) counts as not evaluable, never as a remission.</span></p>
${r.unallocated.length ? `<p>分配表中没有的随机号 / randomisation numbers missing from the allocation list: ${esc(r.unallocated.join(', '))}</p>` : ''}
</body></html>
`;
}
