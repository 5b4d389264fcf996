/** A tariff's dated versions: which is in force, when each applies, what the list shows of the current one. Pure. */
import type { Tariff, TariffVersion } from '../../../src-shared/contract/types';
import { formatDay, formatDayRangeUntil, plural } from '../../lib/format';
import { bandSummary } from './text';

export function addDays(isoDay: string, n: number): string {
  const [y, m, d] = isoDay.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

export type VersionState = 'current' | 'upcoming' | 'ended';

export function versionState(v: Pick<TariffVersion, 'validFrom' | 'validTo'>, today: string): VersionState {
  if (v.validFrom > today) return 'upcoming';
  if (v.validTo !== null && v.validTo <= today) return 'ended';
  return 'current';
}

/** The version in force today; else the next one to start; else the last one. */
export function currentVersion(t: Pick<Tariff, 'versions'>, today: string): TariffVersion | null {
  const vs = t.versions;
  return (
    vs.find((v) => versionState(v, today) === 'current') ??
    vs.find((v) => versionState(v, today) === 'upcoming') ??
    vs[vs.length - 1] ??
    null
  );
}

/**
 * "1 Feb 2025 onwards", "1–31 Jan 2025" (validTo is exclusive: the last day shown is the day before).
 */
export function versionSpan(v: Pick<TariffVersion, 'validFrom' | 'validTo'>): string {
  return v.validTo === null ? `${formatDay(v.validFrom)} onwards` : formatDayRangeUntil(v.validFrom, v.validTo);
}
/** What the list shows of a tariff's current prices. */
export function unitRatesText(t: Tariff, v: TariffVersion | null): string {
  if (!v) return '';
  if (t.kind === 'dynamic') {
    const n = v.prices?.count ?? 0;
    const stored = n === 0 ? 'no prices stored yet' : `${plural(n, 'price')} stored`;
    return v.spec.rates && v.spec.rates.length > 0
      ? `Half-hourly prices (${stored}); otherwise ${bandSummary(v.spec.rates)}`
      : `Half-hourly prices · ${stored}`;
  }
  return bandSummary(v.spec.rates);
}
