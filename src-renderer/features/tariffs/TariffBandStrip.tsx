/** The 24-hour band strip: 48 half-hour cells per day type, coloured by unit rate (cheap green → dear red). */
import { useMemo } from 'react';
import type { RateSpec } from '../../../src-shared/domain/tariff-spec';
import { bandStrip, slotText } from './band-strip';
import { formatPence, windowText } from './text';

const HOURS = [0, 3, 6, 9, 12, 15, 18, 21, 24];

export function BandStrip({
  rates,
  label = 'Unit rates by time of day',
  testId = 'band-strip',
  compact = false,
}: {
  rates: readonly RateSpec[];
  label?: string;
  testId?: string;
  compact?: boolean;
}) {
  const strip = useMemo(() => bandStrip(rates), [rates]);
  const nameOf = (i: number) => {
    const r = rates[i];
    return r ? `${r.name ? `${r.name}, ` : ''}${formatPence(r.pencePerKwh)}/kWh` : 'no rate';
  };
  return (
    <figure className={`band-strip ${compact ? 'band-strip-compact' : ''}`} aria-label={label} data-testid={testId}>
      <div className="band-strip-grid" role="table" aria-label={label}>
        {strip.rows.map((row) => (
          <div className="band-strip-row" role="row" key={row.label} data-testid="band-strip-row">
            <div className="band-strip-label" role="rowheader">
              {row.label}
            </div>
            <div className="band-strip-cells" role="cell" aria-label={describeRow(row.cells, rates)}>
              {row.cells.map((c, slot) => (
                <span
                  key={slot}
                  className={`band-cell ${c < 0 ? 'band-cell-gap' : ''} ${slot % 2 === 0 ? 'band-cell-hour' : ''}`}
                  style={c >= 0 ? { background: strip.colours[c] } : undefined}
                  title={`${row.label} ${slotText(slot)} · ${nameOf(c)}`}
                />
              ))}
            </div>
          </div>
        ))}
        <div className="band-strip-row band-strip-axis" aria-hidden="true">
          <div className="band-strip-label" />
          <div className="band-strip-ticks">
            {HOURS.map((h) => (
              <span key={h} className="band-tick" style={{ left: `${(h / 24) * 100}%` }}>
                {String(h).padStart(2, '0')}:00
              </span>
            ))}
          </div>
        </div>
      </div>
      <figcaption className="band-legend">
        {strip.legend.map((l) => (
          <span key={l.pence} className="band-legend-item">
            <span className="band-swatch" style={{ background: l.colour }} aria-hidden="true" />
            <span className="strong">{formatPence(l.pence)}</span>
            {l.name && <span className="muted">{l.name}</span>}
          </span>
        ))}
        {strip.rows.some((r) => r.cells.includes(-1)) && (
          <span className="band-legend-item">
            <span className="band-swatch band-cell-gap" aria-hidden="true" />
            <span className="muted">no rate</span>
          </span>
        )}
        {!strip.holidays && (
          <span className="muted small band-legend-note">Bank holidays are priced as their weekday.</span>
        )}
      </figcaption>
    </figure>
  );
}

/** The row for screen readers: "00:00–00:30 31.9p, 00:30–07:30 13.1p, 07:30–24:00 31.9p". */
function describeRow(cells: number[], rates: readonly RateSpec[]): string {
  const parts: string[] = [];
  let start = 0;
  for (let i = 1; i <= cells.length; i++) {
    if (i < cells.length && cells[i] === cells[start]) continue;
    const r = cells[start]! >= 0 ? rates[cells[start]!] : undefined;
    const span = windowText({ from: slotText(start).slice(0, 5), to: i === 48 ? '24:00' : slotText(i).slice(0, 5) });
    parts.push(`${span} ${r ? formatPence(r.pencePerKwh) : 'no rate'}`);
    start = i;
  }
  return parts.join(', ');
}
