/**
 * The portfolio tables' rows as CSV for a spreadsheet (table-export.ts, lib/csv.ts: BOM, CRLF,
 * formulas neutralised), in the order and columns shown; figures unformatted (kWh, pounds to the
 * penny, percentages), the last reading in UTC and UK local time. Pure.
 */
import type { MeterRow, SiteRow } from '../../../src-shared/contract/types';
import { FUEL_NAME } from '../../components/FuelBadge';
import { percentOf, poundsOf, tableCsv, timeColumns, type CsvColumn } from '../../components/table-export';
import { changePercent } from './portfolio-table';

/** The meters table's columns in a file. */
const METER_CSV: CsvColumn<MeterRow>[] = [
  { header: 'MPAN / MPRN', value: (m) => m.mpan },
  { header: 'Label', value: (m) => m.label },
  { header: 'Fuel', value: (m) => FUEL_NAME[m.fuel] },
  { header: 'Site', value: (m) => m.site },
  { header: 'Supplier', value: (m) => m.supplier },
  { header: 'Tariff', value: (m) => m.tariff?.name },
  { header: 'Tags', value: (m) => m.tags.join(', ') },
  ...timeColumns<MeterRow>('Last reading', (m) => m.lastReading),
  { header: 'Complete (%)', value: (m) => percentOf(m.completeness) },
  { header: 'kWh this month', value: (m) => m.kwhMonth },
  { header: 'kWh last year', value: (m) => m.kwhMonthLastYear },
  {
    header: 'Change (%)',
    value: (m) => {
      const c = changePercent(m.kwhMonth, m.kwhMonthLastYear);
      return c === null ? null : Math.round(c * 10) / 10;
    },
  },
  { header: '£ this month', value: (m) => poundsOf(m.costMonthPence) },
  { header: '£ last year', value: (m) => poundsOf(m.costMonthLastYearPence) },
  { header: 'Open alerts', value: (m) => m.openAlerts },
  { header: 'Source', value: (m) => m.source?.name },
];

/** The sites table's columns in a file. */
const SITE_CSV: CsvColumn<SiteRow>[] = [
  { header: 'Site', value: (s) => s.name },
  { header: 'Postcode', value: (s) => s.postcode },
  { header: 'Meters', value: (s) => s.meters },
  { header: 'kWh this month', value: (s) => s.kwhMonth },
  { header: 'kWh last year', value: (s) => s.kwhMonthLastYear },
  { header: '£ this month', value: (s) => poundsOf(s.costMonthPence) },
  { header: '£ last year', value: (s) => poundsOf(s.costMonthLastYearPence) },
  { header: 'Meters without a tariff', value: (s) => s.unpricedMeters },
  { header: 'Open alerts', value: (s) => s.openAlerts },
  ...timeColumns<SiteRow>('Last reading', (s) => s.lastReading),
];

/** The rows as shown, for a spreadsheet: the columns above, figures unformatted (kWh, pounds, %). */
export function metersCsv(rows: readonly MeterRow[]): string {
  return tableCsv(METER_CSV, rows);
}

/** The sites as shown, for a spreadsheet. */
export function sitesCsv(rows: readonly SiteRow[]): string {
  return tableCsv(SITE_CSV, rows);
}
