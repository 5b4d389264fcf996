/**
 * What an import card says about a job beyond its graded outcome (job.outcome, graded once in
 * src-shared/domain/import-outcome.ts): the problems link and its note, counted the same way as the
 * card's figures (rows rejected are rows, however many of a row's cells were bad; conflicts are
 * half-hours), and the progress bar's colour.
 */
import type { ImportJob, ImportOutcome } from '../../../src-shared/contract/types';
import { formatInt, plural } from '../../lib/format';

/** The core keeps the first 1,000 problems of a job (sink.ts MAX_STORED_ERRORS). */
export const STORED_PROBLEMS = 1000;

export interface ProblemsSummary {
  /** The link's words after "Show"/"Hide", e.g. "problems (120 rejected rows, 3 conflicts)"; null when none. */
  label: string | null;
  /** A line under the table when the list is not one line per rejected row and conflict. */
  note: string | null;
}

export function problemsSummary(job: Pick<ImportJob, 'rowsRejected' | 'conflicts' | 'errors'>): ProblemsSummary {
  const parts = [
    job.rowsRejected > 0 ? plural(job.rowsRejected, 'rejected row') : '',
    job.conflicts > 0 ? plural(job.conflicts, 'conflict') : '',
  ].filter(Boolean);
  if (parts.length === 0) return { label: null, note: null };
  const listed = job.errors.length;
  const expected = job.rowsRejected + job.conflicts;
  let note: string | null = null;
  if (listed === 0) note = 'The details of these problems were not kept.';
  else if (listed >= STORED_PROBLEMS) note = `Showing the first ${formatInt(listed)} problems.`;
  else if (listed > expected) {
    const where = [
      job.rowsRejected > 0 ? plural(job.rowsRejected, 'row') : '',
      job.conflicts > 0 ? plural(job.conflicts, 'conflicting half-hour') : '',
    ].filter(Boolean);
    note = `${plural(listed, 'problem')} on ${where.join(' and ')}: some rows have more than one bad value.`;
  }
  return { label: `problems (${parts.join(', ')})`, note };
}

/** The progress bar's colour for a graded outcome. */
export function progressTone(o: ImportOutcome): 'active' | 'done' | 'failed' | 'idle' | 'warn' {
  switch (o.tone) {
    case 'green':
      return 'done';
    case 'red':
      return 'failed';
    case 'amber':
      return 'warn';
    case 'grey':
      return 'idle';
    case 'blue':
      return 'active';
  }
}
