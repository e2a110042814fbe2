// A labelled input row: label, control, unit, help text and the field's message.
import type { ReactNode } from 'react';

export function Field(props: { id: string; label: string; help?: string; error?: string; unit?: string; children: ReactNode }) {
  return (
    <div className={`field${props.error ? ' field-invalid' : ''}`}>
      <label htmlFor={props.id}>{props.label}</label>
      <div className="field-control">
        {props.children}
        {props.unit && <span className="unit">{props.unit}</span>}
      </div>
      {props.error ? (
        <div className="field-error" id={`${props.id}-error`} role="alert">
          {props.error}
        </div>
      ) : (
        props.help && (
          <div className="field-help" id={`${props.id}-help`}>
            {props.help}
          </div>
        )
      )}
    </div>
  );
}
