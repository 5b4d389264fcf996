/**
 * A change against an earlier period. Up means more energy used (amber/red), down means less
 * (green). No arrow when the two periods cannot be compared fairly (incomplete data).
 */
import { formatChangePercent, formatShare } from '../lib/format';

export function trendDirection(changePercent: number | null): 'up' | 'down' | 'flat' | 'none' {
  if (changePercent === null || !Number.isFinite(changePercent)) return 'none';
  if (changePercent > 0.05) return 'up';
  if (changePercent < -0.05) return 'down';
  return 'flat';
}

export function Trend({
  changePercent,
  comparable,
  completeness,
  previousCompleteness,
  against,
}: {
  changePercent: number | null;
  comparable: boolean;
  completeness?: number;
  /** The earlier period's: both are said, so the reader sees which one is short. */
  previousCompleteness?: number;
  against: string;
}) {
  if (!comparable) {
    const shares =
      completeness === undefined
        ? ''
        : previousCompleteness === undefined
          ? ` (${formatShare(completeness)} complete)`
          : ` (${formatShare(completeness)} complete, the one before ${formatShare(previousCompleteness)})`;
    return (
      <span className="trend trend-none" data-trend="none">
        Not comparable: data incomplete{shares}
      </span>
    );
  }
  const dir = trendDirection(changePercent);
  const big = changePercent !== null && Math.abs(changePercent) >= 10;
  return (
    <span className={`trend trend-${dir} ${dir === 'up' && big ? 'trend-up-big' : ''}`} data-trend={dir}>
      {dir === 'up' && <TrendArrow up />}
      {dir === 'down' && <TrendArrow />}
      <span className="trend-value">
        {changePercent === null ? 'no earlier use' : formatChangePercent(changePercent)}
      </span>
      <span className="trend-against">{against}</span>
    </span>
  );
}

function TrendArrow({ up }: { up?: boolean }) {
  return (
    <svg width="12" height="12" viewBox="0 0 12 12" aria-label={up ? 'up' : 'down'} role="img" className="trend-arrow">
      <path d={up ? 'M6 1.5 11 8H1z' : 'M6 10.5 1 4h10z'} fill="currentColor" />
    </svg>
  );
}

/** A 0–1 share as a horizontal bar with its percentage. */
export function ShareBar({ share, label, testId }: { share: number | null; label: string; testId?: string }) {
  const v = share === null ? 0 : Math.max(0, Math.min(1, share));
  const tone = share === null ? 'idle' : v >= 0.98 ? 'good' : v >= 0.9 ? 'fair' : 'poor';
  return (
    <div className={`share share-${tone}`} data-testid={testId} data-value={share ?? ''}>
      <div
        className="share-track"
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(v * 1000) / 10}
        aria-valuetext={formatShare(share)}
      >
        <div className="share-fill" style={{ width: `${v * 100}%` }} />
      </div>
      <span className="share-value">{formatShare(share)}</span>
    </div>
  );
}
