import { describe, expect, it } from 'vitest';
import type { SiteSummary } from '../../../src-shared/contract/types';
import {
  checkClosure,
  checkFloorArea,
  checkLocation,
  checkSiteFields,
  closureDays,
  closureLastDay,
  coordinateText,
  draftOfSite,
} from './site-fields';

describe('checkLocation', () => {
  it('takes both coordinates inside the UK, or neither', () => {
    expect(checkLocation('51.38', '-2.36')).toEqual({ ok: true, value: { latitude: 51.38, longitude: -2.36 } });
    expect(checkLocation(' 60.15 ', '\u22121.15')).toEqual({ ok: true, value: { latitude: 60.15, longitude: -1.15 } });
    expect(checkLocation('', '  ')).toEqual({ ok: true, value: null });
    expect(coordinateText(-2.36)).toBe('-2.36');
    expect(coordinateText(null)).toBe('');
  });

  it('says in words which coordinate is wrong and why', () => {
    const r = checkLocation('40.7', '-74');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.latitude).toBe('40.7° is outside the UK: latitudes run from 49 (Channel Islands) to 61 (Shetland)');
    expect(r.errors.longitude).toMatch(/^\u221274° is outside the UK: longitudes run from −9/);
    const half = checkLocation('51.38', '');
    expect(half).toEqual({ ok: false, errors: { longitude: 'Enter the longitude too (e.g. −2.36), or clear both' } });
    const words = checkLocation('north', '2.5');
    expect(words.ok ? null : words.errors).toEqual({
      latitude: '“north” is not a number: type degrees north, e.g. 51.38',
      longitude: expect.stringMatching(/^2.5° is outside the UK/),
    });
    // the edges are inside
    expect(checkLocation('49', '2').ok).toBe(true);
    expect(checkLocation('61', '-9').ok).toBe(true);
  });
});

describe('checkFloorArea', () => {
  it('reads square metres with or without thousands separators; empty means not known', () => {
    expect(checkFloorArea('2400')).toEqual({ ok: true, value: 2400 });
    expect(checkFloorArea('12,500.5')).toEqual({ ok: true, value: 12500.5 });
    expect(checkFloorArea('')).toEqual({ ok: true, value: null });
  });

  it('refuses what is not an area', () => {
    expect(checkFloorArea('big')).toEqual({
      ok: false,
      errors: { floorAreaM2: '“big” is not a number of square metres, e.g. 2400' },
    });
    expect(checkFloorArea('0')).toMatchObject({
      ok: false,
      errors: { floorAreaM2: expect.stringMatching(/above 0 m²/) },
    });
    expect(checkFloorArea('20000000')).toMatchObject({ ok: false });
  });
});

describe('closures', () => {
  it('sends the day after the last day closed as the exclusive end', () => {
    expect(checkClosure('2025-12-22', '2026-01-02')).toEqual({
      ok: true,
      value: { from: '2025-12-22', to: '2026-01-03' },
    });
    // one day: first = last; month and leap-year ends roll over
    expect(checkClosure('2024-02-29', '2024-02-29')).toEqual({
      ok: true,
      value: { from: '2024-02-29', to: '2024-03-01' },
    });
  });

  it('says what is missing or the wrong way round', () => {
    expect(checkClosure('', '')).toEqual({
      ok: false,
      errors: {
        first: 'Enter the first day closed, as DD/MM/YYYY',
        last: 'Enter the last day closed, as DD/MM/YYYY (the same day for one day)',
      },
    });
    expect(checkClosure('2025-04-10', '2025-04-07')).toEqual({
      ok: false,
      errors: { last: 'The last day (07/04/2025) is before the first (10/04/2025)' },
    });
    expect(checkClosure('31/02/2025', '2025-03-01')).toMatchObject({
      ok: false,
      errors: { first: 'February 2025 has 28 days: there is no day 31.' },
    });
  });

  it('shows a stored closure by its last day, both ends counted', () => {
    const c = { from: '2025-12-22', to: '2026-01-03' };
    expect(closureLastDay(c)).toBe('2026-01-02');
    expect(closureDays(c)).toBe(12);
    // across the clocks going forward (30 Mar 2025): still whole days
    expect(closureDays({ from: '2025-03-29', to: '2025-03-31' })).toBe(2);
  });
});

describe('the site fields together', () => {
  const site = {
    id: 4,
    name: 'Bath school',
    latitude: 51.38,
    longitude: -2.36,
    floorAreaM2: 2400,
    generation: true,
  } as SiteSummary;

  it('types a stored site back into its inputs and reads them again unchanged', () => {
    const d = draftOfSite(site);
    expect(d).toEqual({ latitude: '51.38', longitude: '-2.36', floorArea: '2400', generation: true });
    expect(checkSiteFields(d)).toEqual({
      ok: true,
      value: { latitude: 51.38, longitude: -2.36, floorAreaM2: 2400, generation: true },
    });
    expect(checkSiteFields(draftOfSite(null))).toEqual({
      ok: true,
      value: { latitude: null, longitude: null, floorAreaM2: null, generation: false },
    });
  });

  it('gathers every field’s message, keyed as the contract names the fields', () => {
    const r = checkSiteFields({ latitude: '70', longitude: '', floorArea: '-5', generation: false });
    expect(r.ok ? [] : Object.keys(r.errors).sort()).toEqual(['floorAreaM2', 'latitude', 'longitude']);
  });
});
