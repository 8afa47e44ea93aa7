// A labelled form field: every control gets a <label>, its help text and its error are tied to it
// with aria-describedby, and the error sits right under the control that caused it.
import { cloneElement, useId, type ReactElement, type ReactNode } from 'react';

export interface FieldProps {
  label: ReactNode;
  help?: ReactNode;
  error?: string | null;
  /** The single input/select/textarea; it receives id, aria-describedby and aria-invalid. */
  children: ReactElement<Record<string, unknown>>;
  optional?: boolean;
  className?: string;
}

export function Field({ label, help, error, children, optional, className }: FieldProps) {
  const id = useId();
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const describedBy = [help ? helpId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${className ? ` ${className}` : ''}`}>
      <label htmlFor={id} className="field-label">
        {label}
        {optional && <span className="field-optional"> (optional)</span>}
      </label>
      {cloneElement(children, { id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined })}
      {help && (
        <p id={helpId} className="field-help">
          {help}
        </p>
      )}
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
