/** A form field: its label, the control, the control's error and a hint, with the control told which is which. */
import type { ReactNode } from 'react';

/** Spread onto the field's input, select or textarea: its id (the label's target), validity and description. */
export interface FieldControl {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

export function Field({
  id,
  label,
  hint,
  error,
  plain = false,
  children,
}: {
  id: string;
  label: ReactNode;
  hint?: string;
  error?: string | undefined;
  /** The control stands alone and fills the field's width (no control row for it and its error). */
  plain?: boolean;
  children: (control: FieldControl) => ReactNode;
}) {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const invalid = error ? true : undefined;
  const control = children({ id, 'aria-invalid': invalid, 'aria-describedby': describedBy || undefined });
  const message = error && (
    <span id={`${id}-error`} className="field-error" role="alert" data-testid={`${id}-error`}>
      {error}
    </span>
  );
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {plain ? (
        <>
          {control}
          {message}
        </>
      ) : (
        <div className="field-control">
          {control}
          {message}
        </div>
      )}
      {hint && (
        <p id={`${id}-hint`} className="field-hint muted small">
          {hint}
        </p>
      )}
    </div>
  );
}
