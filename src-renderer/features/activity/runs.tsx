/** How a background run reads, on the Activity page and the dashboard's last roll-up card. */
import type { SchedulerRun } from '../../../src-shared/contract/types';

export const TRIGGER_TEXT: Record<SchedulerRun['trigger'], string> = {
  schedule: 'nightly schedule',
  'catch-up': 'catch-up after the app was closed',
  import: 'after an import',
  manual: 'started by hand',
};

const STATUS_LABEL: Record<SchedulerRun['status'], string> = { done: 'Done', failed: 'Failed', running: 'Running' };

export function RunStatusBadge({ status }: { status: SchedulerRun['status'] }) {
  return <span className={`badge badge-${status}`}>{STATUS_LABEL[status]}</span>;
}
