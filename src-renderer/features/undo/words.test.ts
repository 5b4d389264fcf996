import { describe, expect, it } from 'vitest';
import type { ImportJob, RollbackResult, TrashEntry } from '../../../src-shared/contract/types';
import { dayRange, nextDay, rollbackLines, rolledBackMessage, rolledBackNote, trashState } from './words';

const result = (r: Partial<RollbackResult>): RollbackResult => ({
  job: { id: 7, file: 'april.csv' } as ImportJob,
  dryRun: true,
  readingsRemoved: 0,
  valuesRestored: 0,
  laterImports: [],
  meters: [],
  metersRemoved: [],
  refetch: null,
  ...r,
});

describe('rollbackLines', () => {
  it('says what goes and what comes back, and that roll-ups follow', () => {
    expect(rollbackLines(result({ readingsRemoved: 1488, valuesRestored: 1, meters: ['1200050000009'] }))).toEqual([
      '1,488 readings it added will be taken out of meter 1200050000009.',
      '1 reading it replaced will get its earlier value back.',
      'Roll-ups, analyses and alerts are brought up to date straight away. The file can be imported again.',
    ]);
  });

  it('names later imports that keep their values and meters that will be deleted', () => {
    const lines = rollbackLines(
      result({
        readingsRemoved: 48,
        meters: ['1200050000009', '1200050000106'],
        laterImports: [{ jobId: 9, file: 'may.csv', readings: null, error: null }],
        metersRemoved: ['1200050000106'],
      }),
    );
    expect(lines[0]).toBe('48 readings it added will be taken out of 2 meters.');
    expect(lines[1]).toMatch(/^may\.csv \(imported after it\) gave some of the same half-hours/);
    expect(lines[2]).toMatch(/^Meter 1200050000106, created by this import, will have no readings left/);
  });

  it('says that the data source that fetched it will fetch those days again', () => {
    const lines = rollbackLines(
      result({ readingsRemoved: 48, refetch: { sourceId: 2, source: 'Octopus home', from: '2020-05-04' } }),
    );
    expect(lines.at(-2)).toBe('Octopus home will fetch the days from 4 May 2020 again on its next run.');
  });

  it('says when nothing it wrote is left', () => {
    expect(rollbackLines(result({}))[0]).toBe(
      'Nothing it wrote is still stored: later imports or deletions have replaced it all.',
    );
  });
});

describe('rolledBackMessage and rolledBackNote', () => {
  it('counts what happened', () => {
    expect(
      rolledBackMessage(
        result({
          readingsRemoved: 2,
          valuesRestored: 0,
          laterImports: [{ jobId: 9, file: 'may.csv', readings: 5, error: null }],
          metersRemoved: ['1200050000106'],
        }),
      ),
    ).toBe('2 readings taken out, 0 values put back, 5 half-hours now from later imports; 1 empty meter deleted.');
  });

  it('says when (UK time) and by whom', () => {
    expect(rolledBackNote({ rolledBackAt: '2024-07-01T09:30:00Z', rolledBackBy: 'alice' })).toBe(
      'Rolled back on 1 Jul 2024 10:30 by alice.',
    );
    expect(rolledBackNote({ rolledBackAt: null, rolledBackBy: null })).toBe('Rolled back.');
  });
});

describe('dayRange', () => {
  it('turns a first and last day (both included) into [from, to)', () => {
    expect(dayRange('2024-03-01', '2024-03-31')).toEqual({ ok: true, from: '2024-03-01', to: '2024-04-01' });
    expect(dayRange('2024-12-31', '2024-12-31')).toEqual({ ok: true, from: '2024-12-31', to: '2025-01-01' });
    expect(nextDay('2024-02-28')).toBe('2024-02-29');
  });

  it('says what is wrong with each field', () => {
    expect(dayRange('', '31/02/2024')).toEqual({
      ok: false,
      errors: {
        first: 'Enter a date as DD/MM/YYYY, e.g. 09/04/2020.',
        last: 'February 2024 has 29 days: there is no day 31.',
      },
    });
    expect(dayRange('2024-03-05', '2024-03-01')).toEqual({
      ok: false,
      errors: { last: 'The last day comes before the first: swap them.' },
    });
  });
});

describe('trashState', () => {
  const entry = (e: Partial<TrashEntry>): TrashEntry => ({
    id: 1,
    kind: 'meter',
    label: 'Meter 1200050000009',
    createdAt: '2024-07-01T09:00:00Z',
    createdBy: 'alice',
    restoredAt: null,
    restoredBy: null,
    counts: { sites: 0, meters: 1, days: 0, halfHours: 0, tariffAssignments: 0, alerts: 0 },
    meters: ['1200050000009'],
    ...e,
  });

  it('says until when a deletion is kept, or when it was put back', () => {
    expect(trashState(entry({}), 30, Date.parse('2024-07-02T09:00:00Z'))).toBe('Kept until 31 Jul 2024');
    expect(trashState(entry({}), 30, Date.parse('2024-07-30T12:00:00Z'))).toBe('Kept until tomorrow');
    expect(trashState(entry({ restoredAt: '2024-07-01T12:00:00Z', restoredBy: 'bob' }), 30)).toBe(
      'Put back on 1 Jul 2024 13:00 by bob',
    );
  });
});
