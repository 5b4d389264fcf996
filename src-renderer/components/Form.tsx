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
