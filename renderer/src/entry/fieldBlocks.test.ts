// Form layout blocks: sections of single fields and grids (the INFUSION vital-signs table) from the field list.
import { describe, expect, it } from 'vitest';
import { FORMS } from '../../../shared/protocol/study';
import { bi, field, inGridRow, inSection } from '../../../shared/protocol/forms/fieldKit';
import type { GridTable } from '../../../shared/protocol/types';
import { fieldBlocks, type GridBlock } from './fieldBlocks';

const T: GridTable = { id: 't', title: bi('表', 'Table'), rowHeading: bi('行', 'Row') };
const COLS = [bi('甲', 'A'), bi('乙', 'B')];
const ids = (b: GridBlock) => b.rows.map((r) => r.cells.map((c) => c?.id ?? null));

describe('fieldBlocks', () => {
  it('groups consecutive fields by section heading, as the form screen always did', () => {
    const fields = [
      ...inSection(bi('一', 'One'), [field('a', 'text', 'a', 'a'), field('b', 'text', 'b', 'b')]),
      field('c', 'text', 'c', 'c'),
      ...inSection(bi('一', 'One'), [field('d', 'text', 'd', 'd')]),
    ];
    const blocks = fieldBlocks(fields);
    expect(blocks.map((b) => (b.kind === 'section' ? [b.title?.en ?? null, b.fields.map((f) => f.id)] : b.kind))).toEqual([
      ['One', ['a', 'b']],
      [null, ['c']],
      ['One', ['d']],
    ]);
  });

  it('puts consecutive fields of one table in a grid, rows and columns in order, whatever their sections', () => {
    const fields = [
      field('before', 'text', '前', 'before'),
      ...inGridRow(T, bi('一', 'r1'), COLS, inSection(bi('节1', 's1'), [field('r1a', 'integer', '1a', '1a', { unit: 'mmHg' }), field('r1b', 'number', '1b', '1b', { unit: '°C' })])),
      ...inGridRow(T, bi('二', 'r2'), COLS, inSection(bi('节2', 's2'), [field('r2a', 'integer', '2a', '2a', { unit: 'mmHg' }), field('r2b', 'number', '2b', '2b', { unit: '°C' })])),
      field('after', 'text', '后', 'after'),
    ];
    const blocks = fieldBlocks(fields);
    expect(blocks.map((b) => b.kind)).toEqual(['section', 'grid', 'section']);
    const grid = blocks[1] as GridBlock;
    expect(grid.table.id).toBe('t');
    expect(grid.columns).toEqual([
      { label: COLS[0], unit: 'mmHg' },
      { label: COLS[1], unit: '°C' },
    ]);
    expect(grid.rows.map((r) => r.label.en)).toEqual(['r1', 'r2']);
    expect(ids(grid)).toEqual([
      ['r1a', 'r1b'],
      ['r2a', 'r2b'],
    ]);
  });

  it('leaves an empty cell where a field is hidden and drops the header unit when a column mixes units', () => {
    const row1 = inGridRow(T, bi('一', 'r1'), COLS, [field('r1a', 'integer', '1a', '1a', { unit: 'mmHg' }), field('r1b', 'number', '1b', '1b', { unit: '°C' })]);
    const row2 = inGridRow(T, bi('二', 'r2'), COLS, [field('r2a', 'integer', '2a', '2a', { unit: 'kPa' }), field('r2b', 'number', '2b', '2b', { unit: '°C' })]);
    const grid = fieldBlocks([row1[1]!, row2[0]!, row2[1]!])[0] as GridBlock;
    // Column B came first (row 1 had only B visible): column order follows first appearance.
    expect(grid.columns.map((c) => [c.label.en, c.unit])).toEqual([
      ['B', '°C'],
      ['A', 'kPa'],
    ]);
    expect(ids(grid)).toEqual([
      ['r1b', null],
      ['r2b', 'r2a'],
    ]);
    const mixed = fieldBlocks([...row1, ...row2])[0] as GridBlock;
    expect(mixed.columns.map((c) => c.unit)).toEqual([undefined, '°C']);
  });

  it('refuses two fields in the same cell (a form definition mistake)', () => {
    const [a] = inGridRow(T, bi('一', 'r1'), COLS, [field('x', 'text', 'x', 'x'), field('y', 'text', 'y', 'y')]);
    expect(() => fieldBlocks([a!, { ...a!, id: 'z' }])).toThrow(/x and z share a cell/);
    expect(() => inGridRow(T, bi('一', 'r1'), COLS, [field('x', 'text', 'x', 'x')])).toThrow(/1 fields for 2 columns/);
  });

  it('lays the INFUSION vital signs out as one 6 × 4 table between the administration and reaction sections', () => {
    const blocks = fieldBlocks(FORMS.INFUSION.fields);
    expect(blocks.map((b) => (b.kind === 'grid' ? `grid:${b.table.id}` : b.title?.en))).toEqual([
      'Study product (blinded)',
      'Administration',
      'grid:infusionVitals',
      'Infusion reaction',
    ]);
    const grid = blocks[2] as GridBlock;
    expect(grid.columns.map((c) => [c.label.zh, c.unit])).toEqual([
      ['收缩压', 'mmHg'],
      ['舒张压', 'mmHg'],
      ['心率', '次/分 bpm'],
      ['体温', '°C'],
    ]);
    expect(grid.rows.map((r) => r.label.zh)).toEqual(['输注前', '输注 15 分钟', '输注 30 分钟', '输注 45 分钟', '输注 60 分钟', '输注后 1 小时']);
    expect(ids(grid)[0]).toEqual(['preSbp', 'preDbp', 'preHr', 'preTempC']);
    expect(ids(grid)[5]).toEqual(['post1hSbp', 'post1hDbp', 'post1hHr', 'post1hTempC']);
    // Every vital-sign field is in the table exactly once; the data model still has the 24 separate fields.
    expect(ids(grid).flat().sort()).toEqual(FORMS.INFUSION.fields.filter((f) => f.grid).map((f) => f.id).sort());
    expect(ids(grid).flat()).toHaveLength(24);
  });
});
