/** An "as at" date for the views of the latest data: the last day they may use (empty: up to yesterday). */
import '../styles/latest.css';
import { useState } from 'react';
import { ukToday } from '../../src-shared/domain/periods';
import { isIsoDay } from '../lib/format';
import { DateField } from './DateField';

export function AsAtField({ id, value, onChange }: { id: string; value: string; onChange: (v: string) => void }) {
  // what is typed; only a whole date (or nothing) reaches the view (the field says what is wrong with the rest)
  const [draft, setDraft] = useState(value);
  return (
    <span className="as-at-field small" data-testid="as-at">
      <label className="muted" htmlFor={id}>
        As at
      </label>
      <DateField
        id={id}
        value={draft}
        max={ukToday()}
        onChange={(v) => {
          setDraft(v);
          if (v === '' || isIsoDay(v)) onChange(v);
        }}
      />
      {value && (
        <button
          type="button"
          className="btn btn-quiet btn-small"
          onClick={() => {
            setDraft('');
            onChange('');
          }}
        >
          Latest
        </button>
      )}
    </span>
  );
}
