import { describe, expect, it } from 'vitest';
import {
  MAX_FOCUS_DAYS,
  focusWindow,
  halfHourlyAtHref,
  halfHourlyDayHref,
  londonDay,
  meterQueryString,
  meterViewHref,
  parseMeterQuery,
} from './meter-view';

const M = '1012477457919';

describe('parseMeterQuery', () => {
  it('reads the view and falls back to the half-hourly chart', () => {
    expect(parseMeterQuery(`#/meters/${M}`).view).toBe('half-hourly');
    expect(parseMeterQuery(`#/meters/${M}?view=daily`).view).toBe('daily');
    expect(parseMeterQuery(`#/meters/${M}?view=analysis`).view).toBe('analysis');
    expect(parseMeterQuery(`#/meters/${M}?view=nonsense`).view).toBe('half-hourly');
    // the cost card's own query is no view
    expect(parseMeterQuery(`#/meters/${M}?section=tariff`).view).toBe('half-hourly');
  });

  it('reads a day to open on, how many days, and a mark; refuses what is not a date', () => {
    const q = parseMeterQuery(`#/meters/${M}?view=half-hourly&day=2025-03-04&days=3&at=2025-03-04T10:30:00Z`);
    expect(q).toMatchObject({ day: '2025-03-04', days: 3, at: '2025-03-04T10:30:00Z' });
    expect(parseMeterQuery(`#/meters/${M}?day=2025-02-30`).day).toBeNull();
    expect(parseMeterQuery(`#/meters/${M}?day=04/03/2025`).day).toBeNull();
    expect(parseMeterQuery(`#/meters/${M}?day=2025-03-04&days=0`).days).toBe(1);
    expect(parseMeterQuery(`#/meters/${M}?day=2025-03-04&days=1.5`).days).toBe(1);
    expect(parseMeterQuery(`#/meters/${M}?day=2025-03-04&days=400`).days).toBe(MAX_FOCUS_DAYS);
    expect(parseMeterQuery(`#/meters/${M}?at=yesterday`).at).toBeNull();
  });

  it('reads the analysis range and baseline period', () => {
    const q = parseMeterQuery(
      `#/meters/${M}?view=analysis&from=2025-01-06&to=2025-03-03&bfrom=2024-01-01&bto=2025-01-01`,
    );
    expect(q).toMatchObject({
      from: '2025-01-06',
      to: '2025-03-03',
      baselineFrom: '2024-01-01',
      baselineTo: '2025-01-01',
    });
  });
});

describe('meterQueryString and links', () => {
  it('writes nothing for the plain half-hourly view and round-trips every state', () => {
    expect(meterQueryString({ view: 'half-hourly' })).toBe('');
    expect(meterQueryString({ view: 'heatmap' })).toBe('?view=heatmap');
    const states = [
      { view: 'half-hourly' as const, day: '2025-03-04', days: 2, at: '2025-03-04T23:30:00.000Z' },
      {
        view: 'analysis' as const,
        from: '2025-01-06',
        to: '2025-03-03',
        baselineFrom: '2024-01-01',
        baselineTo: '2025-01-01',
      },
    ];
    for (const s of states) expect(parseMeterQuery(`#/meters/${M}${meterQueryString(s)}`)).toMatchObject(s);
  });

  it('leaves out half-given ranges, and analysis state from other views', () => {
    expect(meterQueryString({ view: 'analysis', from: '2025-01-06', to: null })).toBe('?view=analysis');
    expect(meterQueryString({ view: 'daily', from: '2025-01-06', to: '2025-02-01' })).toBe('?view=daily');
  });

  it('links a day to the half-hourly chart', () => {
    expect(halfHourlyDayHref(M, '2025-03-04')).toBe(`#/meters/${M}?view=half-hourly&day=2025-03-04`);
    expect(meterViewHref(M, { view: 'daily' })).toBe(`#/meters/${M}?view=daily`);
  });

  it('links a run to the UK days it covers, marking its start (BST and across midnight)', () => {
    // 23:00 UTC on 30 Jun is 00:00 BST on 1 Jul; the run ends at 01:00 UTC on 2 Jul = 02:00 BST
    const q = parseMeterQuery(halfHourlyAtHref(M, '2025-06-30T23:00:00.000Z', '2025-07-02T01:00:00.000Z'));
    expect(q).toMatchObject({ view: 'half-hourly', day: '2025-07-01', days: 2, at: '2025-06-30T23:00:00.000Z' });
    // a run ending exactly at local midnight stays on its day
    const one = parseMeterQuery(halfHourlyAtHref(M, '2025-01-10T22:00:00.000Z', '2025-01-11T00:00:00.000Z'));
    expect(one).toMatchObject({ day: '2025-01-10', days: 1 });
  });
});

describe('focusWindow', () => {
  it('is the UK local days as UTC instants, 23 hours on the spring clock change', () => {
    expect(focusWindow({ day: null, days: 1 })).toBeNull();
    expect(focusWindow({ day: '2025-01-10', days: 1 })).toEqual({
      fromMs: Date.UTC(2025, 0, 10),
      toMs: Date.UTC(2025, 0, 11),
    });
    // 30 Mar 2025 starts at 00:00 GMT and ends at 00:00 BST (23:00 UTC)
    expect(focusWindow({ day: '2025-03-30', days: 1 })).toEqual({
      fromMs: Date.UTC(2025, 2, 30),
      toMs: Date.UTC(2025, 2, 30, 23),
    });
    // two summer days: 23:00 UTC to 23:00 UTC
    expect(focusWindow({ day: '2025-07-01', days: 2 })).toEqual({
      fromMs: Date.UTC(2025, 5, 30, 23),
      toMs: Date.UTC(2025, 6, 2, 23),
    });
  });

  it('londonDay gives the UK date of an instant', () => {
    expect(londonDay('2025-06-30T23:00:00Z')).toBe('2025-07-01');
    expect(londonDay('2025-01-31T23:59:00Z')).toBe('2025-01-31');
  });
});
