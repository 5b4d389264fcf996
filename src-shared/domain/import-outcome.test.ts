import { describe, expect, it } from 'vitest';
import { gradeImport, type GradedJob } from './import-outcome';

const job = (over: Partial<GradedJob>): GradedJob => ({
  status: 'done',
  dryRun: false,
  rowsRead: 7,
  readingsImported: 7,
  duplicates: 0,
  conflicts: 0,
  rowsRejected: 0,
  failureKind: null,
  ...over,
});

describe('gradeImport', () => {
  it('a clean import is done, in green, and needs no retry', () => {
    expect(gradeImport(job({}))).toEqual({
      grade: 'done',
      tone: 'green',
      label: 'Done',
      summary: '7 readings imported.',
      retry: false,
    });
  });

  it('6 of 7 rows rejected is done with problems, in amber, not a green "Done"', () => {
    const o = gradeImport(job({ readingsImported: 1, rowsRejected: 6 }));
    expect(o).toMatchObject({ grade: 'done-with-problems', tone: 'amber', label: 'Done with problems' });
    expect(o.summary).toBe('1 reading imported; 6 of 7 rows rejected.');
  });

  it('conflicts with stored readings are problems too', () => {
    expect(gradeImport(job({ readingsImported: 5, conflicts: 2 }))).toMatchObject({
      grade: 'done-with-problems',
      summary: '5 readings imported; 2 conflicts with stored readings.',
    });
  });

  it('says when a conflict replaced a stored reading, so "0 readings imported" never hides a change', () => {
    expect(
      gradeImport(job({ readingsImported: 0, duplicates: 239, conflicts: 1, onConflict: 'replace' })),
    ).toMatchObject({ summary: "0 readings imported; 1 stored reading replaced with the file's value." });
    expect(gradeImport(job({ readingsImported: 0, conflicts: 1, onConflict: 'keep' })).summary).toBe(
      '0 readings imported; 1 conflict with stored readings.',
    );
  });

  it('rows that were all rejected imported nothing (amber)', () => {
    expect(gradeImport(job({ readingsImported: 0, rowsRejected: 7 }))).toMatchObject({
      grade: 'nothing-imported',
      tone: 'amber',
      label: 'Nothing imported',
      summary: 'All 7 rows were rejected.',
      retry: false,
    });
  });

  it('a file whose meter was rejected before any row was read says so, not "All 0 rows"', () => {
    expect(gradeImport(job({ rowsRead: 0, readingsImported: 0, rowsRejected: 1 })).summary).toBe(
      'No readings could be imported; the problems are listed.',
    );
    expect(gradeImport(job({ rowsRead: 1, readingsImported: 0, rowsRejected: 1 })).summary).toBe(
      'The only row was rejected.',
    );
  });

  it('a file read again with every reading stored already is "nothing new" (grey)', () => {
    expect(gradeImport(job({ readingsImported: 0, duplicates: 7 }))).toMatchObject({
      grade: 'nothing-imported',
      tone: 'grey',
      label: 'Nothing new',
    });
  });

  it('a header and no rows imported nothing, and retrying cannot help', () => {
    expect(gradeImport(job({ status: 'failed', rowsRead: 0, readingsImported: 0, failureKind: 'empty' }))).toEqual({
      grade: 'nothing-imported',
      tone: 'amber',
      label: 'Nothing imported',
      summary: 'The file has no rows of readings.',
      retry: false,
    });
  });

  it('a binary, foreign or malformed file failed (red) with no retry; a transient failure offers one', () => {
    for (const failureKind of ['binary', 'not-meter-file', 'malformed'] as const)
      expect(gradeImport(job({ status: 'failed', failureKind }))).toMatchObject({
        grade: 'failed',
        tone: 'red',
        retry: false,
      });
    expect(gradeImport(job({ status: 'failed', failureKind: 'transient' }))).toMatchObject({
      grade: 'failed',
      tone: 'red',
      retry: true,
    });
    expect(gradeImport(job({ status: 'retrying', failureKind: 'transient' }))).toMatchObject({ retry: true });
    expect(gradeImport(job({ status: 'cancelled' }))).toMatchObject({ grade: 'cancelled', tone: 'grey', retry: true });
  });

  it('a rolled-back import says what went and what came back, with no retry (its file is imported again)', () => {
    expect(gradeImport(job({ status: 'rolled-back', readingsImported: 1 }))).toEqual({
      grade: 'rolled-back',
      tone: 'grey',
      label: 'Rolled back',
      summary:
        'Rolled back: the 1 reading it added was taken out, as if it had never run; readings imported since stay. ' +
        'Its file can be imported again.',
      retry: false,
    });
    expect(
      gradeImport(job({ status: 'rolled-back', readingsImported: 1200, conflicts: 3, onConflict: 'replace' })).summary,
    ).toMatch(
      /^Rolled back: the 1,200 readings it added were taken out and the 3 stored readings it replaced put back,/,
    );
    // kept conflicts replaced nothing, so nothing is said to come back
    expect(gradeImport(job({ status: 'rolled-back', conflicts: 3, onConflict: 'keep' })).summary).not.toMatch(
      /put back/,
    );
  });

  it('dry runs say what an import would do', () => {
    expect(gradeImport(job({ dryRun: true }))).toMatchObject({
      label: 'Checked',
      summary: '7 readings would be imported.',
    });
    expect(gradeImport(job({ dryRun: true, readingsImported: 1, rowsRejected: 6 }))).toMatchObject({
      grade: 'done-with-problems',
      label: 'Checked, problems found',
    });
  });
});
