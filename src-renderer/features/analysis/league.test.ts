import { describe, expect, it } from 'vitest';
import type { LeagueRow } from '../../../src-shared/contract/types';
import { meterName, portfolioArgs, worstFew } from './league';

const row = (meter: string, over: Partial<LeagueRow> = {}): LeagueRow => ({
  meter,
  label: null,
  fuel: 'electricity',
  site: null,
  floorAreaM2: null,
  kwh: 1000,
  baseloadKw: 1,
  baseloadKwPerM2: null,
  baseloadChange: null,
  outOfHoursShare: 0.2,
  outOfHoursKwh: 200,
  exceptions: 0,
  exceptionExcessKwh: 0,
  exceptionsLastWeek: 0,
  completeness: 1,
  missingHalfHours: 0,
  gaps: 0,
  zeroRuns: 0,
  negatives: 0,
  outliers: 0,
  lastReading: '2025-03-01T23:30:00Z',
  stale: false,
  ...over,
});

const ids = (rows: LeagueRow[]) => rows.map((r) => r.meter);

describe('worstFew', () => {
  const rows = [
    row('A', { baseloadKw: 4.2, outOfHoursShare: 0.61, outOfHoursKwh: 610, exceptions: 1, exceptionExcessKwh: 40 }),
    row('B', { baseloadKw: 12.5, outOfHoursShare: 0.3, exceptions: 3, exceptionExcessKwh: 10, completeness: 0.92 }),
    row('C', { baseloadKw: null, outOfHoursShare: null, completeness: 0.1, stale: true }),
    row('D', { baseloadKw: 7, outOfHoursShare: 0.61, outOfHoursKwh: 900, exceptions: 3, exceptionExcessKwh: 55 }),
    row('E', { baseloadKw: 0, outOfHoursShare: 0, completeness: 1, stale: true }),
    row('F', { baseloadKw: 7, completeness: 0.92 }),
  ];

  it('picks the highest baseloads, leaving out meters without one', () => {
    // D and F tie at 7 kW: by MPAN
    expect(ids(worstFew(rows, 'baseload'))).toEqual(['B', 'D', 'F']);
    expect(ids(worstFew(rows, 'baseload', 10))).toEqual(['B', 'D', 'F', 'A']);
  });

  it('picks the highest out-of-hours shares, more kWh out of hours first on a tie', () => {
    expect(ids(worstFew(rows, 'outOfHours'))).toEqual(['D', 'A', 'B']);
  });

  it('picks the most exceptions, more excess first on a tie, and only meters with any', () => {
    expect(ids(worstFew(rows, 'exceptions', 5))).toEqual(['D', 'B', 'A']);
    expect(worstFew([row('X'), row('Y')], 'exceptions')).toEqual([]);
  });

  it('picks the lowest completeness, stale meters before others of the same completeness, complete ones left out', () => {
    expect(ids(worstFew(rows, 'quality', 5))).toEqual(['C', 'B', 'F', 'E']);
    expect(worstFew([row('X')], 'quality')).toEqual([]);
  });

  it('agrees with picking the largest left, one at a time, on many portfolios', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let k = 0; k < 50; k++) {
      const list = Array.from({ length: 12 }, (_, i) =>
        row(`M${String(i).padStart(2, '0')}`, { baseloadKw: rand() < 0.2 ? null : Math.round(rand() * 20) }),
      );
      const left = list.filter((r) => r.baseloadKw !== null && r.baseloadKw > 0);
      const picked: string[] = [];
      for (let i = 0; i < 3 && left.length > 0; i++) {
        let best = 0;
        for (let j = 1; j < left.length; j++) {
          const [a, b] = [left[j]!, left[best]!];
          if (a.baseloadKw! > b.baseloadKw! || (a.baseloadKw === b.baseloadKw && a.meter < b.meter)) best = j;
        }
        picked.push(left.splice(best, 1)[0]!.meter);
      }
      expect(ids(worstFew(list, 'baseload'))).toEqual(picked);
    }
  });
});

describe('names and periods', () => {
  it('names a meter by its label, else its MPAN', () => {
    expect(meterName({ meter: '1200000000001', label: 'Kitchen' })).toBe('Kitchen');
    expect(meterName({ meter: '1200000000001', label: null })).toBe('1200000000001');
  });

  it('asks for the call’s own period, a period as at a day, or the days chosen', () => {
    expect(portfolioArgs({ kind: 'latest' })).toEqual({});
    expect(portfolioArgs({ kind: 'asAt', asAt: '2025-03-31' })).toEqual({ asAt: '2025-03-31' });
    expect(portfolioArgs({ kind: 'range', from: '2025-03-01', to: '2025-04-01' })).toEqual({
      from: '2025-03-01',
      to: '2025-04-01',
    });
  });
});
