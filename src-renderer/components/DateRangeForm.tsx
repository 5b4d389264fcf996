import { useState } from 'react';
import { isoDay } from '../../src-shared/domain/periods';
import { Form } from './Form';

/** The day after a `YYYY-MM-DD` date (periods sent to the core end exclusively). */
export const dayAfter = (date: string): string => isoDay(Date.parse(`${date}T00:00:00Z`) / 86400000 + 1);

/**
 * "Any period" picker: two UK dates, both included; reports `{ from, to }` with `to` exclusive, as
 * the contract takes them, after checking the range makes sense.
 */
export function DateRangeForm({
  idPrefix,
  onApply,
}: {
  idPrefix: string;
  onApply: (range: { from: string; to: string }) => void;
}) {
  const [draft, setDraft] = useState({ from: '', to: '' });
  const [error, setError] = useState<string | null>(null);
  const apply = (): void => {
    const ok = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d);
    if (!ok(draft.from) || !ok(draft.to)) return setError('choose both dates');
    if (draft.to < draft.from) return setError('the end is before the start');
    setError(null);
    onApply({ from: draft.from, to: dayAfter(draft.to) });
  };
  return (
    <Form className="emissions-custom" data-testid={`${idPrefix}-range`} onSubmit={apply}>
      <span className="muted small">Any period (UK days, both included):</span>
      <label className="sr-only" htmlFor={`${idPrefix}-from`}>
        From
      </label>
      <input
        id={`${idPrefix}-from`}
        type="date"
        className="input input-narrow"
        value={draft.from}
        onChange={(e) => setDraft({ ...draft, from: e.currentTarget.value })}
      />
      <span className="muted">to</span>
      <label className="sr-only" htmlFor={`${idPrefix}-to`}>
        To
      </label>
      <input
        id={`${idPrefix}-to`}
        type="date"
        className="input input-narrow"
        value={draft.to}
        onChange={(e) => setDraft({ ...draft, to: e.currentTarget.value })}
      />
      <button type="submit" className="btn btn-small">
        Work out
      </button>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </Form>
  );
}
