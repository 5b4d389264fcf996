import { describe, expect, it } from 'vitest';
import type { ImportJob } from '../../../src-shared/contract/types';
import {
  DEFAULT_OPTIONS,
  enqueueOptions,
  forRealOptions,
  groupByBatch,
  matchesFilter,
  parseTags,
  validateOptions,
} from './import-options';

function job(over: Partial<ImportJob>): ImportJob {
  return {
    id: 1,
    batchId: 'b',
    fileId: 'f',
    file: 'a.csv',
    format: 'long',
    status: 'done',
    priority: 'normal',
    dryRun: true,
    attempts: 1,
    bytes: 1,
    bytesDone: 1,
    rowsRead: 1,
    readingsImported: 1,
    duplicates: 0,
    conflicts: 0,
    rowsRejected: 0,
    metersCreated: [],
    errors: [],
    lastError: null,
    createdAt: '2025-01-01T00:00:00Z',
    startedAt: null,
    finishedAt: null,
    rolledBackAt: null,
    rolledBackBy: null,
    sourceId: null,
    source: null,
    preview: null,
    onConflict: 'keep',
    notes: null,
    tags: [],
    nextAttemptAt: null,
    failureKind: null,
    outcome: { grade: 'queued', tone: 'grey', label: 'Queued', summary: '', retry: false },
    ...over,
  };
}

describe('import options', () => {
  it('sends only what differs from the defaults', () => {
    expect(enqueueOptions(DEFAULT_OPTIONS, false)).toEqual({ dryRun: false });
    expect(
      enqueueOptions(
        {
          format: 'smart-csv',
          meter: ' 1012477457919 ',
          onConflict: 'replace',
          priority: 'high',
          notes: ' Q1 ',
          tags: 'octopus, q1,,Q1',
        },
        true,
      ),
    ).toEqual({
      dryRun: true,
      format: 'smart-csv',
      meter: '1012477457919',
      onConflict: 'replace',
      priority: 'high',
      notes: 'Q1',
      tags: ['octopus', 'q1'],
    });
    expect(parseTags(' a , b,a ')).toEqual(['a', 'b']);
  });

  it('validates the meter when given, the tags and the notes', () => {
    expect(validateOptions(DEFAULT_OPTIONS)).toEqual({});
    expect(validateOptions({ ...DEFAULT_OPTIONS, meter: '   ' }).meter).toMatch(/meter id/);
    expect(validateOptions({ ...DEFAULT_OPTIONS, meter: 'x'.repeat(65) }).meter).toMatch(/64/);
    expect(validateOptions({ ...DEFAULT_OPTIONS, tags: 'y'.repeat(41) }).tags).toMatch(/40/);
  });

  it('imports a checked file for real with the options it was checked with', () => {
    expect(forRealOptions(job({ priority: 'high', tags: ['q1'] }), undefined)).toEqual({
      dryRun: false,
      priority: 'high',
      tags: ['q1'],
    });
    expect(forRealOptions(job({}), { dryRun: true, meter: 'M1', format: 'smart-csv' })).toEqual({
      dryRun: false,
      meter: 'M1',
      format: 'smart-csv',
    });
  });

  it('filters by status and text, and groups consecutive jobs of a batch', () => {
    expect(matchesFilter(job({ notes: 'January reads' }), { status: '', search: 'january' })).toBe(true);
    expect(matchesFilter(job({ tags: ['Octopus'] }), { status: 'done', search: 'octo' })).toBe(true);
    expect(matchesFilter(job({}), { status: 'failed', search: '' })).toBe(false);
    const groups = groupByBatch([
      job({ id: 3, batchId: 'x' }),
      job({ id: 2, batchId: 'x' }),
      job({ id: 1, batchId: 'y' }),
    ]);
    expect(groups.map((g) => [g.batchId, g.jobs.map((j) => j.id)])).toEqual([
      ['x', [3, 2]],
      ['y', [1]],
    ]);
  });
});

describe('format menu', () => {
  it('lists every format of the contract, auto first', async () => {
    const { IMPORT_FORMATS } = await import('../../../src-shared/contract/api');
    const { FORMAT_CHOICES } = await import('./import-options');
    expect([...FORMAT_CHOICES].sort()).toEqual([...IMPORT_FORMATS].sort());
    expect(FORMAT_CHOICES[0]).toBe('auto');
  });
});
