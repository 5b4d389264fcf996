import type { ImportOutcome, ImportStatus } from '../../src-shared/contract/types';

const LABEL: Record<ImportStatus, string> = {
  queued: 'Queued',
  running: 'Importing',
  retrying: 'Will retry',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
  'rolled-back': 'Rolled back',
};

export function StatusBadge({ status, dryRun }: { status: ImportStatus; dryRun?: boolean }) {
  const label = dryRun && status === 'done' ? 'Checked' : dryRun && status === 'running' ? 'Checking' : LABEL[status];
  return <span className={`badge badge-${status}`}>{label}</span>;
}

/** An import's graded outcome (job.outcome): its words in its colour (green, amber, grey, red, blue). */
export function OutcomeBadge({ outcome }: { outcome: ImportOutcome }) {
  return (
    <span className={`badge badge-tone-${outcome.tone}`} data-testid="job-badge" data-tone={outcome.tone}>
      {outcome.label}
    </span>
  );
}
