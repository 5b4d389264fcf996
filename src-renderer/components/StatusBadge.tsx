import type { ImportStatus } from '../../src-shared/contract/types';

const LABEL: Record<ImportStatus, string> = {
  queued: 'Queued',
  running: 'Importing',
  retrying: 'Will retry',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function StatusBadge({ status, dryRun }: { status: ImportStatus; dryRun?: boolean }) {
  const label = dryRun && status === 'done' ? 'Checked' : dryRun && status === 'running' ? 'Checking' : LABEL[status];
  return <span className={`badge badge-${status}`}>{label}</span>;
}
