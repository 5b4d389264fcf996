/**
 * How an import turned out, graded in one place for every host: the desktop and web UI show the
 * grade's words and colour, the CLI prints the same words, and the job record carries it
 * (`ImportJob.outcome`). Retry is offered only where it can help: a transient failure (disk full,
 * locked database, a file that could not be read just then, an interrupted run) or a cancelled job,
 * never a file that is not a meter file, is binary, malformed or has no rows.
 */

/** Why a failed import failed, stored on the job. */
export type ImportFailureKind =
  /** Not text: NUL bytes (a picture, an archive, a spreadsheet saved as .xlsx). */
  | 'binary'
  /** Text, but no meter file layout was found (no header with meter, time and kWh columns; an unknown JSON). */
  | 'not-meter-file'
  /** A meter file that cannot be read as it is (invalid JSON, a line far too long, an unsupported encoding). */
  | 'malformed'
  /** A file with a header (or nothing at all) and no rows. */
  | 'empty'
  /** A problem of the moment (I/O, disk full, locked database, an interrupted run): retrying can help. */
  | 'transient';

export const FILE_FAILURE_KINDS: readonly ImportFailureKind[] = ['binary', 'not-meter-file', 'malformed', 'empty'];

export type ImportGrade =
  | 'queued'
  | 'running'
  | 'retrying'
  | 'done'
  | 'done-with-problems'
  | 'nothing-imported'
  | 'failed'
  | 'cancelled'
  | 'rolled-back';

/** The colour a grade is shown in: green done, amber problems, grey nothing (or waiting), red failed, blue working. */
export type ImportTone = 'green' | 'amber' | 'grey' | 'red' | 'blue';

export interface ImportOutcome {
  grade: ImportGrade;
  tone: ImportTone;
  /** A short label for a badge: "Done", "Done with problems", "Nothing imported", "Failed". */
  label: string;
  /** One sentence saying what happened, in plain words (empty while queued or running). */
  summary: string;
  /** True when running the job again could change its outcome. */
  retry: boolean;
}

/** What grading needs of a job (a subset of the contract's ImportJob, so the core can grade its rows). */
export interface GradedJob {
  status: 'queued' | 'running' | 'retrying' | 'done' | 'failed' | 'cancelled' | 'rolled-back';
  dryRun: boolean;
  rowsRead: number;
  readingsImported: number;
  duplicates: number;
  conflicts: number;
  rowsRejected: number;
  failureKind: ImportFailureKind | null;
  /** What happened to a reading stored with another value: kept, or replaced with the file's. */
  onConflict?: 'keep' | 'replace';
}

const n = (v: number): string => v.toLocaleString('en-GB');
const count = (v: number, one: string, many = `${one}s`): string => `${n(v)} ${v === 1 ? one : many}`;

const FAILED_SUMMARY: Record<Exclude<ImportFailureKind, 'empty'>, string> = {
  binary: 'This is not a text file, so it is not a meter file; retrying will not help.',
  'not-meter-file': 'No meter data layout was found in this file; retrying will not help.',
  malformed: 'The file cannot be read as it is; correct it and import it again.',
  transient: 'The import could not finish because of a problem on this computer; retrying may help.',
};

/** Grades a job: what the UI's card and the CLI's summary say about it. */
export function gradeImport(j: GradedJob): ImportOutcome {
  const dry = j.dryRun;
  switch (j.status) {
    case 'queued':
      return { grade: 'queued', tone: 'grey', label: 'Queued', summary: '', retry: false };
    case 'running':
      return { grade: 'running', tone: 'blue', label: dry ? 'Checking' : 'Importing', summary: '', retry: false };
    case 'retrying':
      return {
        grade: 'retrying',
        tone: 'amber',
        label: 'Will retry',
        summary: 'The last attempt failed; it will be tried again automatically.',
        retry: true,
      };
    case 'cancelled':
      return {
        grade: 'cancelled',
        tone: 'grey',
        label: 'Cancelled',
        summary: dry ? 'The check was cancelled.' : 'The import was cancelled; nothing from it was kept.',
        retry: true,
      };
    case 'rolled-back':
      return {
        grade: 'rolled-back',
        tone: 'grey',
        label: 'Rolled back',
        summary:
          `Rolled back: the ${count(j.readingsImported, 'reading')} it added ${j.readingsImported === 1 ? 'was' : 'were'} taken out` +
          (j.onConflict === 'replace' && j.conflicts > 0
            ? ` and the ${count(j.conflicts, 'stored reading')} it replaced put back`
            : '') +
          ', as if it had never run; readings imported since stay. Its file can be imported again.',
        retry: false,
      };
    case 'failed': {
      if (j.failureKind === 'empty')
        return {
          grade: 'nothing-imported',
          tone: 'amber',
          label: dry ? 'Nothing to import' : 'Nothing imported',
          summary: 'The file has no rows of readings.',
          retry: false,
        };
      const kind = j.failureKind ?? 'transient';
      return {
        grade: 'failed',
        tone: 'red',
        label: dry ? 'Check failed' : 'Failed',
        summary: FAILED_SUMMARY[kind],
        retry: kind === 'transient',
      };
    }
    case 'done':
      return gradeDone(j);
  }
}

function gradeDone(j: GradedJob): ImportOutcome {
  const dry = j.dryRun;
  const imported = dry ? 'would be imported' : 'imported';
  const rejected = j.rowsRejected > 0 ? `${n(j.rowsRejected)} of ${count(j.rowsRead, 'row')} rejected` : '';
  // a conflict under "replace" changed a stored reading: say so, not only "0 readings imported"
  const conflicts =
    j.conflicts === 0
      ? ''
      : j.onConflict === 'replace'
        ? `${count(j.conflicts, 'stored reading')} ${dry ? 'would be replaced' : 'replaced'} with the file's value`
        : count(j.conflicts, 'conflict') + ' with stored readings';
  const problems = [rejected, conflicts].filter(Boolean).join('; ');
  if (j.readingsImported === 0 && j.conflicts === 0) {
    if (j.rowsRejected === 0 && j.duplicates > 0)
      return {
        grade: 'nothing-imported',
        tone: 'grey',
        label: 'Nothing new',
        summary: `All ${count(j.duplicates, 'reading')} in the file were already stored.`,
        retry: false,
      };
    return {
      grade: 'nothing-imported',
      tone: 'amber',
      label: dry ? 'Nothing to import' : 'Nothing imported',
      summary:
        j.rowsRejected > 0 && j.rowsRead === 0
          ? 'No readings could be imported; the problems are listed.'
          : j.rowsRejected > 0 && j.rowsRejected >= j.rowsRead
            ? j.rowsRead === 1
              ? 'The only row was rejected.'
              : `All ${count(j.rowsRead, 'row')} were rejected.`
            : problems
              ? `No new readings: ${[
                  j.duplicates > 0 ? `${count(j.duplicates, 'reading')} already stored` : '',
                  problems,
                ]
                  .filter(Boolean)
                  .join('; ')}.`
              : 'The file has no readings with values.',
      retry: false,
    };
  }
  const what = `${count(j.readingsImported, 'reading')} ${imported}`;
  if (problems)
    return {
      grade: 'done-with-problems',
      tone: 'amber',
      label: dry ? 'Checked, problems found' : 'Done with problems',
      summary: `${capitalise(what)}; ${problems}.`,
      retry: false,
    };
  return {
    grade: 'done',
    tone: 'green',
    label: dry ? 'Checked' : 'Done',
    summary: `${capitalise(what)}${j.duplicates > 0 ? `; ${count(j.duplicates, 'duplicate')} already stored` : ''}.`,
    retry: false,
  };
}

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
