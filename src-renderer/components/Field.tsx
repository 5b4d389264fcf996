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

/** A one-line text field: its label, hint and error, the value typed and a test id the same as its id. */
export function TextField({
  id,
  label,
  value,
  onChange,
  error,
  hint,
  placeholder,
  mono = false,
  narrow = false,
}: {
  id: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: string;
  placeholder?: string;
  /** Typed in a fixed-width font (paths, ids). */
  mono?: boolean;
  /** A short value (a port, a day). */
  narrow?: boolean;
}) {
  return (
    <Field id={id} label={label} error={error} hint={hint}>
      {(c) => (
        <input
          {...c}
          className={`input${mono ? ' mono' : ''}${narrow ? ' input-narrow' : ''}`}
          value={value}
          placeholder={placeholder}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => onChange(e.currentTarget.value)}
          data-testid={id}
        />
      )}
    </Field>
  );
}

/** A yes/no field: a label above a checkbox and the words beside it. */
export function CheckField({
  label,
  text,
  checked,
  onChange,
  testId,
}: {
  label: string;
  text: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  testId?: string;
}) {
  return (
    <div className="field">
      <span className="field-label">{label}</span>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={checked}
          onChange={(e) => onChange(e.currentTarget.checked)}
          data-testid={testId}
        />
        {text}
      </label>
    </div>
  );
}
