import type { ReactNode } from 'react';

/** A row of buttons of which exactly one is on: a radio group named by `label` or by the element `labelledBy`. */
export function Segmented<T extends string | number>({
  options,
  value,
  onChange,
  label,
  labelledBy,
  small = false,
  testId,
}: {
  options: readonly { value: T; label: ReactNode }[];
  value: T;
  onChange: (value: T) => void;
  label?: string;
  labelledBy?: string;
  small?: boolean;
  testId?: string;
}) {
  return (
    <div
      className={small ? 'segmented segmented-small' : 'segmented'}
      role="radiogroup"
      aria-label={label}
      aria-labelledby={labelledBy}
      data-testid={testId}
    >
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          role="radio"
          aria-checked={value === o.value}
          className={value === o.value ? 'active' : ''}
          onClick={() => onChange(o.value)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}
