import { describe, expect, it } from 'vitest';
import type { PeriodTotal } from '../../../src-shared/contract/types';
import { tableCsv } from '../../components/table-export';
import { changePercentOf, totalColumns } from './totals-csv';

const total = (period: string, kwh: number, completeness: number) => ({ period, kwh, completeness }) as PeriodTotal;

describe('period totals exports', () => {
  it('writes a total as its period, kWh and completeness, and nothing for a missing one', () => {
    const rows = [
      { cur: total('2025-03', 12345.678, 0.98765), before: total('2025-02', 10000, 1) },
      { cur: total('2025-W13', 10, 1), before: null },
    ];
    const cols = [
      ...totalColumns<(typeof rows)[number]>('This', (r) => r.cur),
      ...totalColumns<(typeof rows)[number]>('Before', (r) => r.before),
    ];
    expect(tableCsv(cols, rows).slice(1).split('\r\n')).toEqual([
      'This period,This kWh,This complete (%),Before period,Before kWh,Before complete (%)',
      '2025-03,12345.678,98.8,2025-02,10000,100',
      '2025-W13,10,100,,,',
      '',
    ]);
  });

  it('gives the change in % to 0.1, none against nothing used or no total', () => {
    expect(changePercentOf(total('b', 12345.678, 1), total('a', 10000, 1))).toBe(23.5);
    expect(changePercentOf(total('b', 90, 1), total('a', 120, 1))).toBe(-25);
    expect(changePercentOf(total('b', 5, 1), total('a', 0, 1))).toBeNull();
    expect(changePercentOf(total('b', 5, 1), null)).toBeNull();
  });
});
