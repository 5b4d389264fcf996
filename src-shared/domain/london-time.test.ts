import { describe, expect, it } from 'vitest';
import {
  bstRange,
  halfHoursInLondonDay,
  isoLondon,
  isoUtc,
  londonMidnight,
  londonOffset,
  resolveLondon,
} from './london-time';

const utc = (s: string): number => Date.parse(s) / 1000;

describe('Europe/London clock', () => {
  it('puts BST between the last Sundays of March and October at 01:00 UTC (gov.uk calendar 2024–2027)', () => {
    expect(bstRange(2024).map(isoUtc)).toEqual(['2024-03-31T01:00:00Z', '2024-10-27T01:00:00Z']);
    expect(bstRange(2025).map(isoUtc)).toEqual(['2025-03-30T01:00:00Z', '2025-10-26T01:00:00Z']);
    expect(bstRange(2026).map(isoUtc)).toEqual(['2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z']);
    expect(bstRange(2027).map(isoUtc)).toEqual(['2027-03-28T01:00:00Z', '2027-10-31T01:00:00Z']);
  });

  it('agrees with Intl (tzdata) on the offset every hour through 2025', () => {
    const fmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', timeZoneName: 'short' });
    for (let t = utc('2025-01-01T00:00:00Z'); t < utc('2026-01-01T00:00:00Z'); t += 3600) {
      const name = fmt.formatToParts(new Date(t * 1000)).find((p) => p.type === 'timeZoneName')!.value;
      expect(londonOffset(t), new Date(t * 1000).toISOString()).toBe(name === 'BST' ? 3600 : 0);
    }
  });

  it('counts 46, 48 and 50 half-hours on the spring, normal and autumn days', () => {
    expect(halfHoursInLondonDay(2025, 3, 30)).toBe(46);
    expect(halfHoursInLondonDay(2025, 3, 31)).toBe(48);
    expect(halfHoursInLondonDay(2025, 10, 26)).toBe(50);
    expect(halfHoursInLondonDay(2025, 1, 1)).toBe(48);
  });

  it('resolves local times: summer, winter, the repeated autumn hour and the missing spring hour', () => {
    expect(resolveLondon(2025, 7, 1, 12, 0)).toEqual({ kind: 'ok', utc: utc('2025-07-01T11:00:00Z') });
    expect(resolveLondon(2025, 1, 1, 12, 0)).toEqual({ kind: 'ok', utc: utc('2025-01-01T12:00:00Z') });
    expect(resolveLondon(2025, 10, 26, 1, 30)).toEqual({
      kind: 'ambiguous',
      first: utc('2025-10-26T00:30:00Z'),
      second: utc('2025-10-26T01:30:00Z'),
    });
    expect(resolveLondon(2025, 3, 30, 1, 30)).toEqual({ kind: 'nonexistent' });
    expect(resolveLondon(2025, 3, 30, 2, 0)).toEqual({ kind: 'ok', utc: utc('2025-03-30T01:00:00Z') });
  });

  it('formats local midnight and local ISO strings', () => {
    expect(isoUtc(londonMidnight(2025, 6, 1))).toBe('2025-05-31T23:00:00Z');
    expect(isoLondon(utc('2025-06-01T08:30:00Z'))).toBe('2025-06-01T09:30:00+01:00');
    expect(isoLondon(utc('2025-12-01T08:30:00Z'))).toBe('2025-12-01T08:30:00+00:00');
  });
});
