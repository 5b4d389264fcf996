/** Choosing one meter or one site from a list, as a labelled select with its error ("Choose a meter…" first). */
import type { MeterSummary, SiteSummary } from '../../src-shared/contract/types';
import { Field } from './Field';

interface PickerProps<T> {
  id: string;
  label: string;
  error?: string | undefined;
  /** The list to choose from; null while it loads. */
  options: readonly T[] | null;
  value: string;
  onChange: (value: string) => void;
  testId?: string;
}

/** A meter by MPAN/MPRN, each shown with its label (or else its site). */
export function MeterPicker({ id, label, error, options, value, onChange, testId }: PickerProps<MeterSummary>) {
  return (
    <Field id={id} label={label} error={error}>
      {(c) => (
        <select
          {...c}
          className="input"
          value={value}
          onChange={(e) => onChange(e.currentTarget.value)}
          data-testid={testId}
        >
          <option value="">{options ? 'Choose a meter…' : 'Loading the meters…'}</option>
          {(options ?? []).map((m) => (
            <option key={m.mpan} value={m.mpan}>
              {m.mpan}
              {m.label ? ` · ${m.label}` : m.site ? ` · ${m.site}` : ''}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** A site by name; the value is its id as text. */
export function SitePicker({ id, label, error, options, value, onChange, testId }: PickerProps<SiteSummary>) {
  return (
    <Field id={id} label={label} error={error}>
      {(c) => (
        <select
          {...c}
          className="input"
          value={value}
          onChange={(e) => onChange(e.currentTarget.value)}
          data-testid={testId}
        >
          <option value="">{options ? 'Choose a site…' : 'Loading the sites…'}</option>
          {(options ?? []).map((s) => (
            <option key={s.id} value={String(s.id)}>
              {s.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
