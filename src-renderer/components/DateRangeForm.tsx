import { useState } from 'react';
import { isoDay } from '../../src-shared/domain/periods';
import { parseUkDate } from '../lib/format';
import { DateField } from './DateField';
import { Form } from './Form';

/** The day after a `YYYY-MM-DD` date (periods sent to the core end exclusively). */
export const dayAfter = (date: string): string => isoDay(Date.parse(`${date}T00:00:00Z`) / 86400000 + 1);

/** The day before a `YYYY-MM-DD` date: the last day of a range whose end is exclusive. */
export const dayBefore = (date: string): string => isoDay(Date.parse(`${date}T00:00:00Z`) / 86400000 - 1);

/**
 * "Any period" picker: two UK dates, both included; reports `{ from, to }` with `to` exclusive, as
 * the contract takes them, after checking the range makes sense (and passes `check`, when given).
 * With `initial` (`to` exclusive) the fields start filled in.
 */
export function DateRangeForm({
  idPrefix,
  onApply,
  initial,
  check,
  label = 'Any period (UK days, both included):',
  submitLabel = 'Work out',
}: {
  idPrefix: string;
  onApply: (range: { from: string; to: string }) => void;
  initial?: { from: string; to: string };
  /** Why the range cannot be used, in words, or null. */
  check?: (range: { from: string; to: string }) => string | null;
  label?: string;
  submitLabel?: string;
}) {
  const [draft, setDraft] = useState(
    initial ? { from: initial.from, to: dayBefore(initial.to) } : { from: '', to: '' },
  );
  const [error, setError] = useState<string | null>(null);
  const apply = (): void => {
    const from = parseUkDate(draft.from);
    const to = parseUkDate(draft.to);
    if (!draft.from.trim() || !draft.to.trim()) return setError('Enter both dates, as DD/MM/YYYY.');
    if (!from.ok) return setError(`From: ${from.error}`);
    if (!to.ok) return setError(`To: ${to.error}`);
    if (to.iso < from.iso) return setError('The end is before the start.');
    const range = { from: from.iso, to: dayAfter(to.iso) };
    const problem = check?.(range) ?? null;
    if (problem) return setError(problem);
    setError(null);
    onApply(range);
  };
  return (
    <Form className="emissions-custom" data-testid={`${idPrefix}-range`} onSubmit={apply}>
      <span className="muted small">{label}</span>
      <label className="sr-only" htmlFor={`${idPrefix}-from`}>
        From
      </label>
      <DateField
        id={`${idPrefix}-from`}
        value={draft.from}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${idPrefix}-range-error` : undefined}
        onChange={(from) => setDraft({ ...draft, from })}
      />
      <span className="muted">to</span>
      <label className="sr-only" htmlFor={`${idPrefix}-to`}>
        To
      </label>
      <DateField
        id={`${idPrefix}-to`}
        value={draft.to}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${idPrefix}-range-error` : undefined}
        onChange={(to) => setDraft({ ...draft, to })}
      />
      <button type="submit" className="btn btn-small">
        {submitLabel}
      </button>
      {error && (
        <span
          id={`${idPrefix}-range-error`}
          className="field-error"
          role="alert"
          data-testid={`${idPrefix}-range-error`}
        >
          {error}
        </span>
      )}
    </Form>
  );
}
