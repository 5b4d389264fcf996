/** An "as at" date for the views of the latest data: the last day they may use (empty: up to yesterday). */
import '../styles/latest.css';
import { ukToday } from '../../src-shared/domain/periods';

export function AsAtField({ id, value, onChange }: { id: string; value: string; onChange: (v: string) => void }) {
  return (
    <label className="as-at-field small" htmlFor={id}>
      <span className="muted">As at</span>
      {/* DateField: a plain date input until the shared DD/MM/YYYY field lands */}
      <input
        id={id}
        type="date"
        className="input input-small"
        value={value}
        max={ukToday()}
        onChange={(e) => onChange(e.currentTarget.value)}
        data-testid="as-at"
        aria-label="As at date"
      />
      {value && (
        <button type="button" className="btn btn-quiet btn-small" onClick={() => onChange('')}>
          Latest
        </button>
      )}
    </label>
  );
}
