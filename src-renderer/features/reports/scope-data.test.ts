import { describe, expect, it } from 'vitest';
import type { MeterSummary, SiteSummary } from '../../../src-shared/contract/types';
import type { ExportChoice, ScopeChoice } from './report-form';
import {
  dataWords,
  emptyExport,
  exportFileName,
  monthDays,
  scopeMonth,
  withDataWords,
  type ScopeLists,
} from './scope-data';

/** A meter with readings from the day `first` to the day `last` (UK local days). */
const meter = (mpan: string, siteId: number | null, first: string, last: string): MeterSummary =>
  ({
    mpan,
    siteId,
    label: null,
    fuel: 'electricity',
    site: null,
    firstReading: `${first}T00:00:00Z`,
    lastReading: `${last}T12:00:00Z`,
    lastCompleteDay: last,
    readings: 1,
  }) as unknown as MeterSummary;

const lists: ScopeLists = {
  meters: [
    meter('1200050000009', null, '2019-11-05', '2020-01-14'),
    meter('1200050000106', 3, '2024-11-01', '2025-03-31'),
    meter('1200050000203', 3, '2025-01-01', '2025-02-10'),
  ],
  sites: [{ id: 3, name: 'Leeds' } as SiteSummary],
};
const m1: ScopeChoice = { kind: 'meter', meter: '1200050000009', siteId: null };
const site: ScopeChoice = { kind: 'site', meter: '', siteId: 3 };

describe('the month a scope opens on', () => {
  it("is the latest complete month of the scope's readings, whatever the clock says", () => {
    expect(scopeMonth(lists, m1, '2026-10')).toBe('2019-12');
    // the site: its latest-reading meter ends on 31/03, a whole March
    expect(scopeMonth(lists, site, '2026-10')).toBe('2025-03');
    expect(scopeMonth(lists, { kind: 'portfolio', meter: '', siteId: null }, '2026-10')).toBe('2025-03');
    // a day of readings, no whole month: the month of that day
    const oneDay: ScopeLists = { ...lists, meters: [meter('1200050000300', null, '2019-11-13', '2019-11-13')] };
    expect(scopeMonth(oneDay, { kind: 'meter', meter: '1200050000300', siteId: null }, '2026-10')).toBe('2019-11');
    // no readings: the fallback
    expect(scopeMonth(lists, { kind: 'meter', meter: '1200050000300', siteId: null }, '2026-10')).toBe('2026-10');
  });

  it('gives a month its first and last days, December and a leap February included', () => {
    expect(monthDays('2024-02')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(monthDays('2025-12')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
  });
});

describe('where the data is', () => {
  it('adds the scope’s reading days to a "no readings" error only', () => {
    expect(dataWords(lists, m1)).toBe('readings from 05/11/2019 to 14/01/2020');
    expect(
      withDataWords(
        'Meter 1200050000009 has no readings in October 2026; import its data or pick another month',
        lists,
        m1,
      ),
    ).toBe(
      'Meter 1200050000009 has no readings in October 2026; import its data or pick another month' +
        ' (meter 1200050000009 has readings from 05/11/2019 to 14/01/2020).',
    );
    expect(withDataWords('Sign in to continue', lists, m1)).toBe('Sign in to continue');
  });

  it('finds an export with no readings before it runs, and lets one that overlaps the data go', () => {
    const c: ExportChoice = { table: 'readings-long', scope: site, from: '2025-04-01', to: '2025-04-30' };
    expect(emptyExport(lists, c)).toBe(
      'No readings for site ‘Leeds’ between 01/04/2025 and 30/04/2025 (it has readings from 01/11/2024 to 31/03/2025): nothing to export',
    );
    expect(emptyExport(lists, { ...c, from: '2025-03-31' })).toBeNull();
    expect(emptyExport(lists, { ...c, from: '2024-10-01', to: '2024-11-01' })).toBeNull();
    expect(emptyExport(lists, { ...c, from: '2024-10-01', to: '2024-10-31' })).toMatch(/^No readings for site/);
    // alerts are not readings: asked for whatever the days
    expect(emptyExport(lists, { ...c, table: 'alerts' })).toBeNull();
  });
});

describe('exportFileName', () => {
  it('names the last day included, not the exclusive end the request carries', () => {
    expect(
      exportFileName({
        what: 'readings',
        scope: { meter: '1200050000009' },
        from: '2025-02-01',
        to: '2025-03-01',
        layout: 'long',
      }),
    ).toBe('eclectyc-readings-meter-1200050000009-2025-02-01-to-2025-02-28.csv');
    expect(
      exportFileName({ what: 'readings', scope: { siteId: 3 }, from: '2024-12-01', to: '2025-01-01', layout: 'wide' }),
    ).toBe('eclectyc-readings-wide-site-3-2024-12-01-to-2024-12-31.csv');
    expect(exportFileName({ what: 'days', scope: { all: true }, from: '2025-03-30', to: '2025-03-31' })).toBe(
      'eclectyc-days-all-2025-03-30-to-2025-03-30.csv',
    );
  });
});
