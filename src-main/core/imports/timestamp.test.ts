import { describe, expect, it } from 'vitest';
import { parseWallClock } from './timestamp';

describe('parseWallClock', () => {
  it.each([
    ['2025-01-01T00:30:00Z', { y: 2025, mo: 1, d: 1, h: 0, mi: 30, s: 0, offset: 0 }],
    ['2025-06-01T09:30:00+01:00', { y: 2025, mo: 6, d: 1, h: 9, mi: 30, s: 0, offset: 60 }],
    ['2025-06-01 09:30', { y: 2025, mo: 6, d: 1, h: 9, mi: 30, s: 0, offset: null }],
    ['26/10/2025 01:30', { y: 2025, mo: 10, d: 26, h: 1, mi: 30, s: 0, offset: null }],
    ['26/10/25 01:30', { y: 2025, mo: 10, d: 26, h: 1, mi: 30, s: 0, offset: null }],
    ['26-10-2025 01:30:00', { y: 2025, mo: 10, d: 26, h: 1, mi: 30, s: 0, offset: null }],
    ['04 Nov 2019 00:30:00', { y: 2019, mo: 11, d: 4, h: 0, mi: 30, s: 0, offset: null }],
    ['Nov 13 2019 12:00AM', { y: 2019, mo: 11, d: 13, h: 0, mi: 0, s: 0, offset: null }],
    ['Nov 13 2019 12:30PM', { y: 2019, mo: 11, d: 13, h: 12, mi: 30, s: 0, offset: null }],
    ['2012-10-12 00:30:00.0000000', { y: 2012, mo: 10, d: 12, h: 0, mi: 30, s: 0, offset: null }],
    ['2025-03-01T10:00:00-0500', { y: 2025, mo: 3, d: 1, h: 10, mi: 0, s: 0, offset: -300 }],
  ])('parses %s', (text, expected) => {
    expect(parseWallClock(text)).toEqual(expected);
  });

  it.each([
    '',
    'not-a-date',
    '31/02/2025 00:00',
    '2025-13-01T00:00Z',
    '2025-01-01T25:00Z',
    '2025-01-01T00:00+1',
    '2025-01-01T00:00Zjunk',
    '13/45/2025',
  ])('rejects %j', (text) => {
    expect(parseWallClock(text)).toBeNull();
  });
});
