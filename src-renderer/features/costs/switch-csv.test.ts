import { describe, expect, it } from 'vitest';
import type { CostResult, SwitchAlternative, SwitchSummary } from '../../../src-shared/contract/types';
import { tableCsv } from '../../components/table-export';
import { ALTERNATIVE_CSV, ranked, SUMMARY_METER_CSV, SUMMARY_PERIOD_CSV, SUMMARY_RUN_CSV } from './switch-csv';

const alt = (
  tariff: string,
  name: string,
  totalPence: number,
  savingPence: number,
  kwh: number,
): SwitchAlternative => ({
  tariff,
  name,
  supplier: 'Bolt',
  totalPence,
  savingPence,
  savingPercent: (savingPence / (totalPence + savingPence)) * 100,
  cost: { kwh } as CostResult,
});

describe('switching exports', () => {
  it('numbers the ranking in the order shown and writes £ and % as numbers, a dearer tariff negative', () => {
    const rows = ranked([alt('a', 'Fix 12', 100_000, 2_345.6, 5000.5), alt('b', '+Green', 110_000, -7_654.4, 5000.5)]);
    const lines = tableCsv(ALTERNATIVE_CSV, rows).slice(1).split('\r\n');
    expect(lines[0]).toBe('Rank,Tariff,Tariff id,Supplier,kWh,Total (£),Saving (£),Saving (%)');
    // saving % of the current cost (total + saving), to 0.1, worked out here independently
    const pct = (s: number, t: number) => Number(((s / (t + s)) * 100).toFixed(1));
    expect(lines[1]).toBe(`1,Fix 12,a,Bolt,5000.5,1000,23.46,${pct(2345.6, 100_000)}`);
    // a name that a spreadsheet would run is text; the negative saving stays a number
    expect(lines[2]).toBe(`2,'+Green,b,Bolt,5000.5,1100,-76.54,${pct(-7654.4, 110_000)}`);
  });

  it('writes an analysis by its meter, its days (the end exclusive) and its run in UTC and UK time', () => {
    const s = {
      meter: '1200050000009',
      meterLabel: null,
      from: '2025-06-01',
      to: '2025-07-01',
      ranAt: '2025-06-30T23:30:00.000Z',
      ranBy: 'ann',
      whatIfPercent: 20,
    } as SwitchSummary;
    const [head, line] = tableCsv([...SUMMARY_METER_CSV, ...SUMMARY_PERIOD_CSV, ...SUMMARY_RUN_CSV], [s])
      .slice(1)
      .split('\r\n');
    expect(head).toBe('MPAN / MPRN,Meter label,From,To (exclusive),Run (UTC),Run (UK local),Run by,What-if (%)');
    // 23:30 UTC on 30 June is 00:30 BST on 1 July
    expect(line).toBe('1200050000009,,2025-06-01,2025-07-01,2025-06-30T23:30:00Z,01/07/2025 00:30,ann,20');
  });
});
