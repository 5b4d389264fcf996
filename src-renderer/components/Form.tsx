/** Forms that check their own fields: no browser validation; submitting runs a function, not a page load. */
import { useState, type ComponentProps } from 'react';
import { fieldErrors } from '../lib/query';
import { useAppStore } from '../stores/app';

type FormProps = Omit<ComponentProps<'form'>, 'onSubmit' | 'noValidate'> & { onSubmit: () => unknown };

export function Form({ onSubmit, ...props }: FormProps) {
  return (
    <form
      {...props}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void onSubmit();
      }}
    />
  );
}

/**
 * A form's submit: its own checks first (a message per field), then the work, busy meanwhile. The
 * host's INVALID_ARGS problems go to their fields; any other failure becomes a toast titled
 * `failure`, or, given a function, the field errors it returns.
 */
export function useFormSubmit(failure: string | ((e: unknown) => Record<string, string>)) {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const submit = async (problems: Record<string, string>, work: () => Promise<void>): Promise<void> => {
    setErrors(problems);
    if (Object.keys(problems).length) return;
    setBusy(true);
    try {
      await work();
    } catch (e) {
      const f = fieldErrors(e);
      if (Object.keys(f).length) setErrors(f);
      else if (typeof failure === 'string') useAppStore.getState().toastError(failure, e);
      else setErrors(failure(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, errors, setErrors, submit };
}

/** The problems no field of the form shows (those whose names are not in `fields`), above the form. */
export function FormProblems({ errors, fields }: { errors: Record<string, string>; fields: ReadonlySet<string> }) {
  const other = Object.entries(errors).filter(([k]) => !fields.has(k));
  if (other.length === 0) return null;
  return (
    <div className="callout callout-error" role="alert">
      {other.map(([k, m]) => (
        <div key={k}>{m}</div>
      ))}
    </div>
  );
}

/** Save and Cancel under a form: Save says "Saving…" while busy, and both wait meanwhile. */
export function FormActions({
  busy,
  label,
  onCancel,
  testId,
}: {
  busy: boolean;
  /** The Save button's words ("Save changes", "Add data feed"). */
  label: string;
  onCancel: () => void;
  testId?: string;
}) {
  return (
    <div className="form-actions">
      <button type="submit" className="btn btn-primary" disabled={busy} data-testid={testId}>
        {busy ? 'Saving…' : label}
      </button>
      <button type="button" className="btn btn-quiet" onClick={onCancel} disabled={busy}>
        Cancel
      </button>
    </div>
  );
}
