/**
 * Cells and columns the portfolio tables share: this month's and last year's figures as the rest of
 * the app shows them, the change between them, a completeness bar, and the filter bar's choices.
 */
import type { ReactNode } from 'react';
import type { MeterRow } from '../../../src-shared/contract/types';
import type { VColumn } from '../../components/VirtualTable';
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

type MonthFigures = Pick<MeterRow, 'kwhMonth' | 'kwhMonthLastYear' | 'costMonthPence' | 'costMonthLastYearPence'>;

/**
 * £ of a period, or why there is none: a dash when there was no energy, "Not priced" when there was
 * but no tariff priced every day of it (none assigned, or one that starts later in the period).
 */
export function PoundsCell({
  pence,
  kwh,
  children,
}: {
  pence: number | null;
  kwh: number | null;
  children: ReactNode;
}) {
  if (pence !== null) return <>{children}</>;
  if (kwh === null) return <span className="muted">—</span>;
  return (
    <span className="muted" title="No tariff covers every day of this period">
      Not priced
    </span>
  );
}

/** kWh this month, last year and the change, then £ for both (`pounds` draws a pence figure and its period's kWh). */
export function monthColumns<T extends MonthFigures>(
  pounds: (pence: number | null, kwh: number | null, row: T) => ReactNode,
): VColumn<T>[] {
  return [
    {
      key: 'kwh',
      header: 'kWh this month',
      width: 140,
      num: true,
      cell: (r) => <KwhCell kwh={r.kwhMonth} />,
      sortValue: (r) => r.kwhMonth,
    },
    {
      key: 'kwhly',
      header: 'kWh last year',
      width: 130,
      num: true,
      cell: (r) => <KwhCell kwh={r.kwhMonthLastYear} />,
      sortValue: (r) => r.kwhMonthLastYear,
    },
    {
      key: 'change',
      header: 'Change',
      width: 95,
      num: true,
      cell: (r) => <ChangeCell now={r.kwhMonth} before={r.kwhMonthLastYear} />,
      sortValue: (r) => changePercent(r.kwhMonth, r.kwhMonthLastYear),
    },
    {
      key: 'cost',
      header: '£ this month',
      width: 125,
      num: true,
      cell: (r) => pounds(r.costMonthPence, r.kwhMonth, r),
      sortValue: (r) => r.costMonthPence,
    },
    {
      key: 'costly',
      header: '£ last year',
      width: 115,
      num: true,
      cell: (r) => pounds(r.costMonthLastYearPence, r.kwhMonthLastYear, r),
      sortValue: (r) => r.costMonthLastYearPence,
    },
  ];
}

/** A filter's select: "any" first, then "none" where that can be chosen, then the choices. */
export function FilterSelect({
  label,
  value,
  onChange,
  any,
  none,
  options,
  testId,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  any: string;
  /** The value and words for "not set" (no site, no supplier…). */
  none?: { value: string; label: string };
  options: readonly { value: string | number; label: string }[];
  testId: string;
}) {
  return (
    <select
      className="input"
      aria-label={label}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      data-testid={testId}
    >
      <option value="">{any}</option>
      {none && <option value={none.value}>{none.label}</option>}
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}
