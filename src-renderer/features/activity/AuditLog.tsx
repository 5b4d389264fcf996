/**
 * The audit log (administrators, on the Activity page): who did what and when, with the outcome,
 * newest first; filtered by a first day, a person, an action and failures only.
 */
import { useState } from 'react';
import type { AuditRecord } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { DataTable, type Column } from '../../components/DataTable';
import { exportName, timeColumns } from '../../components/table-export';
import { DateField } from '../../components/DateField';
import { QueryProblem } from '../../components/ProblemState';
import { EmptyState, Skeleton } from '../../components/States';
import { formatUkDateTime, isIsoDay } from '../../lib/format';
import { useQuery } from '../../lib/query';
import { actionChoices, actionText, detailsText, outcomeText } from '../users/words';
import '../../styles/users.css';

/** The most entries one page of the log shows. */
const LIMIT = 500;

const COLUMNS: Column<AuditRecord>[] = [
  {
    header: 'When',
    cell: (r) => formatUkDateTime(r.at, { zone: true }),
    sortValue: (r) => r.at,
    csv: timeColumns<AuditRecord>('When', (r) => r.at),
  },
  { header: 'Who', className: 'strong', cell: (r) => r.actor, sortValue: (r) => r.actor, csv: (r) => r.actor },
  {
    header: 'Action',
    cell: (r) => actionText(r.action),
    sortValue: (r) => actionText(r.action),
    csv: (r) => actionText(r.action),
  },
  {
    header: 'Details',
    className: 'audit-details small',
    cell: (r) => detailsText(r.details),
    csv: (r) => detailsText(r.details),
  },
  {
    header: 'Outcome',
    cell: (r) => (
      <span className={`badge badge-tone-${r.outcome === 'ok' ? 'green' : 'red'}`} data-outcome={r.outcome}>
        {outcomeText(r.outcome)}
      </span>
    ),
    sortValue: (r) => r.outcome,
    csv: (r) => outcomeText(r.outcome),
  },
];

export function AuditLog() {
  const [since, setSince] = useState('');
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [failedOnly, setFailedOnly] = useState(false);
  const sinceOk = since === '' || isIsoDay(since);
  const args = {
    ...(since && sinceOk ? { since } : {}),
    ...(actor.trim() ? { actor: actor.trim() } : {}),
    ...(action ? { action } : {}),
    ...(failedOnly ? { outcome: 'failed' as const } : {}),
    limit: LIMIT,
  };
  const q = useQuery(`audit:${JSON.stringify(args)}`, () => getClient().call('audit.list', args));
  const filtered = Object.keys(args).length > 1;

  return (
    <section className="card card-pad" aria-labelledby="audit-title" data-testid="audit-log">
      <h2 id="audit-title">Audit log</h2>
      <p className="muted small">
        Every change made through the app, the command line or an API token, with who made it and how it ended.
      </p>
      <div className="audit-filters" role="search" aria-label="Filter the audit log">
        <div className="field">
          <label className="field-label" htmlFor="audit-since">
            From
          </label>
          <DateField id="audit-since" value={since} onChange={setSince} testId="audit-since" />
        </div>
        <div className="field">
          <label className="field-label" htmlFor="audit-actor">
            Person or token
          </label>
          <input
            id="audit-actor"
            className="input"
            value={actor}
            placeholder="Anyone"
            onChange={(e) => setActor(e.currentTarget.value)}
          />
        </div>
        <div className="field">
          <label className="field-label" htmlFor="audit-action">
            Action
          </label>
          <select id="audit-action" className="input" value={action} onChange={(e) => setAction(e.currentTarget.value)}>
            <option value="">Any action</option>
            {actionChoices().map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={failedOnly} onChange={(e) => setFailedOnly(e.currentTarget.checked)} />
          Failed or refused only
        </label>
      </div>
      {q.load === 'error' && !q.data ? (
        <QueryProblem title="Could not load the audit log" q={q} />
      ) : !q.data ? (
        <Skeleton rows={5} label="Loading the audit log" />
      ) : (
        <>
          <DataTable
            columns={COLUMNS}
            rows={q.data}
            rowKey={(r) => r.id}
            rowProps={(r) => ({ 'data-testid': 'audit-row', 'data-action': r.action })}
            testId="audit-table"
            exportName={exportName('audit-log')}
            empty={
              <EmptyState title={filtered ? 'Nothing matches these filters' : 'Nothing recorded yet'} icon="◷">
                {filtered
                  ? 'Try an earlier day, another person or any action.'
                  : 'Imports, changes to settings, sites, tariffs, alerts and people will be listed here.'}
              </EmptyState>
            }
          />
          {q.data.length >= LIMIT && (
            <p className="muted small">The newest {LIMIT} entries are shown: pick a later day to see fewer.</p>
          )}
        </>
      )}
    </section>
  );
}
