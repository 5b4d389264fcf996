/**
 * How a tariff reads: where it is sold, prices as on a bill, VAT, the Climate Change Levy, days,
 * time windows and a compact list of its bands. Pure.
 */
import type { Tariff } from '../../../src-shared/contract/types';
import {
  DAY_KEYS,
  DAY_LABELS,
  parseClock,
  type DayKey,
  type RateSpec,
  type TariffSpec,
} from '../../../src-shared/domain/tariff-spec';
import { DISTRIBUTORS } from '../../../src-shared/domain/regions';
import { formatInt } from '../../lib/format';

/** "London (C)"; an unknown id as "Area 42". */
export function regionName(id: number): string {
  const d = DISTRIBUTORS.find((x) => x.id === id);
  return d ? `${d.name} (${d.gsp})` : `Area ${id}`;
}

/** Where a tariff is sold: "National", "London (C), Eastern (A)" or "London (C), Eastern (A) +3 more". */
export function regionText(regions: readonly number[] | null | undefined, max = 2): string {
  if (!regions || regions.length === 0) return 'National';
  const sorted = [...new Set(regions)].sort((a, b) => a - b);
  if (sorted.length === DISTRIBUTORS.length && DISTRIBUTORS.every((d) => sorted.includes(d.id))) return 'All 14 areas';
  const names = sorted.map(regionName);
  return names.length <= max + 1 ? names.join(', ') : `${names.slice(0, max).join(', ')} +${names.length - max} more`;
}

const penceFmt = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 4 });

/** Pence as written on a bill: 13.1p, 0.775p, 24p, −2.1p. */
export function formatPence(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '—';
  return `${penceFmt.format(p).replace('-', '−')}p`;
}

export function vatText(rate: number): string {
  return `${formatInt(rate * 100)} %`;
}

export const KIND_LABEL: Record<Tariff['kind'], string> = {
  single: 'Single rate',
  'time-of-use': 'Time of use',
  dynamic: 'Half-hourly (dynamic)',
};

/** The Climate Change Levy as set on a version: "None", "0.775p/kWh", "Statutory (gov.uk rates)", "2 dated rates". */
export function cclText(ccl: TariffSpec['cclPencePerKwh']): string {
  if (ccl === undefined || ccl === 0) return 'None';
  if (ccl === 'statutory') return 'Statutory (gov.uk rates)';
  if (typeof ccl === 'number') return `${formatPence(ccl)}/kWh`;
  return ccl.length === 1
    ? `${formatPence(ccl[0]!.pencePerKwh)}/kWh from ${ccl[0]!.from}`
    : `${ccl.length} dated rates`;
}

/**
 * Days as a short label: runs of consecutive weekdays collapse ("Mon–Fri", "Sat–Sun"), bank holidays
 * read "bank holidays"; every day reads "every day" ("" with `blankWhenAll`).
 */
export function daysText(
  days: readonly DayKey[] | undefined,
  opts: { blankWhenAll?: boolean; holidaysPriced?: boolean } = {},
): string {
  const set = new Set(days ?? DAY_KEYS);
  const week = DAY_KEYS.slice(0, 7).filter((d) => set.has(d));
  const holiday = set.has('holiday');
  const everyDay = week.length === 7 && (holiday || opts.holidaysPriced === false);
  if (everyDay) return opts.blankWhenAll ? '' : 'every day';
  const parts: string[] = [];
  let i = 0;
  while (i < 7) {
    if (!set.has(DAY_KEYS[i]!)) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < 7 && set.has(DAY_KEYS[j + 1]!)) j++;
    const a = DAY_LABELS[DAY_KEYS[i]!].short;
    const b = DAY_LABELS[DAY_KEYS[j]!].short;
    parts.push(j === i ? a : j === i + 1 ? `${a}, ${b}` : `${a}–${b}`);
    i = j + 1;
  }
  if (week.length === 7) parts.splice(0, parts.length, 'every day');
  if (holiday) parts.push('bank holidays');
  return parts.join(', ');
}

/** A rate's window: "00:30–07:30", or "all day". */
export function windowText(r: Pick<RateSpec, 'from' | 'to'>): string {
  const from = r.from === undefined ? 0 : parseClock(r.from);
  const to = r.to === undefined ? (r.from === undefined ? 1440 : from) : parseClock(r.to);
  if (from === null || to === null) return `${r.from ?? '?'}–${r.to ?? '?'}`;
  if (from % 1440 === to % 1440) return 'all day';
  const clock = (m: number) =>
    m === 1440 ? '24:00' : `${String(Math.floor(m / 60) % 24).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return `${clock(from)}–${clock(to)}`;
}

/**
 * A compact view of a list of rates: "00:30–07:30 13.1p · 07:30–00:30 31.9p"; a single all-day rate
 * reads "24.5p all day"; days are named when not every day ("Mon–Fri 16:00–19:00 35p").
 */
export function bandSummary(rates: readonly RateSpec[] | undefined): string {
  if (!rates || rates.length === 0) return '';
  const holidaysPriced = rates.some((r) => (r.days ?? DAY_KEYS).includes('holiday'));
  if (rates.length === 1 && windowText(rates[0]!) === 'all day') {
    const d = daysText(rates[0]!.days, { blankWhenAll: true, holidaysPriced });
    return `${formatPence(rates[0]!.pencePerKwh)} ${d ? d : 'all day'}`;
  }
  return rates
    .map((r) => {
      const d = daysText(r.days, { blankWhenAll: true, holidaysPriced });
      const w = windowText(r);
      return `${d ? `${d} ` : ''}${w} ${formatPence(r.pencePerKwh)}`;
    })
    .join(' · ');
}
