// A grid block of the form screen as one compact table (e.g. INFUSION vital signs: a row per time point, a column per
// sign with its unit in the header). Each cell is an ordinary field: same input id/name, message, adornments.
import type { ReactNode } from 'react';
import type { FieldErrors, UseFormRegister } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { unitIn } from '../../../shared/i18n/units';
import type { FieldDef, ValidationIssue } from '../../../shared/protocol/types';
import { currentLang, pick } from '../i18n';
import { Control, FieldMessage, type RawValues } from './FieldInput';
import type { GridBlock } from './fieldBlocks';

interface Props {
  block: GridBlock;
  register: UseFormRegister<RawValues>;
  errors: FieldErrors<RawValues>;
  warnings: Map<string, ValidationIssue>;
  requiredOf(field: FieldDef): boolean;
  readOnly: boolean;
  adornment(fieldId: string): ReactNode;
}

export function FieldGrid({ block, register, errors, warnings, requiredOf, readOnly, adornment }: Props) {
  const { t } = useTranslation();
  const lang = currentLang();
  const requiredMark = <span className="required-mark" title={t('entry.form.required')}> *</span>;
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
            {block.rows.map((row) => {
              const fields = row.cells.filter((f): f is FieldDef => f !== null);
              // The whole row required (before and 1 h after the infusion): one mark on the time point, none per cell.
              const rowRequired = fields.length > 0 && fields.every(requiredOf);
              return (
                <tr key={row.label.en}>
                  <th scope="row">
                    {pick(row.label)}
                    {rowRequired && requiredMark}
                  </th>
                  {row.cells.map((f, i) => {
                    if (!f) return <td key={i} className="field-grid-empty" />;
                    const id = `f-${f.id}`;
                    const error = errors[f.id]?.message;
                    const warning = warnings.get(f.id);
                    const unit = f.unit && f.unit !== block.columns[i]!.unit ? unitIn(f.unit, lang) : null;
                    return (
                      <td key={f.id} className={`field-grid-cell${error ? ' field-invalid' : warning ? ' field-warning' : ''}`} data-field={f.id}>
                        <label htmlFor={id} id={`${id}-label`} className="visually-hidden">
                          {pick(f.label)}
                        </label>
                        <div className="field-grid-control">
                          <Control field={f} register={register} readOnly={readOnly} describedBy={`${id}-msg`} />
                          {unit && <span className="unit">{unit}</span>}
                          {!rowRequired && requiredOf(f) && requiredMark}
                          {adornment(f.id)}
                        </div>
                        <FieldMessage field={f} error={error} warning={warning} id={`${id}-msg`} />
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </fieldset>
  );
}
