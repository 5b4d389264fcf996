/**
 * One schedule (#/schedules/<id>): its settings in words (what it makes, when, where, the SFTP host
 * key and which secrets are set), its next run, and its delivery log — each run's time, why it ran,
 * its result, tries, the file with its size and where it went, the error (once) and what else happened.
 */
import { useState } from 'react';
import type { ScheduleRun } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { useCan } from '../../components/Can';
import { DataTable } from '../../components/DataTable';
import { Breadcrumb, PageHeader } from '../../components/Page';
import { QueryProblem } from '../../components/ProblemState';
import { EmptyState, Skeleton } from '../../components/States';
import { formatBytes } from '../../lib/format';
import { useDocumentTitle } from '../../lib/hooks';
import { useQuery } from '../../lib/query';
import { SECRET_LABEL } from '../../lib/secrets';
import { href, navigate } from '../../lib/route';
import '../../styles/schedules.css';
import { TRIGGER_LABEL, ukDateTime } from '../sources/words';
import {
  EnabledSwitch,
  RemoveButton,
  RunBadge,
  RunNowButton,
  Slashed,
  useScopeLists,
  useWhileRunning,
} from './ScheduleBits';
import { ScheduleForm } from './ScheduleForm';
import { SFTP_SECRETS } from './schedule-form';
import { cadenceText, destinationText, runNotes, triedText, whatText } from './words';

export function SchedulePage({ id }: { id: number }) {
  const q = useQuery(`schedule:${id}`, () => getClient().call('schedules.get', { id, runs: 100 }));
  const s = q.data;
  useWhileRunning(s ? [s] : null, q.reload);
  useDocumentTitle(s?.name ?? 'Schedule');
  const { names } = useScopeLists();
  const can = useCan();
  const [editing, setEditing] = useState(false);
  const crumbs = (last: string) => [<a href={href.schedules}>Schedules</a>, <span>{last}</span>];

  if (q.load === 'error' && !s)
    return (
      <div className="page">
        <Breadcrumb steps={crumbs(`Schedule ${id}`)} />
        <section className="card">
          <QueryProblem title={q.code === 'NOT_FOUND' ? 'No such schedule' : 'Could not load the schedule'} q={q} />
        </section>
      </div>
    );
  if (!s)
    return (
      <div className="page">
        <Skeleton rows={4} label="Loading the schedule" />
      </div>
    );
  const last = s.lastRun;

  return (
    <div className="page schedule-page" data-testid="schedule-page">
      <Breadcrumb steps={crumbs(s.name)} />
      <PageHeader
        title={s.name}
        subtitle={`${whatText(s.what, names)} · ${cadenceText(s.cadence)}, UK time`}
        actions={
          <>
            <RunNowButton schedule={s} onRun={() => q.reload()} />
            {can('schedules.save') && (
              <button type="button" className="btn" onClick={() => setEditing(true)} data-testid="schedule-edit">
                Edit
              </button>
            )}
            <RemoveButton schedule={s} onRemoved={() => navigate(href.schedules)} />
          </>
        }
      >
        {last && (
          <div className="meter-sub">
            <RunBadge status={last.status} />
          </div>
        )}
      </PageHeader>
      {last?.status === 'failed' && (
        <div className="callout callout-error" role="alert" data-testid="schedule-error">
          <strong>The last run failed</strong> ({ukDateTime(last.startedAt)}). {last.error}
          {triedText(last)}
        </div>
      )}
      {editing && (
        <ScheduleForm
          schedule={s}
          onCancel={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            q.reload();
          }}
        />
      )}
      <section className="card card-pad">
        <dl className="source-facts schedule-facts" data-testid="schedule-facts">
          <div>
            <dt>Makes</dt>
            <dd>{whatText(s.what, names)}</dd>
          </div>
          <div>
            <dt>Runs</dt>
            <dd>{cadenceText(s.cadence)}, UK time</dd>
          </div>
          <div>
            <dt>Delivers to</dt>
            <dd>
              <Slashed text={destinationText(s.destination)} />
            </dd>
          </div>
          <div>
            <dt>Next run</dt>
            <dd data-testid="schedule-next">{s.enabled ? ukDateTime(s.nextRunAt) : 'Switched off'}</dd>
          </div>
          <div>
            <dt>On</dt>
            <dd>
              <EnabledSwitch schedule={s} onChanged={q.reload} />
            </dd>
          </div>
          {s.destination.kind === 'sftp' && (
            <>
              <div>
                <dt>Signs in with</dt>
                <dd>
                  {SFTP_SECRETS.filter((n) => s.secretsSet.includes(n))
                    .map((n) => SECRET_LABEL[n].toLowerCase())
                    .join(', ') || 'Nothing set'}
                </dd>
              </div>
              <div>
                <dt>Host key</dt>
                {s.hostKey ? (
                  <dd className="mono small schedule-fingerprint" data-testid="schedule-facts-hostkey">
                    {s.hostKey}
                  </dd>
                ) : (
                  <dd data-testid="schedule-facts-hostkey">Not pinned yet — pinned at the first delivery</dd>
                )}
              </div>
            </>
          )}
          <div>
            <dt>Added</dt>
            <dd>{ukDateTime(s.createdAt)}</dd>
          </div>
        </dl>
      </section>
      <section className="card">
        <div className="card-header">
          <h2>Delivery log</h2>
          <span className="muted small">Latest first; times in UK time</span>
        </div>
        <DataTable<ScheduleRun>
          rows={s.runs}
          rowKey={(r) => r.id}
          testId="schedule-runs"
          className="schedule-runs"
          rowProps={(r) => ({ 'data-testid': 'schedule-run-row', 'data-status': r.status })}
          empty={
            <EmptyState title="No runs yet">
              {s.enabled
                ? `It first runs ${ukDateTime(s.nextRunAt)}, or now with Run now.`
                : 'It is switched off; Run now still delivers it.'}
            </EmptyState>
          }
          columns={[
            {
              header: 'When',
              rowHeader: true,
              className: 'schedule-when',
              cell: (r) => (
                <>
                  {ukDateTime(r.startedAt)}
                  <div className="muted small">
                    {TRIGGER_LABEL[r.trigger]}
                    {r.trigger !== 'manual' &&
                      r.dueAt.slice(0, 16) !== r.startedAt.slice(0, 16) &&
                      `, due ${ukDateTime(r.dueAt)}`}
                  </div>
                </>
              ),
            },
            { header: 'Result', cell: (r) => <RunBadge status={r.status} /> },
            { header: 'Tries', num: true, cell: (r) => r.attempts },
            {
              header: 'File and where it went',
              className: 'schedule-target',
              cell: (r) => {
                const size = r.bytes === null ? '' : ` (${formatBytes(r.bytes)})`;
                // a folder's or a server's target names the file; an email's does not
                const named = r.target !== null && r.fileName !== null && r.target.includes(r.fileName);
                return (
                  <>
                    {r.fileName && !named && (
                      <div className="small schedule-file">
                        {r.fileName}
                        {size}
                        {r.target === null && <span className="muted"> — not delivered</span>}
                      </div>
                    )}
                    {r.target && (
                      <div>
                        <Slashed text={r.target} />
                        {named && <span className="muted small">{size}</span>}
                      </div>
                    )}
                    {!r.fileName && !r.target && '—'}
                  </>
                );
              },
            },
            {
              header: 'What happened',
              className: 'schedule-notes',
              cell: (r) => {
                const { attempts, other } = runNotes(r);
                return (
                  <>
                    {r.error && (
                      <div className="schedule-error small" data-testid="schedule-run-error">
                        {r.error}
                        {triedText(r)}
                      </div>
                    )}
                    {other.map((n, i) => (
                      <div key={i} className="muted small">
                        {n}
                      </div>
                    ))}
                    {attempts.length > 0 && (
                      <details className="schedule-attempts small" data-testid="schedule-run-attempts">
                        <summary>
                          {r.status === 'ok' ? `Delivered at attempt ${r.attempts}` : 'The attempts before'}
                        </summary>
                        {attempts.map((n, i) => (
                          <div key={i} className="muted">
                            {n}
                          </div>
                        ))}
                      </details>
                    )}
                    {!r.error && r.notes.length === 0 && '—'}
                  </>
                );
              },
            },
          ]}
        />
      </section>
    </div>
  );
}
