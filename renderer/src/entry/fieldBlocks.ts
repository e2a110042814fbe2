// Screen layout of a form: its visible fields cut into blocks, each a section of single fields or one grid (table).
import type { Bilingual, FieldDef, GridTable } from '../../../shared/protocol/types';

export interface SectionBlock {
  kind: 'section';
  title: Bilingual | null;
  fields: FieldDef[];
}

export interface GridColumn {
  label: Bilingual;
  /** Unit shown in the header: the unit of the column's fields when they all share one. */
  unit: string | undefined;
}

export interface GridRow {
  label: Bilingual;
  /** One entry per column; null where the row has no (visible) field in that column. */
  cells: (FieldDef | null)[];
}

export interface GridBlock {
  kind: 'grid';
  table: GridTable;
  columns: GridColumn[];
  rows: GridRow[];
}

export type FieldBlock = SectionBlock | GridBlock;

const sameText = (a: Bilingual | null | undefined, b: Bilingual | null | undefined) => (a?.zh ?? null) === (b?.zh ?? null) && (a?.en ?? null) === (b?.en ?? null);

/** Index of `label` in `list` (by text), appending it when new. */
function slot<T extends { label: Bilingual }>(list: T[], label: Bilingual, make: () => T): number {
  const at = list.findIndex((x) => sameText(x.label, label));
  if (at >= 0) return at;
  list.push(make());
  return list.length - 1;
}

/**
 * Consecutive fields of the same grid table become one grid block (rows and columns in order of first appearance);
 * the other fields are grouped by consecutive section heading, as before. Field order within the form is kept.
 */
export function fieldBlocks(fields: FieldDef[]): FieldBlock[] {
  const blocks: FieldBlock[] = [];
  for (const f of fields) {
    const last = blocks[blocks.length - 1];
    if (f.grid) {
      const grid = f.grid;
      let block: GridBlock;
      if (last?.kind === 'grid' && last.table.id === grid.table.id) block = last;
      else {
        block = { kind: 'grid', table: grid.table, columns: [], rows: [] };
        blocks.push(block);
      }
      const c = slot(block.columns, grid.col, () => ({ label: grid.col, unit: f.unit }));
      const column = block.columns[c]!;
      if (column.unit !== f.unit) column.unit = undefined;
      const r = slot(block.rows, grid.row, () => ({ label: grid.row, cells: [] }));
      const row = block.rows[r]!;
      if (row.cells[c]) throw new Error(`grid ${grid.table.id}: ${row.cells[c]!.id} and ${f.id} share a cell`);
      row.cells[c] = f;
      continue;
    }
    const title = f.section ?? null;
    if (last?.kind === 'section' && sameText(last.title, title)) last.fields.push(f);
    else blocks.push({ kind: 'section', title, fields: [f] });
  }
  for (const b of blocks) if (b.kind === 'grid') for (const row of b.rows) row.cells = b.columns.map((_, i) => row.cells[i] ?? null);
  return blocks;
}
