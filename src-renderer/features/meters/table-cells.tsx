/** Cells the portfolio tables share: figures as the rest of the app shows them, and a completeness bar. */
import { formatChangePercent, formatEnergy, formatShare } from '../../lib/format';
import { changePercent } from './portfolio-table';

/** kWh, or a dash when nothing was stored. */
export function KwhCell({ kwh }: { kwh: number | null }) {
  return kwh === null ? <span className="muted">—</span> : <>{formatEnergy(kwh)}</>;
}

/** This month against last year's same days, in %: up in amber, down in green. */
export function ChangeCell({ now, before }: { now: number | null; before: number | null }) {
  const p = changePercent(now, before);
  if (p === null) return <span className="muted">—</span>;
  return <span className={p > 0.05 ? 'vt-up' : p < -0.05 ? 'vt-down' : undefined}>{formatChangePercent(p)}</span>;
}

/** A share of the expected half-hours: a small bar and the percentage. */
export function CompletenessCell({ share }: { share: number | null }) {
  if (share === null) return <span className="muted">No data</span>;
  const tone = share >= 0.99 ? 'ok' : share >= 0.9 ? 'warn' : 'err';
  return (
    <span className="vt-complete">
      <span className={`vt-bar vt-bar-${tone}`} aria-hidden="true">
        <span style={{ width: `${Math.round(share * 100)}%` }} />
      </span>
      {formatShare(share)}
    </span>
  );
}
