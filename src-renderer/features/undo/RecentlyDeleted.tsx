/**
 * Activity → Recently deleted: meters, sites and readings deleted by hand in the last 30 days, newest
 * first, each with "Put back" (managers) until it is put back or purged.
 */
import { useState } from 'react';
import type { TrashEntry } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { useCan } from '../../components/Can';
import { DataTable, type Column } from '../../components/DataTable';
import { exportName, timeColumns } from '../../components/table-export';
import { QueryProblem } from '../../components/ProblemState';
import { EmptyState, Skeleton } from '../../components/States';
import { formatUkDateTime } from '../../lib/format';
import { useQuery } from '../../lib/query';
import { useDataStore } from '../../stores/data';
import { restoreDeletion } from './restore';
import { KIND_NAME, trashState } from './words';
import '../../styles/undo.css';

/** Days a deletion is kept (the core's TRASH_DAYS). */
const KEPT_DAYS = 30;

export function RecentlyDeleted() {
  const version = useDataStore((s) => s.version);
  const q = useQuery(`trash:${version}`, () => getClient().call('trash.list', { limit: 200 }));
  const can = useCan()('trash.restore');
  const [busy, setBusy] = useState<number | null>(null);
  const restore = async (e: TrashEntry): Promise<void> => {
    setBusy(e.id);
    await restoreDeletion(e.id);
    setBusy(null);
    q.reload();
  };
  const columns: Column<TrashEntry>[] = [
    {
      header: 'What',
      className: 'trash-what',
      cell: (e) => <span className="human-message">{e.label}</span>,
      csv: (e) => e.label,
    },
    { header: 'Kind', cell: (e) => KIND_NAME[e.kind], csv: (e) => KIND_NAME[e.kind] },
    {
      header: 'Deleted',
      cell: (e) => `${formatUkDateTime(e.createdAt)} by ${e.createdBy}`,
      csv: [
        ...timeColumns<TrashEntry>('Deleted', (e) => e.createdAt),
        { header: 'Deleted by', value: (e) => e.createdBy },
      ],
    },
    {
      header: 'State',
      csv: (e) => trashState(e, KEPT_DAYS),
      cell: (e) =>
        !e.restoredAt && can ? (
          <span className="trash-state">
            <span className="muted small">{trashState(e, KEPT_DAYS)}</span>
            <button
              type="button"
              className="btn btn-small"
              disabled={busy !== null}
              data-testid="trash-restore"
              onClick={() => void restore(e)}
            >
              {busy === e.id ? 'Putting back…' : 'Put back'}
            </button>
          </span>
        ) : (
          <span className="muted small">{trashState(e, KEPT_DAYS)}</span>
        ),
    },
  ];
  return (
    <section className="card">
      {q.load === 'error' && !q.data ? (
        <QueryProblem title="Could not load what was deleted" q={q} />
      ) : !q.data ? (
        <Skeleton rows={4} label="Loading what was deleted" />
      ) : (
        <DataTable
          columns={columns}
          rows={q.data}
          rowKey={(e) => e.id}
          rowProps={(e) => ({ 'data-testid': 'trash-row', 'data-restored': e.restoredAt !== null })}
          testId="trash-table"
          exportName={exportName('recently-deleted')}
          empty={
            <EmptyState title="Nothing deleted recently" icon="↺">
              Meters, sites and readings you delete are kept here for {KEPT_DAYS} days, so they can be put back exactly
              as they were.
            </EmptyState>
          }
        />
      )}
    </section>
  );
}
