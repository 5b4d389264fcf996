/**
 * The Sites & meters page's tables: meters or sites (a switch, kept in the address), each read in one
 * call (`meters.table`, `sites.table`) and read again when readings, meters or roll-ups change.
 */
import { memo, useEffect, useState } from 'react';
import { getClient } from '../../api/instance';
import { QueryProblem } from '../../components/ProblemState';
import { Segmented } from '../../components/Segmented';
import { EmptyState, Skeleton } from '../../components/States';
import { useQuery } from '../../lib/query';
import { href, navigate } from '../../lib/route';
import { useDataStore } from '../../stores/data';
import { SitesTable } from '../sites/SitesTable';
import { MetersTable } from './MetersTable';
import { NO_FILTER, type TableState, type TableView } from './portfolio-table';

const VIEWS: { value: TableView; label: string }[] = [
  { value: 'meters', label: 'Meters' },
  { value: 'sites', label: 'Sites' },
];

/** Drawn again only when its state changes (not when the page's header does, e.g. the meter count arriving). */
export const PortfolioTables = memo(function PortfolioTables({
  state,
  onChange,
}: {
  state: TableState;
  onChange: (s: TableState) => void;
}) {
  const version = useDataStore((s) => s.version);
  const meters = useQuery(state.view === 'meters' ? `meters-table:${version}` : null, () =>
    getClient().call('meters.table', {}),
  );
  const sites = useQuery(state.view === 'sites' ? `sites-table:${version}` : null, () =>
    getClient().call('sites.table', {}),
  );
  const q = state.view === 'meters' ? meters : sites;
  // "data older than N days" counts from when the rows were read
  const [nowMs, setNowMs] = useState(Date.now);
  useEffect(() => setNowMs(Date.now()), [q.data]);

  return (
    <section className="card portfolio-tables" aria-busy={q.load === 'loading' ? true : undefined}>
      <div className="card-header">
        <Segmented
          label="Show"
          small
          options={VIEWS}
          value={state.view}
          // each view has its own columns and filters: they start afresh
          onChange={(view) => onChange({ view, sort: null, filter: NO_FILTER })}
          testId="table-view"
        />
      </div>
      {q.load === 'error' && !q.data ? (
        <QueryProblem title={`Could not load the ${state.view}`} q={q} />
      ) : !meters.data && !sites.data ? (
        <Skeleton rows={8} label={`Loading the ${state.view}`} />
      ) : state.view === 'meters' && meters.data ? (
        meters.data.rows.length === 0 ? (
          <EmptyState
            title="No meters yet — import a file on the Imports page"
            icon="⌁"
            action={
              <button type="button" className="btn btn-primary" onClick={() => navigate(href.imports)}>
                Go to Imports
              </button>
            }
          >
            Meters appear here as soon as a file with their half-hourly readings has been imported.
          </EmptyState>
        ) : (
          <MetersTable
            rows={meters.data.rows}
            period={meters.data.period}
            state={state}
            onChange={onChange}
            nowMs={nowMs}
          />
        )
      ) : state.view === 'sites' && sites.data ? (
        <SitesTable rows={sites.data.rows} period={sites.data.period} state={state} onChange={onChange} nowMs={nowMs} />
      ) : (
        <Skeleton rows={8} label={`Loading the ${state.view}`} />
      )}
    </section>
  );
});
