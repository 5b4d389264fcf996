/**
 * The portfolio tables' rows as CSV for a spreadsheet (lib/csv.ts: BOM, CRLF, formulas neutralised),
 * in the order and columns shown; figures unformatted (kWh, pounds to the penny, percentages). Pure.
 */
import type { MeterRow, SiteRow } from '../../../src-shared/contract/types';
import { FUEL_NAME } from '../../components/FuelBadge';
import { spreadsheetCsv } from '../../lib/csv';
import { formatUkDateTime } from '../../lib/format';
import { penceToPounds } from '../../lib/money';
import { changePercent } from './portfolio-table';

const pounds = (p: number | null): number | null => (p === null ? null : penceToPounds(p));
const when = (iso: string | null): string | null => (iso ? formatUkDateTime(iso) : null);

/** The rows as shown, for a spreadsheet: the columns above, figures unformatted (kWh, pounds, %). */
export function metersCsv(rows: readonly MeterRow[]): string {
  const change = (m: MeterRow) => {
    const c = changePercent(m.kwhMonth, m.kwhMonthLastYear);
    return c === null ? null : Math.round(c * 10) / 10;
  };
  return spreadsheetCsv(
    [
      'MPAN / MPRN',
      'Label',
      'Fuel',
      'Site',
      'Supplier',
      'Tariff',
      'Tags',
      'Last reading (UK time)',
      'Complete (%)',
      'kWh this month',
      'kWh last year',
      'Change (%)',
      '£ this month',
      '£ last year',
      'Open alerts',
      'Source',
    ],
    rows.map((m) => [
      m.mpan,
      m.label,
      FUEL_NAME[m.fuel],
      m.site,
      m.supplier,
      m.tariff?.name,
      m.tags.join(', '),
      when(m.lastReading),
      m.completeness === null ? null : Math.round(m.completeness * 1000) / 10,
      m.kwhMonth,
      m.kwhMonthLastYear,
      change(m),
      pounds(m.costMonthPence),
      pounds(m.costMonthLastYearPence),
      m.openAlerts,
      m.source?.name,
    ]),
  );
}

/** The sites as shown, for a spreadsheet. */
export function sitesCsv(rows: readonly SiteRow[]): string {
  return spreadsheetCsv(
    [
      'Site',
      'Postcode',
      'Meters',
      'kWh this month',
      'kWh last year',
      '£ this month',
      '£ last year',
      'Meters without a tariff',
      'Open alerts',
      'Last reading (UK time)',
    ],
    rows.map((s) => [
      s.name,
      s.postcode,
      s.meters,
      s.kwhMonth,
      s.kwhMonthLastYear,
      pounds(s.costMonthPence),
      pounds(s.costMonthLastYearPence),
      s.unpricedMeters,
      s.openAlerts,
      when(s.lastReading),
    ]),
  );
}
