import type { SchedulerRun } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { DataTable, type Column } from '../../components/DataTable';
import { exportName, timeColumns } from '../../components/table-export';
import { Page } from '../../components/Page';
import { EmptyState, Skeleton } from '../../components/States';
import { formatInt, formatMs, formatUkDateTime, plural } from '../../lib/format';
import { useDocumentTitle } from '../../lib/hooks';
import { useQuery } from '../../lib/query';
import { useDataStore } from '../../stores/data';
import { RunStatusBadge, TRIGGER_TEXT } from './runs';
import { QueryProblem } from '../../components/ProblemState';
import { Segmented } from '../../components/Segmented';
import { allowed } from '../../lib/access';
import { useAppStore } from '../../stores/app';
import { AuditLog } from './AuditLog';
import { RecentlyDeleted } from '../undo/RecentlyDeleted';
import { useState } from 'react';

const TASK_NAME: Record<string, string> = {
  rollup: 'Roll-up',
  rebuild: 'Rebuild roll-ups',
  retention: 'Clean up old imports',
  cleanup: 'Clean up old imports',
};

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
      parts.push(label ? plural(v, label[0], label[1]) : `${k}: ${formatInt(v)}`);
    } else if (typeof v === 'string' || typeof v === 'boolean') parts.push(`${k}: ${String(v)}`);
  }
  return parts.length ? parts.join(' · ') : '—';
}

const COLUMNS: Column<SchedulerRun>[] = [
  {
    header: 'Task',
    className: 'strong',
    cell: (r) => TASK_NAME[r.task] ?? r.task,
    csv: (r) => TASK_NAME[r.task] ?? r.task,
  },
  {
    header: 'Trigger',
    cell: (r) => TRIGGER_TEXT[r.trigger] ?? r.trigger,
    csv: (r) => TRIGGER_TEXT[r.trigger] ?? r.trigger,
  },
  {
    header: 'Started',
    cell: (r) => formatUkDateTime(r.startedAt, { zone: true }),
    csv: timeColumns<SchedulerRun>('Started', (r) => r.startedAt),
  },
  {
    header: 'Duration',
    num: true,
    cell: (r) => (r.status === 'running' ? 'running…' : formatMs(r.durationMs)),
    csv: (r) => (r.durationMs === null ? null : r.durationMs / 1000),
    csvHeader: 'Duration (s)',
  },
  { header: 'Status', cell: (r) => <RunStatusBadge status={r.status} />, csv: (r) => r.status },
  {
    header: 'What it touched',
    cell: (r) => (
      <>
        {summaryText(r.summary)}
        {r.error && <div className="small error-message">{r.error}</div>}
      </>
    ),
    csv: [
      { header: 'What it touched', value: (r) => summaryText(r.summary) },
      { header: 'Error', value: (r) => r.error },
    ],
  },
];

/** Activity: the background work, and for administrators the audit log beside it. */
export function ActivityPage() {
  useDocumentTitle('Activity');
  const role = useAppStore((s) => s.info?.role);
  const admin = allowed(role, 'audit.list');
  const [view, setView] = useState<'runs' | 'audit' | 'trash'>(() =>
    window.location.hash.includes('view=audit')
      ? 'audit'
      : window.location.hash.includes('view=trash')
        ? 'trash'
        : 'runs',
  );
  const shown = admin || view !== 'audit' ? view : 'runs';
  return (
    <Page
      title="Activity"
      subtitle={
        shown === 'audit'
          ? 'Who changed what, and how it ended. Newest first, UK local time.'
          : shown === 'trash'
            ? 'Meters, sites and readings deleted in the last 30 days: put any of them back as it was.'
            : 'Background work: roll-ups after imports, the nightly run and rebuilds. Newest first, UK local time.'
      }
      actions={
        <Segmented
          options={[
            { value: 'runs', label: 'Background work' },
            { value: 'trash', label: 'Recently deleted' },
            ...(admin ? [{ value: 'audit' as const, label: 'Audit log' }] : []),
          ]}
          value={shown}
          onChange={setView}
          label="What to show"
          testId="activity-view"
        />
      }
    >
      {shown === 'audit' ? <AuditLog /> : shown === 'trash' ? <RecentlyDeleted /> : <RunsCard />}
    </Page>
  );
}

function RunsCard() {
  const version = useDataStore((s) => s.version);
  const q = useQuery(`runs:${version}`, () => getClient().call('scheduler.runs', { limit: 200 }));
  const runs = q.data;

  return (
    <section className="card">
      <div className="runs-actions">
        <button type="button" className="btn btn-quiet" onClick={q.reload} disabled={q.load === 'loading'}>
          Refresh
        </button>
      </div>
      {q.load === 'error' && !runs ? (
        <QueryProblem title="Could not load the activity" q={q} />
      ) : !runs ? (
        <Skeleton rows={5} label="Loading activity" />
      ) : (
        <DataTable
          columns={COLUMNS}
          rows={[...runs].sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.id - a.id)}
          rowKey={(r) => r.id}
          rowProps={(r) => ({ 'data-testid': 'run-row', 'data-status': r.status })}
          testId="runs-table"
          exportName={exportName('background-work')}
          empty={
            <EmptyState title="Nothing has run yet" icon="◷">
              Roll-ups run after each import and every night; they will be listed here with how long they took and what
              they touched.
            </EmptyState>
          }
        />
      )}
    </section>
  );
}
