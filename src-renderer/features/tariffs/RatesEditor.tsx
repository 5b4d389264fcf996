/**
 * The rate rows of the tariff form (unit rates, or DUoS rates): presets, a row per band with its
 * price, times and days, the problems of the bands as a whole, and a band-strip preview.
 */
import { useMemo, type ReactNode } from 'react';
import { DAY_KEYS, DAY_LABELS } from '../../../src-shared/domain/tariff-spec';
import { TableScroll } from '../../components/TableScroll';
import { previewRates, rateRow, rowsNamed, setRowPence, type RateRow } from './form';
import { BandStrip } from './TariffBandStrip';

export function RatesEditor({
  list,
  title,
  intro,
  rows,
  onChange,
  err,
  problems,
  submitted,
  presets,
  presetNote,
}: {
  list: 'rates' | 'duos';
  title: string;
  intro: string;
  rows: RateRow[];
  onChange: (rows: RateRow[]) => void;
  err: (key: string) => string | undefined;
  problems: string[];
  submitted: boolean;
  presets: ReactNode;
  presetNote: string | null;
}) {
  const who = list === 'rates' ? 'Rate' : 'DUoS rate';
  const preview = useMemo(() => previewRates(rows), [rows]);
  const times = rows.every((r) => (r.from.trim() === '') === (r.to.trim() === ''));
  const setRow = (i: number, patch: Partial<RateRow>) =>
    onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const named = rowsNamed(problems);
  const rowErrors = rows.map((_, i) =>
    ['name', 'pence', 'from', 'to', 'days'].map((k) => err(`${list}.${i}.${k}`)).filter((x): x is string => !!x),
  );
  return (
    <section className="rates-editor" aria-labelledby={`${list}-title`} data-testid={`${list}-editor`}>
      <div className="rates-editor-head">
        <h3 id={`${list}-title`} className="form-section-title">
          {title}
        </h3>
        <div className="rates-presets" role="group" aria-label={`${title}: presets`}>
          {presets}
        </div>
      </div>
      <p className="muted small rates-intro">{intro}</p>
      {presetNote && <p className="small callout callout-warn">{presetNote}</p>}
      {problems.length > 0 && (
        <div
          className={`callout ${submitted ? 'callout-error' : 'callout-warn'} rates-problems`}
          role="alert"
          data-testid={`${list}-problems`}
        >
          <strong>
            {list === 'rates' ? 'The rates do not fit together yet:' : 'The DUoS rates do not fit together yet:'}
          </strong>
          <ul>
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      {rows.length > 0 && (
        <TableScroll>
          <table className="table table-compact rates-table">
            <thead>
              <tr>
                <th scope="col" className="num">
                  #
                </th>
                <th scope="col">Band name</th>
                <th scope="col">p/kWh</th>
                <th scope="col">From</th>
                <th scope="col">To</th>
                <th scope="col">Days</th>
                <th scope="col">
                  <span className="visually-hidden">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <RateRowEditor
                  key={r.key}
                  who={who}
                  index={i}
                  row={r}
                  flagged={named.has(i)}
                  errors={rowErrors[i] ?? []}
                  invalid={(k) => !!err(`${list}.${i}.${k}`)}
                  onChange={(patch) => setRow(i, patch)}
                  onPence={(p) => onChange(setRowPence(rows, i, p))}
                  onRemove={() => onChange(rows.filter((_, j) => j !== i))}
                />
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <div className="rates-foot">
        <button
          type="button"
          className="btn btn-small"
          onClick={() => onChange([...rows, rateRow({ days: rows[rows.length - 1]?.days ?? [...DAY_KEYS] })])}
        >
          + Add a rate
        </button>
        {rows.length > 0 && problems.length === 0 && times && (
          <span className="ok-text small" data-testid={`${list}-coverage-ok`}>
            ✓ Every half-hour of every day has exactly one rate
          </span>
        )}
      </div>
      {preview.length > 0 && rows.length > 0 && (
        <div className="rates-preview">
          <div className="muted small">Preview</div>
          <BandStrip rates={preview} label={`${title}: preview by time of day`} testId={`${list}-preview`} compact />
        </div>
      )}
    </section>
  );
}

function RateRowEditor({
  who,
  index,
  row,
  flagged,
  errors,
  invalid,
  onChange,
  onPence,
  onRemove,
}: {
  who: string;
  index: number;
  row: RateRow;
  flagged: boolean;
  errors: string[];
  invalid: (k: string) => boolean;
  onChange: (p: Partial<RateRow>) => void;
  onPence: (p: string) => void;
  onRemove: () => void;
}) {
  const n = index + 1;
  const days = new Set(row.days);
  return (
    <>
      <tr
        className={`${errors.length ? 'rate-row-invalid' : ''} ${flagged ? 'rate-row-flagged' : ''}`}
        data-testid="rate-row"
        data-flagged={flagged || undefined}
      >
        <td className="num muted">{n}</td>
        <td>
          <input
            className="input input-small rate-name"
            aria-label={`${who} ${n} name`}
            placeholder="optional, e.g. Night"
            value={row.name}
            aria-invalid={invalid('name')}
            onChange={(e) => onChange({ name: e.currentTarget.value })}
          />
        </td>
        <td>
          <input
            className="input input-small rate-pence"
            aria-label={`${who} ${n} p/kWh`}
            inputMode="decimal"
            placeholder="13.1"
            value={row.pence}
            aria-invalid={invalid('pence')}
            onChange={(e) => onPence(e.currentTarget.value)}
          />
        </td>
        <td>
          <input
            className="input input-small rate-time"
            aria-label={`${who} ${n} from`}
            placeholder="00:00"
            value={row.from}
            aria-invalid={invalid('from')}
            onChange={(e) => onChange({ from: e.currentTarget.value })}
          />
        </td>
        <td>
          <input
            className="input input-small rate-time"
            aria-label={`${who} ${n} to`}
            placeholder="24:00"
            value={row.to}
            aria-invalid={invalid('to')}
            onChange={(e) => onChange({ to: e.currentTarget.value })}
          />
        </td>
        <td>
          <div
            className={`day-toggles ${invalid('days') ? 'day-toggles-invalid' : ''}`}
            role="group"
            aria-label={`${who} ${n} days`}
          >
            {DAY_KEYS.map((d) => (
              <label key={d} className={`day-toggle ${days.has(d) ? 'on' : ''}`} title={DAY_LABELS[d].name}>
                <input
                  type="checkbox"
                  className="visually-hidden"
                  aria-label={`${who} ${n} ${DAY_LABELS[d].name}`}
                  checked={days.has(d)}
                  onChange={(e) =>
                    onChange({ days: DAY_KEYS.filter((k) => (k === d ? e.currentTarget.checked : days.has(k))) })
                  }
                />
                {DAY_LABELS[d].short}
              </label>
            ))}
          </div>
        </td>
        <td className="num">
          <button
            type="button"
            className="btn btn-quiet btn-small"
            aria-label={`Remove ${who.toLowerCase()} ${n}`}
            title="Remove this rate"
            onClick={onRemove}
          >
            ✕
          </button>
        </td>
      </tr>
      {errors.length > 0 && (
        <tr className="rate-row-errors">
          <td />
          <td colSpan={6}>
            {errors.map((e) => (
              <span key={e} className="field-error" role="alert">
                {e}
              </span>
            ))}
          </td>
        </tr>
      )}
    </>
  );
}
