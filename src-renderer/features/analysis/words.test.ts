import { describe, expect, it } from 'vitest';
import {
  baseloadMethodText,
  datesInWords,
  changePercent,
  formatKw,
  formatWPerM2,
  halfHourText,
  hoursInWords,
  outliersPossible,
  runText,
} from './words';

describe('formatKw and formatWPerM2', () => {
  it('shows fewer decimals as the figure grows', () => {
    expect(formatKw(0.4234)).toBe('0.42 kW');
    expect(formatKw(12.345)).toBe('12.3 kW');
    expect(formatKw(1540.4)).toBe('1,540 kW');
    expect(formatKw(null)).toBe('—');
  });

  it('shows baseload per floor area in watts per m²', () => {
    // 12 kW over 2,400 m² = 5 W/m²
    expect(formatWPerM2(12 / 2400)).toBe('5 W/m²');
    expect(formatWPerM2(0.01234)).toBe('12.3 W/m²');
    expect(formatWPerM2(null)).toBe('—');
  });
});

describe('hoursInWords', () => {
  it('spells out days and ranges', () => {
    expect(hoursInWords('mon-fri 08:00-18:00')).toBe('Monday to Friday 08:00–18:00');
    expect(hoursInWords('mon-fri 08:00-18:00; sat 09:00-12:30')).toBe(
      'Monday to Friday 08:00–18:00; Saturday 09:00–12:30',
    );
    expect(hoursInWords('sat,sun 10:00-16:00')).toBe('Saturday and Sunday 10:00–16:00');
    expect(hoursInWords('mon 08:00-12:00,13:00-17:00; wed 08:00-12:00')).toBe(
      'Monday 08:00–12:00, 13:00–17:00; Wednesday 08:00–12:00',
    );
  });

  it('says when a site is never open, and leaves text it cannot read as it is', () => {
    expect(hoursInWords('closed')).toBe('Closed every day');
    expect(hoursInWords('whenever')).toBe('whenever');
  });
});

describe('changePercent', () => {
  it('is the change from before to now in percent', () => {
    expect(changePercent(11, 10)).toBeCloseTo(10, 10);
    expect(changePercent(7.5, 10)).toBeCloseTo(-25, 10);
  });
  it('is null without both figures or against nothing', () => {
    expect(changePercent(null, 10)).toBeNull();
    expect(changePercent(10, null)).toBeNull();
    expect(changePercent(10, 0)).toBeNull();
  });
});

describe('runText and halfHourText', () => {
  it('gives a run on one day with its times and zone', () => {
    expect(runText({ from: '2025-03-04T10:30:00.000Z', to: '2025-03-04T12:00:00.000Z', halfHours: 3 })).toBe(
      '4 Mar 2025 10:30–12:00 GMT (3 half-hours)',
    );
    // BST: 09:30 UTC is 10:30 local
    expect(runText({ from: '2025-07-04T09:30:00.000Z', to: '2025-07-04T10:00:00.000Z', halfHours: 1 })).toBe(
      '4 Jul 2025 10:30–11:00 BST (1 half-hour)',
    );
  });

  it('gives both ends of a run over several days, or over a clock change', () => {
    expect(runText({ from: '2025-03-04T22:00:00.000Z', to: '2025-03-06T07:00:00.000Z', halfHours: 66 })).toBe(
      '4 Mar 2025 22:00 GMT – 6 Mar 2025 07:00 GMT (66 half-hours)',
    );
    // 30 Mar 2025 00:00 GMT to 03:00 BST: one local day but the zone changes
    expect(runText({ from: '2025-03-30T00:00:00.000Z', to: '2025-03-30T02:00:00.000Z', halfHours: 4 })).toBe(
      '30 Mar 2025 00:00 GMT – 30 Mar 2025 03:00 BST (4 half-hours)',
    );
    // ending at local midnight stays on one day
    expect(runText({ from: '2025-01-10T22:00:00.000Z', to: '2025-01-11T00:00:00.000Z', halfHours: 4 })).toBe(
      '10 Jan 2025 22:00–00:00 GMT (4 half-hours)',
    );
  });

  it('gives a half-hour in UK local time', () => {
    expect(halfHourText('2025-10-26T01:30:00Z')).toBe('26 Oct 2025 01:30 GMT');
    expect(halfHourText('2025-10-26T00:30:00Z')).toBe('26 Oct 2025 01:30 BST');
  });
});

describe('baseloadMethodText', () => {
  it('names the method', () => {
    expect(baseloadMethodText('lowest-8')).toContain('8 lowest half-hours × 2');
    expect(baseloadMethodText('overnight')).toContain('22:00 and 02:00');
  });
});

describe('datesInWords', () => {
  it('writes the dates of a message from the core in words, and leaves the rest alone', () => {
    expect(datesInWords('No £ figure: 1900000001230 has no tariff for 2025-05-07 and no supplier.')).toBe(
      'No £ figure: 1900000001230 has no tariff for 7 May 2025 and no supplier.',
    );
    expect(datesInWords('from 2024-12-30 to 2025-01-02')).toBe('from 30 Dec 2024 to 2 Jan 2025');
    expect(datesInWords('no dates here')).toBe('no dates here');
  });
});

describe('outliersPossible', () => {
  it('needs 11 weeks: below that no single half-hour can reach |z| > 3 in its weekday-and-time group', () => {
    // the largest |z| one value can have among n (sample standard deviation) is (n − 1) / √n
    const maxZ = (n: number): number => (n - 1) / Math.sqrt(n);
    expect(maxZ(10)).toBeLessThan(3);
    expect(maxZ(11)).toBeGreaterThan(3);
    expect(outliersPossible(76)).toBe(false);
    expect(outliersPossible(77)).toBe(true);
  });
});
