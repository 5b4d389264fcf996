import { describe, expect, it } from 'vitest';
import { emissionsUnavailable, sumEmissions } from './emissions';

describe('sumEmissions', () => {
  it('adds meters per fuel and method, weights coverage by kWh, and never mixes gas with electricity', () => {
    const r = sumEmissions([
      { fuel: 'electricity', method: 'halfhourly', e: { kwh: 100, kgco2: 20, method: 'halfhourly', coverage: 1 } },
      { fuel: 'electricity', method: 'halfhourly', e: { kwh: 300, kgco2: 30, method: 'halfhourly', coverage: 0.5 } },
      { fuel: 'gas', method: 'annual', e: { kwh: 1000, kgco2: 183, method: 'annual', coverage: 1 } },
    ]);
    expect(r).toEqual([
      { fuel: 'electricity', method: 'halfhourly', kwh: 400, kgco2: 50, coverage: 0.625 },
      { fuel: 'gas', method: 'annual', kwh: 1000, kgco2: 183, coverage: 1 },
    ]);
  });
});

describe('emissionsUnavailable', () => {
  it('says why instead of showing 0 kg when no half-hour had an intensity or a factor', () => {
    expect(emissionsUnavailable({ kwh: 59.1, kgco2: 0, coverage: 0, method: 'halfhourly' })).toMatch(
      /^No grid carbon intensity .*fetch it in Carbon/,
    );
    expect(emissionsUnavailable({ kwh: 59.1, kgco2: 0, coverage: 0, method: 'annual' })).toMatch(/^No annual/);
    expect(emissionsUnavailable({ kwh: 0, kgco2: 0, coverage: 0, method: 'annual' })).toBe(
      'No readings in this period.',
    );
    expect(emissionsUnavailable({ kwh: 59.1, kgco2: 12, coverage: 0.4, method: 'halfhourly' })).toBeNull();
  });
});
