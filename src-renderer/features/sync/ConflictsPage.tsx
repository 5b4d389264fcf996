/**
 * Sync conflicts (#/sync/conflicts): half-hours the shared server kept as it had them because a
 * desktop pushed a different value, for a manager to decide — keep the server's value or use the
 * pushed one (sync.resolve, sent at the next sync) — and the edits to sites, meters, tariffs and the
 * rest that a later edit on another desktop replaced, with both values and who made them.
 */
import { useEffect, useMemo, useState } from 'react';
import { errorMessage } from '../../api/client';
import { getClient } from '../../api/instance';
import { useCan, WhyNot } from '../../components/Can';
import { DataTable, type Column } from '../../components/DataTable';
import { Page } from '../../components/Page';
import { QueryProblem } from '../../components/ProblemState';
import { Segmented } from '../../components/Segmented';
import { EmptyState, Skeleton, Spinner } from '../../components/States';
import { exportName } from '../../components/table-export';
import { formatUkDateTime, plural } from '../../lib/format';
import { useDocumentTitle } from '../../lib/hooks';
import { useQuery } from '../../lib/query';
import { href } from '../../lib/route';
import { useSyncStore } from '../../stores/sync';
import '../../styles/sync.css';
import {
  CONFLICT_CSV,
  REPLACED_CSV,
  conflictRow,
  replacedRow,
  STATUS_SHORT,
  type ConflictRow,
  type ReplacedRow,
} from './conflict-rows';
import { serverRoleBlocks } from './words';

type Show = 'open' | 'all';

export function ConflictsPage() {
  useDocumentTitle('Sync conflicts');
  const [show, setShow] = useState<Show>('open');
  // what the desktop has pulled, and its open conflicts: either moving means the lists changed
  const version = useSyncStore((s) => (s.status ? `${s.status.version}:${s.status.openConflicts}` : ''));
  const status = useSyncStore((s) => s.status);
  const q = useQuery(`sync-conflicts:${show}:${version}`, () => getClient().call('sync.conflicts', { status: show }));
  const can = useCan();
  const serverBlock = serverRoleBlocks(status?.user?.role);
  const mayResolve = can('sync.resolve') && serverBlock === null;
  const [picked, setPicked] = useState<Set<number>>(new Set());
  const [work, setWork] = useState<{ busy: 'server' | 'pushed' | null; result: string | null; error: string | null }>({
    busy: null,
    result: null,
    error: null,
  });

  const sites = useQuery(`sync-conflict-sites:${version}`, () => getClient().call('sites.list', {}));
  const meters = useQuery(`sync-conflict-meters:${version}`, () => getClient().call('meters.list', {}));
  const rows = useMemo(() => {
    const siteOf = new Map((meters.data ?? []).map((m) => [m.mpan, m.site]));
    return (q.data?.conflicts ?? []).map((c) => conflictRow(c, (m) => siteOf.get(m)));
  }, [q.data, meters.data]);
  const replaced = useMemo(() => {
    const names = new Map((sites.data ?? []).map((s) => [s.uid, s.name]));
    return (q.data?.replaced ?? []).map((a) => replacedRow(a, (uid) => names.get(uid)));
  }, [q.data, sites.data]);
  /** Conflicts decided here whose decision has not come back from the server yet: not offered again. */
  const [decided, setDecided] = useState<ReadonlyMap<number, 'server' | 'pushed'>>(new Map());
  const openIds = useMemo(() => rows.filter((r) => r.open && !decided.has(r.id)).map((r) => r.id), [rows, decided]);
  // what was picked and is no longer open (decided, or gone after a sync) drops out of the choice
  useEffect(() => {
    setPicked((p) => {
      const next = new Set([...p].filter((id) => openIds.includes(id)));
      return next.size === p.size ? p : next;
    });
  }, [openIds]);

  const resolve = async (keep: 'server' | 'pushed') => {
    const ids = [...picked];
    if (ids.length === 0) return;
    setWork({ busy: keep, result: null, error: null });
    try {
      const r = await getClient().call('sync.resolve', { ids, keep });
      setWork({
        busy: null,
        result: `${plural(r.queued, 'conflict')} decided: ${keep === 'server' ? 'the server’s value is kept' : 'the pushed value will replace it'}. The decision reaches the server at the next sync.`,
        error: null,
      });
      setDecided((d) => new Map([...d, ...ids.map((id) => [id, keep] as const)]));
      setPicked(new Set());
      q.reload();
      void useSyncStore.getState().fetch();
    } catch (e) {
      setWork({ busy: null, result: null, error: errorMessage(e) });
    }
  };

  const allPicked = openIds.length > 0 && openIds.every((id) => picked.has(id));
  const columns: (Column<ConflictRow> | false)[] = [
    mayResolve && {
      header: (
        <input
          type="checkbox"
          aria-label="Choose every open conflict"
          checked={allPicked}
          disabled={openIds.length === 0}
          onChange={(e) => setPicked(e.currentTarget.checked ? new Set(openIds) : new Set())}
          data-testid="conflicts-pick-all"
        />
      ),
      headerClassName: 'sync-pick',
      className: 'sync-pick',
      cell: (r) =>
        decided.has(r.id) && r.open ? (
          <span className="sync-sending" title="Decided here: sent to the server at the next sync" aria-label="Decided">
            ✓
          </span>
        ) : r.open ? (
          <input
            type="checkbox"
            aria-label={`Choose ${r.meter} ${r.date} ${r.time}`}
            checked={picked.has(r.id)}
            onChange={(e) => {
              const on = e.currentTarget.checked;
              setPicked((p) => {
                const next = new Set(p);
                if (on) next.add(r.id);
                else next.delete(r.id);
                return next;
              });
            }}
            data-testid="conflict-pick"
          />
        ) : null,
    },
    {
      header: 'Meter',
      rowHeader: true,
      className: 'mono',
      cell: (r) => (
        <>
          <a href={href.meter(r.meter)}>{r.meter}</a>
          {r.site && <div className="muted small sync-meter-site">{r.site}</div>}
        </>
      ),
      sortValue: (r) => r.meter,
      csv: CONFLICT_CSV.meter,
    },
    {
      header: 'Half-hour',
      cell: (r) => (
        <>
          <div className="nowrap">{r.date}</div>
          <div className="nowrap muted small">{r.time}</div>
        </>
      ),
      sortValue: (r) => r.c.day * 100 + r.c.slot,
      csv: [...CONFLICT_CSV.day, ...CONFLICT_CSV.time],
    },
    {
      header: 'Server has',
      cell: (r) => r.server,
      csv: CONFLICT_CSV.server,
      cellProps: () => ({ 'data-col': 'server' }),
    },
    {
      header: 'Pushed',
      className: 'sync-pushed',
      cell: (r) => r.pushed,
      csv: CONFLICT_CSV.pushed,
      cellProps: () => ({ 'data-col': 'pushed' }),
    },
    {
      header: 'Pushed by',
      cell: (r) => (
        <>
          <div>{r.who}</div>
          <div className="muted small">{r.from}</div>
        </>
      ),
      sortValue: (r) => r.who,
      csv: [...CONFLICT_CSV.by, ...CONFLICT_CSV.from],
    },
    {
      header: 'Raised',
      className: 'nowrap',
      cell: (r) => formatUkDateTime(r.c.raisedAt),
      sortValue: (r) => r.c.raisedAt,
      csv: CONFLICT_CSV.raised,
    },
    show === 'all' && {
      header: 'Status',
      cell: (r) => (
        <>
          <span className={`badge badge-tone-${r.open ? 'amber' : 'green'}`} title={r.status}>
            {STATUS_SHORT[r.c.status]}
          </span>
          {r.c.resolvedBy && <div className="muted small">by {r.c.resolvedBy}</div>}
        </>
      ),
      sortValue: (r) => r.c.status,
      csv: CONFLICT_CSV.status,
    },
  ];

  return (
    <Page
      title="Sync conflicts"
      className="sync-page"
      subtitle="Half-hours where a desktop sent a different reading from the one the shared server has, and edits replaced by a later edit on another desktop."
      actions={
        <Segmented<Show>
          options={[
            { value: 'open', label: 'Open' },
            { value: 'all', label: 'All' },
          ]}
          value={show}
          onChange={setShow}
          label="Which conflicts"
          small
          testId="conflicts-filter"
        />
      }
    >
      {status && !status.configured && (
        <p className="callout callout-info small">
          This desktop is not linked to a shared server now; these are the conflicts it had when it was.{' '}
          <a href={href.sharedServer}>Shared server settings</a>
        </p>
      )}
      <section className="card" aria-labelledby="conflicts-title" data-testid="conflicts-card">
        <div className="card-header sync-card-head">
          <div>
            <h2 id="conflicts-title">Readings conflicts</h2>
            <p className="muted small">
              The server keeps its value until someone decides. “Keep server’s value” leaves it; “Use pushed value”
              writes the pushed reading on every desktop.
            </p>
          </div>
        </div>
        {q.load === 'error' && !q.data ? (
          <QueryProblem title="Could not load the conflicts" q={q} />
        ) : !q.data ? (
          <Skeleton rows={4} label="Loading conflicts" />
        ) : (
          <>
            {(work.result || work.error) && (
              <p
                className={`callout small sync-outcome ${work.error ? 'callout-error' : 'callout-info'}`}
                role="status"
                data-testid="resolve-result"
              >
                {work.error ?? work.result}
              </p>
            )}
            <div className="sync-table-grid">
              {rows.length > 0 && (
                <div className="sync-actions" data-testid="conflict-actions">
                  {mayResolve ? (
                    <>
                      <span className="muted small" data-testid="conflicts-picked">
                        {picked.size === 0
                          ? 'Tick the conflicts to decide'
                          : `${plural(picked.size, 'conflict')} chosen`}
                      </span>
                      <button
                        type="button"
                        className="btn btn-small"
                        disabled={picked.size === 0 || work.busy !== null}
                        onClick={() => void resolve('server')}
                        data-testid="keep-server"
                      >
                        {work.busy === 'server' ? 'Keeping…' : 'Keep server’s value'}
                      </button>
                      <button
                        type="button"
                        className="btn btn-small"
                        disabled={picked.size === 0 || work.busy !== null}
                        onClick={() => void resolve('pushed')}
                        data-testid="use-pushed"
                      >
                        {work.busy === 'pushed' ? 'Applying…' : 'Use pushed value'}
                      </button>
                      {work.busy && <Spinner inline label="Saving the decision…" />}
                    </>
                  ) : serverBlock ? (
                    <p className="callout callout-info small why-not" data-testid="why-not">
                      {serverBlock}
                    </p>
                  ) : (
                    <WhyNot method="sync.resolve" />
                  )}
                </div>
              )}
              <DataTable
                columns={columns}
                rows={rows}
                rowKey={(r) => r.id}
                rowProps={(r) => ({ 'data-testid': 'conflict-row', 'data-status': r.c.status, 'data-id': r.id })}
                testId="conflicts-table"
                className="sync-conflicts-table"
                exportName={exportName('sync-conflicts')}
                empty={
                  <EmptyState title={show === 'open' ? 'No conflicts — every desktop agrees' : 'No conflicts yet'}>
                    {show === 'open'
                      ? 'When two desktops send different readings for the same half-hour, the server keeps its value and the pair shows here for someone to decide.'
                      : 'No desktop has sent a reading that differed from the server’s.'}
                  </EmptyState>
                }
              />
            </div>
          </>
        )}
      </section>
      <ReplacedEdits rows={replaced} loading={!q.data} />
    </Page>
  );
}

function ReplacedEdits({ rows, loading }: { rows: ReplacedRow[]; loading: boolean }) {
  const columns: Column<ReplacedRow>[] = [
    { header: 'What', rowHeader: true, cell: (r) => r.what, sortValue: (r) => r.what, csv: REPLACED_CSV.what },
    {
      header: 'Replaced edit',
      className: 'sync-lost',
      cell: (r) => (
        <>
          <div className="sync-value" title={r.lost}>
            {r.lost}
          </div>
          <div className="muted small">{r.lostWho}</div>
        </>
      ),
      csv: REPLACED_CSV.lost,
    },
    {
      header: 'Kept instead',
      cell: (r) => (
        <>
          <div className="sync-value" title={r.won}>
            {r.won}
          </div>
          <div className="muted small">{r.wonWho}</div>
        </>
      ),
      csv: REPLACED_CSV.won,
    },
    {
      header: 'When',
      className: 'nowrap',
      cell: (r) => formatUkDateTime(r.a.at),
      sortValue: (r) => r.a.at,
      csv: REPLACED_CSV.when,
    },
  ];
  return (
    <section className="card" aria-labelledby="replaced-title" data-testid="replaced-card">
      <div className="card-header sync-card-head">
        <div>
          <h2 id="replaced-title">Replaced edits</h2>
          <p className="muted small">
            Sites, meters, tariffs and the rest take the latest edit that reached the server. An edit replaced that way
            is kept here, with who made it and on which desktop.
          </p>
        </div>
      </div>
      {loading ? (
        <Skeleton rows={2} label="Loading replaced edits" />
      ) : (
        <DataTable
          columns={columns}
          rows={rows}
          rowKey={(r) => r.id}
          rowProps={() => ({ 'data-testid': 'replaced-row' })}
          testId="replaced-table"
          className="sync-replaced-table"
          exportName={exportName('sync-replaced-edits')}
          defaultSort={{ column: 3, dir: 'desc' }}
          empty={
            <EmptyState title="No edits replaced">
              When two desktops change the same thing before they sync, the later one wins and the other shows here.
            </EmptyState>
          }
        />
      )}
    </section>
  );
}
