// A required free-text box (reason for change, query text, lock reason): label, textarea, "required" message when
// left empty, Ctrl+Enter to confirm. useReasonText keeps the text and whether the user tried to go on without it.
import { useState } from 'react';

export function useReasonText() {
  const [text, setText] = useState('');
  const [missing, setMissing] = useState(false);
  return {
    text,
    missing,
    clear: () => setText(''),
    onChange: (value: string) => {
      setText(value);
      setMissing(false);
    },
    /** The trimmed text, or null (and the required message shown) when it is empty. */
    take(): string | null {
      const value = text.trim();
      if (!value) setMissing(true);
      return value || null;
    },
  };
}

export function ReasonField(props: {
  id: string;
  label: string;
  text: string;
  onChange(value: string): void;
  /** Shown under the box while `missing`. */
  requiredMessage: string;
  missing: boolean;
  onCtrlEnter?: () => void;
  placeholder?: string;
  rows?: number;
  maxLength?: number;
  autoFocus?: boolean;
  testId?: string;
}) {
  return (
    <div className="reason-field">
      <label htmlFor={props.id}>{props.label}</label>
      <textarea
        id={props.id}
        rows={props.rows ?? 3}
        maxLength={props.maxLength ?? 500}
        autoFocus={props.autoFocus}
        value={props.text}
        placeholder={props.placeholder}
        aria-invalid={props.missing || undefined}
        onChange={(e) => props.onChange(e.target.value)}
        onKeyDown={(e) => {
          if (props.onCtrlEnter && e.key === 'Enter' && (e.ctrlKey || e.metaKey)) props.onCtrlEnter();
        }}
        data-testid={props.testId}
      />
      {props.missing && (
        <div className="field-error" role="alert">
          {props.requiredMessage}
        </div>
      )}
    </div>
  );
}
