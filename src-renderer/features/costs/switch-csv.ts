/** The switching analysis' ranking as CSV columns (table-export.ts): rank, tariff, £ and the saving, unformatted. */
import type { SwitchAlternative, SwitchSummary } from '../../../src-shared/contract/types';
import { poundsOf, timeColumns, type CsvColumn } from '../../components/table-export';

/** An alternative with its place in the ranking (1: the cheapest). */
export type RankedAlternative = SwitchAlternative & { rank: number };

/** The ranking's rows in the order shown, numbered. */
export const ranked = (alternatives: readonly SwitchAlternative[]): RankedAlternative[] =>
  alternatives.map((a, i) => ({ ...a, rank: i + 1 }));

/** The ranking's columns as the table shows them, with the kWh priced and the figures in £ and %. */
export const ALTERNATIVE_CSV: readonly CsvColumn<RankedAlternative>[] = [
  { header: 'Rank', value: (a) => a.rank },
  { header: 'Tariff', value: (a) => a.name },
  { header: 'Tariff id', value: (a) => a.tariff },
  { header: 'Supplier', value: (a) => a.supplier },
  { header: 'kWh', value: (a) => a.cost.kwh },
  { header: 'Total (£)', value: (a) => poundsOf(a.totalPence) },
  { header: 'Saving (£)', value: (a) => poundsOf(a.savingPence) },
  { header: 'Saving (%)', value: (a) => (a.savingPercent === null ? null : Math.round(a.savingPercent * 10) / 10) },
];

/** An analysis' meter: its MPAN/MPRN and label. */
export const SUMMARY_METER_CSV: readonly CsvColumn<SwitchSummary>[] = [
  { header: 'MPAN / MPRN', value: (h) => h.meter },
  { header: 'Meter label', value: (h) => h.meterLabel },
];

/** An analysis' period: UK days, the last one excluded (as the app's ranges). */
export const SUMMARY_PERIOD_CSV: readonly CsvColumn<SwitchSummary>[] = [
  { header: 'From', value: (h) => h.from },
  { header: 'To (exclusive)', value: (h) => h.to },
];

/** When an analysis ran (UTC and UK local), who ran it, and its what-if share. */
export const SUMMARY_RUN_CSV: readonly CsvColumn<SwitchSummary>[] = [
  ...timeColumns<SwitchSummary>('Run', (h) => h.ranAt),
  { header: 'Run by', value: (h) => h.ranBy },
  { header: 'What-if (%)', value: (h) => h.whatIfPercent },
];
