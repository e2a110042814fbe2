// A grid block of the form screen as one compact table (e.g. INFUSION vital signs: a row per time point, a column per
// sign with its unit in the header). Each cell is an ordinary field: same input id/name, message, adornments; like a
// field row, a cell reads its own error, warning and required mark, so typing in one cell re-renders no other cell.
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { unitIn } from '../../../shared/i18n/units';
import type { FieldDef } from '../../../shared/protocol/types';
import { currentLang, pick } from '../i18n';
import { Control, FieldAdornments, FieldMessage, RequiredMark, itemLockedFor, type FieldEnv } from './FieldInput';
import type { GridBlock, GridColumn, GridRow } from './fieldBlocks';
import { useFieldLive, useLive } from './liveForm';

export const FieldGrid = memo(function FieldGrid({ block, env }: { block: GridBlock; env: FieldEnv }) {
  useTranslation(); // the headings follow the language toggle
  const lang = currentLang();
  return (
    <fieldset className="form-section field-grid-section">
      <legend>{pick(block.table.title)}</legend>
      <div className="field-grid-scroll">
        <table className="field-grid" data-grid={block.table.id}>
          <thead>
            <tr>
              <th scope="col" className="field-grid-corner">
                {pick(block.table.rowHeading)}
              </th>
              {block.columns.map((c) => (
                <th scope="col" key={c.label.en}>
                  {pick(c.label)}
                  {c.unit && <span className="unit"> {unitIn(c.unit, lang)}</span>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {block.rows.map((row) => (
              <GridRowView key={row.label.en} row={row} columns={block.columns} env={env} />
            ))}
          </tbody>
        </table>
      </div>
    </fieldset>
  );
});

const GridRowView = memo(function GridRowView({ row, columns, env }: { row: GridRow; columns: GridColumn[]; env: FieldEnv }) {
  useTranslation(); // the row label follows the language toggle
  // The whole row required (before and 1 h after the infusion): one mark on the time point, none per cell.
  const rowRequired = useLive(env.store, (l) => {
    const fields = row.cells.filter((f): f is FieldDef => f !== null);
    return fields.length > 0 && fields.every((f) => l.required.has(f.id));
  });
  return (
    <tr>
      <th scope="row">
        {pick(row.label)}
        {rowRequired && <RequiredMark />}
      </th>
      {row.cells.map((f, i) =>
        f ? <GridCell key={f.id} field={f} columnUnit={columns[i]!.unit} rowRequired={rowRequired} env={env} /> : <td key={i} className="field-grid-empty" />,
      )}
    </tr>
  );
});

const GridCell = memo(function GridCell({ field, columnUnit, rowRequired, env }: { field: FieldDef; columnUnit: string | undefined; rowRequired: boolean; env: FieldEnv }) {
  useTranslation(); // the hidden label and the cell's message follow the language toggle
  const { error, warning, required } = useFieldLive(field, env.control, env.store);
  const id = `f-${field.id}`;
  const unit = field.unit && field.unit !== columnUnit ? unitIn(field.unit, currentLang()) : null;
  return (
    <td className={`field-grid-cell${error ? ' field-invalid' : warning ? ' field-warning' : ''}`} data-field={field.id}>
      <label htmlFor={id} id={`${id}-label`} className="visually-hidden">
        {pick(field.label)}
      </label>
      <div className="field-grid-control">
        <Control field={field} register={env.register} readOnly={env.readOnly || itemLockedFor(field, env.role)} describedBy={`${id}-msg`} env={env} />
        {unit && <span className="unit">{unit}</span>}
        {!rowRequired && required && <RequiredMark />}
        <FieldAdornments form={env.form} fieldId={field.id} />
      </div>
      <FieldMessage field={field} error={error} warning={warning} id={`${id}-msg`} />
    </td>
  );
});
