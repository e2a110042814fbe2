// A labelled text input bound to react-hook-form: the Field row (label, help, message) around an input that points screen readers at its message.
import type { InputHTMLAttributes } from 'react';
import type { UseFormRegisterReturn } from 'react-hook-form';
import { Field } from './Field';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'name' | 'onChange' | 'onBlur'>;

export function InputField({
  id,
  label,
  help,
  error,
  registration,
  ...input
}: { id: string; label: string; help?: string | undefined; error?: string | undefined; registration: UseFormRegisterReturn } & InputProps) {
  return (
    <Field id={id} label={label} {...(help ? { help } : {})} {...(error ? { error } : {})}>
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : help ? `${id}-help` : undefined} {...input} {...registration} />
    </Field>
  );
}
