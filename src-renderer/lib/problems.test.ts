import { describe, expect, it } from 'vitest';
import type { SwitchRunFailure } from '../../src-shared/contract/types';
import { describeProblem, groupFailures } from './problems';

const noTariff = (meter: string): SwitchRunFailure => ({
  meter,
  code: 'NOT_FOUND',
  reason: `${meter} has no tariff for 2024-03-01 and no supplier is set for it: assign a tariff from that date, …`,
  details: { reason: 'no-tariff', meter, from: '2024-03-01', firstAssignment: null, supplier: null },
});

describe('describeProblem', () => {
  it('words a missing tariff for people, links to the meter’s tariff and offers no Retry', () => {
    const p = describeProblem('NOT_FOUND', 'ignored', noTariff('1012477457919').details);
    expect(p).toEqual({
      message:
        'No tariff prices 1012477457919 from 1 Mar 2024: no supplier is set for it. Assign a tariff from that day, or set its supplier and that supplier’s default tariff.',
      action: { label: 'Assign a tariff', href: '#/meters/1012477457919?section=tariff' },
      retry: false,
    });
  });

  it('offers Retry only where trying again could help', () => {
    expect(describeProblem('UNAVAILABLE', 'Cannot reach the host', undefined).retry).toBe(true);
    expect(describeProblem('INTERNAL', 'Something went wrong', undefined).retry).toBe(true);
    for (const code of ['NOT_FOUND', 'BAD_INPUT', 'INVALID_ARGS', 'CONFLICT', 'FORBIDDEN'])
      expect(describeProblem(code, 'x', undefined).retry).toBe(false);
    expect(describeProblem('NOT_FOUND', 'no meter 1', undefined).message).toBe('No meter 1');
  });
});

describe('groupFailures', () => {
  it('groups 29 meters without a tariff into one line, the others apart', () => {
    const failed = [
      ...Array.from({ length: 29 }, (_, i) => noTariff(`10000000000${String(i).padStart(2, '0')}`)),
      { meter: 'X1', code: 'NOT_FOUND', reason: 'X1 has no readings', details: { reason: 'no-readings', meter: 'X1' } },
      { meter: 'X2', code: 'INTERNAL', reason: 'The analysis failed unexpectedly' },
    ] satisfies SwitchRunFailure[];
    const groups = groupFailures(failed);
    expect(groups.map((g) => [g.key, g.headline, g.meters.length])).toEqual([
      ['no-tariff', '29 meters have no tariff', 29],
      ['no-readings', '1 meter has no readings yet', 1],
      ['other', '1 meter could not be analysed', 1],
    ]);
    expect(groups[0]!.action).toEqual({ label: 'assign tariffs', href: '#/meters/1000000000000?section=tariff' });
    expect(groups[0]!.meters[3]).toEqual({
      meter: '1000000000003',
      message: 'no tariff from 1 Mar 2024',
      href: '#/meters/1000000000003?section=tariff',
      linkLabel: 'Assign a tariff',
    });
    expect(groups[2]!.meters[0]!.message).toBe('The analysis failed unexpectedly');
  });
});
