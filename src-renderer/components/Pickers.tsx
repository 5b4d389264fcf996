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

/** A select of `options`, each given its value and words by `option`, after a first "Choose a <noun>…". */
function Picker<T>({
  noun,
  option,
  id,
  label,
  error,
  options,
  value,
  onChange,
  testId,
}: PickerProps<T> & { noun: string; option: (t: T) => [value: string, text: string] }) {
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
          <option value="">{options ? `Choose a ${noun}…` : `Loading the ${noun}s…`}</option>
          {(options ?? []).map(option).map(([v, text]) => (
            <option key={v} value={v}>
              {text}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** A meter by MPAN/MPRN, each shown with its label (or else its site). */
export function MeterPicker(props: PickerProps<MeterSummary>) {
  return (
    <Picker
      {...props}
      noun="meter"
      option={(m) => [m.mpan, `${m.mpan}${m.label ? ` · ${m.label}` : m.site ? ` · ${m.site}` : ''}`]}
    />
  );
}

/** A site by name; the value is its id as text. */
export function SitePicker(props: PickerProps<SiteSummary>) {
  return <Picker {...props} noun="site" option={(s) => [String(s.id), s.name]} />;
}
