import { describe, expect, it } from 'vitest';
import { tariffSpecSchema } from '../../../src-shared/domain/tariff-spec';
import { bandSummary, cclText, daysText, formatPence, regionText, windowText } from './text';
import { unitRatesText } from './versions';
import { BUSINESS, E7, tariff, version } from './testing';

describe('tariff labels', () => {
  it('writes pence as on a bill, without trailing zeros, with a real minus sign', () => {
    expect(formatPence(13.1)).toBe('13.1p');
    expect(formatPence(24)).toBe('24p');
    expect(formatPence(0.775)).toBe('0.775p');
    expect(formatPence(-2.15)).toBe('−2.15p');
    expect(formatPence(null)).toBe('—');
  });

  it('names regions by DNO area and GSP letter, national when none', () => {
    expect(regionText(null)).toBe('National');
    expect(regionText([])).toBe('National');
    expect(regionText([12, 10])).toBe('Eastern (A), London (C)');
    expect(regionText([10, 11, 12])).toBe('Eastern (A), East Midlands (B), London (C)');
    expect(regionText([10, 11, 12, 23])).toBe('Eastern (A), East Midlands (B) +2 more');
    expect(regionText([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23])).toBe('All 14 areas');
  });

  it('collapses day lists into runs', () => {
    expect(daysText(['mon', 'tue', 'wed', 'thu', 'fri'])).toBe('Mon–Fri');
    expect(daysText(['sat', 'sun', 'holiday'])).toBe('Sat, Sun, bank holidays');
    expect(daysText(['mon', 'wed', 'thu', 'fri', 'sun'])).toBe('Mon, Wed–Fri, Sun');
    expect(daysText(undefined)).toBe('every day');
    expect(daysText(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'holiday'], { blankWhenAll: true })).toBe('');
    // seven days without holidays is every day only when the tariff does not price holidays itself
    expect(
      daysText(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], { blankWhenAll: true, holidaysPriced: false }),
    ).toBe('');
    expect(daysText(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], { holidaysPriced: true })).toBe('every day');
  });

  it('summarises bands compactly: Economy 7, single rate and day-specific bands', () => {
    expect(bandSummary(E7.rates)).toBe('00:30–07:30 13.1p · 07:30–00:30 31.9p');
    expect(bandSummary([{ pencePerKwh: 24.5 }])).toBe('24.5p all day');
    expect(bandSummary(BUSINESS.rates)).toBe(
      'Mon–Fri 16:00–19:00 35p · Mon–Fri 07:00–16:00 25p · Mon–Fri 19:00–23:00 25p · Mon–Fri 23:00–07:00 12p · Sat, Sun, bank holidays all day 15p',
    );
    expect(bandSummary([])).toBe('');
    // an end written 24:00 reads 24:00, not midnight of the same day
    expect(
      bandSummary([
        { pencePerKwh: 10, from: '00:00', to: '12:00' },
        { pencePerKwh: 20, from: '12:00', to: '24:00' },
      ]),
    ).toBe('00:00–12:00 10p · 12:00–24:00 20p');
  });

  it('writes rate windows, whole days included', () => {
    expect(windowText({})).toBe('all day');
    expect(windowText({ from: '07:00', to: '07:00' })).toBe('all day');
    expect(windowText({ from: '23:00', to: '06:00' })).toBe('23:00–06:00');
    expect(windowText({ from: '7:30', to: '24:00' })).toBe('07:30–24:00');
  });

  it('describes CCL and VAT settings', () => {
    expect(cclText(0)).toBe('None');
    expect(cclText(undefined)).toBe('None');
    expect(cclText('statutory')).toBe('Statutory (gov.uk rates)');
    expect(cclText(0.775)).toBe('0.775p/kWh');
    expect(cclText([{ from: '2026-04-01', pencePerKwh: 0.801 }])).toBe('0.801p/kWh from 2026-04-01');
    expect(
      cclText([
        { from: '2025-04-01', pencePerKwh: 0.775 },
        { from: '2026-04-01', pencePerKwh: 0.801 },
      ]),
    ).toBe('2 dated rates');
  });

  it('shows dynamic tariffs by their stored prices', () => {
    const spec = tariffSpecSchema.parse({ ...E7, id: 'agile', rates: undefined, halfHourlyPrices: [] });
    const t = tariff({
      kind: 'dynamic',
      versions: [version(spec, null, { count: 1488, first: '2025-01-01T00:00:00Z', last: '2025-01-31T23:30:00Z' })],
    });
    expect(unitRatesText(t, t.versions[0]!)).toBe('Half-hourly prices · 1,488 prices stored');
    const none = tariff({ kind: 'dynamic', versions: [version(spec, null, { count: 0, first: null, last: null })] });
    expect(unitRatesText(none, none.versions[0]!)).toBe('Half-hourly prices · no prices stored yet');
  });
});
