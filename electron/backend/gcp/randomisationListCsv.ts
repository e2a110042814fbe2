// Parses an imported sealed list: CSV with a header naming rand_no, kit_no, allocation (block_no optional), one
// entry per line; every problem is reported with its line number, in Chinese and English, and nothing is imported.
import type { ValidationIssue } from '../../../shared/protocol/types';
import { fail } from '../errors';
import { MAX_LIST_SIZE, type Allocation, type ListEntry } from './permutedBlocks';

const RAND_NO = /^R[0-9]{3,5}$/;
const KIT_NO = /^[A-Za-z0-9-]{1,20}$/;
const MAX_REPORTED = 20;

/** Column names accepted for each field (compared without case, spaces, '_' or '-'). */
const COLUMNS = { randNo: ['randno'], kitNo: ['kitno'], allocation: ['allocation', 'arm'], blockNo: ['blockno', 'block'] } as const;
const norm = (s: string) => s.trim().replace(/^"|"$/g, '').toLowerCase().replace(/[\s_-]/g, '');

function splitLine(line: string): string[] {
  return line.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1').trim());
}

export function parseListCsv(text: string): ListEntry[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const problems: ValidationIssue[] = [];
  const problem = (line: number, zh: string, en: string) => {
    problems.push({ checkId: `randomisation.import.line${line}`, fieldId: 'csv', severity: 'error', message: { zh: `第 ${line} 行：${zh}`, en: `Line ${line}: ${en}` } });
  };
  const headerAt = lines.findIndex((l) => l.trim() !== '');
  const header = headerAt >= 0 ? splitLine(lines[headerAt]!).map(norm) : [];
  const col = (names: readonly string[]) => header.findIndex((h) => names.includes(h));
  const [r, k, a, b] = [col(COLUMNS.randNo), col(COLUMNS.kitNo), col(COLUMNS.allocation), col(COLUMNS.blockNo)];
  if (r < 0 || k < 0 || a < 0) {
    fail('VALIDATION', '随机表表头须包含 rand_no、kit_no、allocation 三列', 'The list header must name the columns rand_no, kit_no, allocation');
  }
  const entries: ListEntry[] = [];
  const seenRand = new Map<string, number>();
  const seenKit = new Map<string, number>();
  for (let i = headerAt + 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const line = i + 1;
    const cells = splitLine(raw);
    const randNo = (cells[r] ?? '').toUpperCase();
    const kitNo = cells[k] ?? '';
    const allocation = (cells[a] ?? '').toUpperCase();
    const blockText = b >= 0 ? (cells[b] ?? '') : '';
    let ok = true;
    if (!RAND_NO.test(randNo)) {
      problem(line, `随机号「${randNo}」格式应为 R001（R 加 3–5 位数字）`, `randomisation number "${randNo}" must look like R001 (R and 3-5 digits)`);
      ok = false;
    } else if (seenRand.has(randNo)) {
      problem(line, `随机号 ${randNo} 与第 ${seenRand.get(randNo)} 行重复`, `randomisation number ${randNo} repeats line ${seenRand.get(randNo)}`);
      ok = false;
    }
    if (!KIT_NO.test(kitNo)) {
      problem(line, `药物编号「${kitNo}」只能含字母、数字和“-”（1–20 位）`, `kit number "${kitNo}" may hold letters, digits and "-" only (1-20)`);
      ok = false;
    } else if (seenKit.has(kitNo.toUpperCase())) {
      problem(line, `药物编号 ${kitNo} 与第 ${seenKit.get(kitNo.toUpperCase())} 行重复`, `kit number ${kitNo} repeats line ${seenKit.get(kitNo.toUpperCase())}`);
      ok = false;
    }
    if (allocation !== 'MSC' && allocation !== 'PLACEBO') {
      problem(line, `分组「${cells[a] ?? ''}」只能是 MSC 或 PLACEBO`, `allocation "${cells[a] ?? ''}" must be MSC or PLACEBO`);
      ok = false;
    }
    const blockNo = blockText === '' ? 0 : Number(blockText);
    if (!Number.isInteger(blockNo) || blockNo < 0) {
      problem(line, `区组号「${blockText}」应为非负整数`, `block number "${blockText}" must be a whole number`);
      ok = false;
    }
    if (!ok) continue;
    seenRand.set(randNo, line);
    seenKit.set(kitNo.toUpperCase(), line);
    entries.push({ randNo, kitNo, allocation: allocation as Allocation, blockNo });
  }
  if (problems.length) {
    const shown = problems.slice(0, MAX_REPORTED);
    fail(
      'VALIDATION',
      `随机表未导入：${problems.length} 处错误。${shown[0]!.message.zh}`,
      `List not imported: ${problems.length} error(s). ${shown[0]!.message.en}`,
      shown,
    );
  }
  if (entries.length === 0) fail('VALIDATION', '随机表中没有任何条目', 'The list has no entries');
  if (entries.length > MAX_LIST_SIZE) fail('VALIDATION', `随机表最多 ${MAX_LIST_SIZE} 条`, `The list may hold at most ${MAX_LIST_SIZE} entries`);
  return entries;
}
