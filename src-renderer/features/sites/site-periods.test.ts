import { describe, expect, it } from 'vitest';
import type { MeterSummary } from '../../../src-shared/contract/types';
import { latestMonth } from './site-periods';

const meter = (firstReading: string, lastReading: string, lastCompleteDay: string | null) =>
  ({ firstReading, lastReading, lastCompleteDay }) as MeterSummary;

describe('a site’s latest complete month', () => {
  it('is the last full month up to its meters’ latest complete day, not after a stray later reading', () => {
    expect(latestMonth([meter('2020-01-01T00:00:00Z', '2020-08-14T09:00:00Z', '2020-04-30')])).toBe('2020-04');
  });

  it('is none when no full month up to that day has readings (never an empty month compared)', () => {
    // the Octopus file: 4–8 May 2020 only; April 2020 has no readings
    expect(latestMonth([meter('2020-05-04T21:30:00Z', '2020-05-07T23:00:00Z', '2020-05-07')])).toBeNull();
    expect(latestMonth([meter('2020-05-04T21:30:00Z', '2020-05-04T22:00:00Z', null)])).toBeNull();
  });
});
