// One field of a form, rendered from its FieldDef: label, control by type, unit, help, error or warning. A row reads
// its own error, warning and required mark (liveForm.ts), so typing in one field re-renders no other row.
import { memo } from 'react';
import type { Control as FormControl, UseFormRegister } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../shared/api/calls/common';
import type { FieldDef, ValidationIssue } from '../../../shared/protocol/types';
import { mayEditItem } from '../../../shared/protocol/itemRoles';
import { unitIn } from '../../../shared/i18n/units';
import { currentLang, pick } from '../i18n';
import { FIELD_ADORNMENTS, type FieldAdornmentProps } from './formExtensions';
import { useFieldLive, type LiveStore } from './liveForm';
import { normaliseDateText, normaliseNumberText, normaliseTimeText, unitHint } from '../../../shared/protocol/entryNormalise';
import { wardToday } from '../../../shared/rules/wardClock';
import { DatePickerButton } from '../components/DatePicker';

export type RawValues = Record<string, string | string[] | undefined>;

/** What every field row of one form shares; one object, stable while the form is open, so memoised rows skip renders. */
export interface FieldEnv {
  control: FormControl<RawValues>;
  register: UseFormRegister<RawValues>;
  store: LiveStore;
  readOnly: boolean;
  /** The user's role: items only other roles may set (the investigator's confirmations) are read-only, with the reason. */
  role: Role;
  /** The form instance, for the adornments beside each field (query badges, item history). */
  form: Omit<FieldAdornmentProps, 'fieldId'>;
  /** Bumped when the form is reset (a restored draft): every row renders again and its inputs register again. */
  generation: number;
  /** Puts a value into a field as if typed (the date picker, a unit hint's converted value). */
  setText(fieldId: string, text: string): void;
  /** What a field's input holds now (read on demand, never watched: a keystroke re-renders only its own row). */
  getText(fieldId: string): string;
}

/** What the input shows after the nurse leaves it: 2026/5/11 → 2026-05-11, 5。2 → 5.2, 1430 → 14:30. */
function normaliseTyped(field: FieldDef, text: string): string {
  if (field.type === 'date') return normaliseDateText(text);
  if (field.type === 'time') return normaliseTimeText(text);
  if (field.type === 'number' || field.type === 'integer') return text.trim() === '' ? text : normaliseNumberText(text);
  return text;
}

/** The input control of a field (also used in the cells of a FieldGrid). */
export function Control({ field, register, readOnly, describedBy, env }: { field: FieldDef; register: UseFormRegister<RawValues>; readOnly: boolean; describedBy: string; env?: FieldEnv }) {
  const { t } = useTranslation();
  const id = `f-${field.id}`;
  const registered = register(field.id);
  // Leaving a typed field shows it the way it will be saved (the value is already read that way while typing).
  const onBlur = (e: React.FocusEvent<HTMLInputElement>) => {
    const shown = normaliseTyped(field, e.target.value);
    if (shown !== e.target.value) {
      e.target.value = shown;
      void registered.onChange({ target: e.target, type: 'change' });
    }
    return registered.onBlur(e);
  };
  const common = { id, 'aria-describedby': describedBy, disabled: readOnly, ...registered };
  const typed = { ...common, onBlur };
  switch (field.type) {
    case 'number':
    case 'integer':
      return <input {...typed} inputMode="decimal" autoComplete="off" className="input-number" />;
    case 'date':
      return (
        <>
          <input {...typed} placeholder={t('entry.form.datePlaceholder')} autoComplete="off" maxLength={12} className="input-date" />
          {env && !readOnly && <DatePickerButton value={env.getText(field.id)} max={wardToday()} onPick={(d) => env.setText(field.id, d)} label={pick(field.label)} />}
        </>
      );
    case 'time':
      return <input {...typed} placeholder={t('entry.form.timePlaceholder')} autoComplete="off" maxLength={5} className="input-time" />;
    case 'textarea':
      return <textarea {...common} rows={3} maxLength={field.maxLength} />;
    case 'text':
      return <input {...common} autoComplete="off" maxLength={field.maxLength} />;
    case 'boolean':
      return (
        <span className="radio-group" role="radiogroup" aria-labelledby={`${id}-label`}>
          <label>
            <input type="radio" value="true" {...register(field.id)} disabled={readOnly} id={id} /> {t('entry.form.yes')}
          </label>
          <label>
            <input type="radio" value="false" {...register(field.id)} disabled={readOnly} /> {t('entry.form.no')}
          </label>
        </span>
      );
    case 'choice':
      if ((field.choices?.length ?? 0) <= 4) {
        return (
          <span className="radio-group" role="radiogroup" aria-labelledby={`${id}-label`}>
            {field.choices?.map((c, i) => (
              <label key={c.value}>
                <input type="radio" value={c.value} {...register(field.id)} disabled={readOnly} id={i === 0 ? id : undefined} /> {pick(c.label)}
              </label>
            ))}
          </span>
        );
      }
      return (
        <select {...common}>
          <option value="">{t('entry.form.select')}</option>
          {field.choices?.map((c) => (
            <option key={c.value} value={c.value}>
              {pick(c.label)}
            </option>
          ))}
        </select>
      );
    case 'multichoice':
      return (
        <span className="check-group" aria-labelledby={`${id}-label`}>
          {field.choices?.map((c, i) => (
            <label key={c.value}>
              <input type="checkbox" value={c.value} {...register(field.id)} disabled={readOnly} id={i === 0 ? id : undefined} /> {pick(c.label)}
            </label>
          ))}
        </span>
      );
  }
}

/** Whether this item is another role's to set (an investigator-only confirmation for a nurse, say). */
export const itemLockedFor = (field: FieldDef, role: Role): boolean => !mayEditItem(field, role);

export const FieldInput = memo(function FieldInput({ field, env }: { field: FieldDef; env: FieldEnv }) {
  const { t } = useTranslation(); // the label, unit and message follow the language toggle
  const { error, warning, required } = useFieldLive(field, env.control, env.store);
  const id = `f-${field.id}`;
  const describedBy = `${id}-msg`;
  const locked = itemLockedFor(field, env.role);
  return (
    <div className={`field${error ? ' field-invalid' : warning ? ' field-warning' : ''}`} data-field={field.id}>
      <label htmlFor={id} id={`${id}-label`}>
        {pick(field.label)}
        {required && <RequiredMark />}
      </label>
      <div className="field-control">
        <Control field={field} register={env.register} readOnly={env.readOnly || locked} describedBy={describedBy} env={env} />
        {field.unit && <span className="unit">{unitIn(field.unit, currentLang())}</span>}
        <FieldAdornments form={env.form} fieldId={field.id} />
      </div>
      {locked && !env.readOnly && (
        <div className="field-help field-owner" data-testid={`owner-${field.id}`}>
          {t('entry.form.itemOwner', { roles: field.editRoles!.map((r) => t(`roles.${r}`)).join(' / ') })}
        </div>
      )}
      <FieldMessage field={field} error={error} warning={warning} id={describedBy} />
      {error && !env.readOnly && !locked && <UnitHintButton field={field} env={env} />}
    </div>
  );
});

/** Beside an error: the value converted from another common unit, one click to use it (creatinine 1.1 → 97.2). */
function UnitHintButton({ field, env }: { field: FieldDef; env: FieldEnv }) {
  const { t } = useTranslation();
  if (field.type !== 'number' && field.type !== 'integer') return null;
  const typed = Number(normaliseNumberText(env.getText(field.id)));
  const hint = Number.isFinite(typed) ? unitHint(field, typed) : null;
  if (!hint) return null;
  return (
    <button type="button" className="btn btn-small unit-hint" onClick={() => env.setText(field.id, String(hint.value))} data-testid={`unit-hint-${field.id}`}>
      {t('ward.unitHint.use', { value: hint.value, unit: unitIn(field.unit ?? '', currentLang()) })}
    </button>
  );
}

/** The red star of a required field (or of a grid row whose cells are all required). */
export function RequiredMark() {
  const { t } = useTranslation();
  return <span className="required-mark" title={t('entry.form.required')}> *</span>;
}

/** The extensions beside a field (formExtensions.tsx FIELD_ADORNMENTS: query badge, raise query, history). */
export const FieldAdornments = memo(function FieldAdornments({ form, fieldId }: { form: FieldEnv['form']; fieldId: string }) {
  return FIELD_ADORNMENTS.map((Adornment, n) => <Adornment key={n} {...form} fieldId={fieldId} />);
});

/** The line under a field: its error, else its warning, else its help text (also used in the cells of a FieldGrid). */
export function FieldMessage({ field, error, warning, id }: { field: FieldDef; error?: string | undefined; warning?: ValidationIssue | undefined; id: string }) {
  if (error) {
    return (
      <div className="field-error" id={id} role="alert">
        ✖ {error}
      </div>
    );
  }
  if (warning) {
    return (
      <div className="field-warn" id={id}>
        ⚠ {pick(warning.message)}
      </div>
    );
  }
  return field.help ? (
    <div className="field-help" id={id}>
      {pick(field.help)}
    </div>
  ) : null;
}
