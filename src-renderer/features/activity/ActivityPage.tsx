import type { SchedulerRun } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { EmptyState, ErrorState, Skeleton } from '../../components/States';
import { formatInt, formatMs, formatUkDateTime } from '../../lib/format';
import { useDocumentTitle } from '../../lib/hooks';
import { useQuery } from '../../lib/query';
import { useDataStore } from '../../stores/data';
import { RunStatusBadge, TRIGGER_TEXT } from './runs';

const TASK_NAME: Record<string, string> = { rollup: 'Roll-up', rebuild: 'Rebuild roll-ups', retention: 'Clean up old imports', cleanup: 'Clean up old imports' };

const SUMMARY_LABEL: Record<string, [string, string]> = {
  metersTouched: ['meter', 'meters'],
  daysTouched: ['day', 'days'],
  jobsRemoved: ['job removed', 'jobs removed'],
  filesRemoved: ['file removed', 'files removed'],
};

/** What a run touched, from its free-form summary: `12 meters · 4,380 days`. */
export function summaryText(summary: SchedulerRun['summary']): string {
  if (!summary) return '—';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(summary)) {
    if (k === 'seconds') continue;
    if (typeof v === 'number') {
      const label = SUMMARY_LABEL[k];
      parts.push(label ? `${formatInt(v)} ${v === 1 ? label[0] : label[1]}` : `${k}: ${formatInt(v)}`);
    } else if (typeof v === 'string' || typeof v === 'boolean') parts.push(`${k}: ${String(v)}`);
  }
  return parts.length ? parts.join(' · ') : '—';
}

export function ActivityPage() {
  useDocumentTitle('Activity');
  const version = useDataStore((s) => s.version);
  const q = useQuery(`runs:${version}`, () => getClient().call('scheduler.runs', { limit: 200 }));
  const runs = q.data;

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>Activity</h1>
          <p className="muted">Background work: roll-ups after imports, the nightly run and rebuilds. Newest first, UK local time.</p>
        </div>
        <button type="button" className="btn btn-quiet" onClick={q.reload} disabled={q.load === 'loading'}>
          Refresh
        </button>
      </header>
      <section className="card">
        {q.load === 'error' && !runs ? (
          <ErrorState title="Could not load the activity" message={q.error ?? 'Unknown error'} onRetry={q.reload} />
        ) : !runs ? (
          <Skeleton rows={5} label="Loading activity" />
        ) : runs.length === 0 ? (
          <EmptyState title="Nothing has run yet" icon="◷">
            Roll-ups run after each import and every night; they will be listed here with how long they took and what they touched.
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="runs-table">
              <thead>
                <tr>
                  <th scope="col">Task</th>
                  <th scope="col">Trigger</th>
                  <th scope="col">Started</th>
                  <th scope="col" className="num">
                    Duration
                  </th>
                  <th scope="col">Status</th>
                  <th scope="col">What it touched</th>
                </tr>
              </thead>
              <tbody>
                {[...runs]
                  .sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.id - a.id)
                  .map((r) => (
                    <tr key={r.id} data-testid="run-row" data-status={r.status}>
                      <td className="strong">{TASK_NAME[r.task] ?? r.task}</td>
                      <td>{TRIGGER_TEXT[r.trigger] ?? r.trigger}</td>
                      <td>{formatUkDateTime(r.startedAt, { zone: true })}</td>
                      <td className="num">{r.status === 'running' ? 'running…' : formatMs(r.durationMs)}</td>
                      <td>
                        <RunStatusBadge status={r.status} />
                      </td>
                      <td>
                        {summaryText(r.summary)}
                        {r.error && <div className="small error-message">{r.error}</div>}
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
