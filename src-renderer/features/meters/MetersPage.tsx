import { useEffect, useMemo, useState } from 'react';
import type { MeterSummary } from '../../../src-shared/contract/types';
import { TableScroll } from '../../components/TableScroll';
import { FuelBadge } from '../../components/FuelBadge';
import { Page } from '../../components/Page';
import { EmptyState, ErrorState, Skeleton } from '../../components/States';
import { formatInt, formatUkDateTime, plural } from '../../lib/format';
import { useDocumentTitle } from '../../lib/hooks';
import { href, navigate } from '../../lib/route';
import { useMetersStore } from '../../stores/meters';
import { NewSiteDialog } from '../sites/NewSiteDialog';
import { RegisterActions } from '../register/RegisterActions';
import { SiteSuggestionsCard } from '../register/SiteSuggestionsCard';

const UNASSIGNED = 'Unassigned';

export function groupBySite(meters: MeterSummary[]): { site: string; siteId: number | null; meters: MeterSummary[] }[] {
  const groups = new Map<string, { site: string; siteId: number | null; meters: MeterSummary[] }>();
  for (const m of meters) {
    const key = m.siteId === null ? UNASSIGNED : `${m.siteId}`;
    const g = groups.get(key);
    if (g) g.meters.push(m);
    else
      groups.set(key, {
        site: m.site ?? (m.siteId === null ? UNASSIGNED : `Site ${m.siteId}`),
        siteId: m.siteId,
        meters: [m],
      });
  }
  return [...groups.values()].sort((a, b) =>
    a.siteId === null ? 1 : b.siteId === null ? -1 : a.site.localeCompare(b.site, 'en-GB'),
  );
}

export function MetersPage() {
  useDocumentTitle('Sites & meters');
  const { meters, load, error, fetchMeters } = useMetersStore();
  const [filter, setFilter] = useState('');
  const [creating, setCreating] = useState(false);

  useEffect(() => {
    void fetchMeters();
  }, [fetchMeters]);

  const groups = useMemo(() => {
    const q = filter.trim().toLowerCase();
    const list = (meters ?? []).filter(
      (m) =>
        !q ||
        m.mpan.toLowerCase().includes(q) ||
        (m.site ?? UNASSIGNED).toLowerCase().includes(q) ||
        (m.label ?? '').toLowerCase().includes(q),
    );
    return groupBySite(list);
  }, [meters, filter]);

  const total = meters?.length ?? 0;
  const readings = (meters ?? []).reduce((n, m) => n + m.readings, 0);

  return (
    <Page
      title="Sites & meters"
      subtitle={
        meters && total > 0
          ? `${plural(total, 'meter')} · ${formatInt(readings)} half-hourly readings · times in UK local time`
          : 'Every meter found in your imported files, grouped by site.'
      }
      actions={
        <>
          {meters && total > 0 && (
            <input
              className="search"
              type="search"
              placeholder="Filter by MPAN, MPRN or site"
              aria-label="Filter meters"
              value={filter}
              onChange={(e) => setFilter(e.currentTarget.value)}
            />
          )}
          <button type="button" className="btn" onClick={() => setCreating(true)}>
            New site
          </button>
          <RegisterActions />
        </>
      }
    >
      <NewSiteDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(site) => {
          setCreating(false);
          navigate(href.site(site.id));
        }}
      />

      <SiteSuggestionsCard />
      <section className="card">
        {load === 'error' && !meters ? (
          <ErrorState
            title="Could not load the meters"
            message={error ?? 'Unknown error'}
            onRetry={() => void fetchMeters()}
          />
        ) : !meters ? (
          <Skeleton rows={5} label="Loading meters" />
        ) : total === 0 ? (
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
        ) : groups.length === 0 ? (
          <EmptyState title="No meter matches this filter">
            <button type="button" className="btn btn-link" onClick={() => setFilter('')}>
              Clear the filter
            </button>
          </EmptyState>
        ) : (
          <TableScroll>
            <table className="table meters-table">
              <thead>
                <tr>
                  <th scope="col">MPAN / MPRN</th>
                  <th scope="col">Fuel</th>
                  <th scope="col">First reading</th>
                  <th scope="col">Last reading</th>
                  <th scope="col" className="num">
                    Readings
                  </th>
                </tr>
              </thead>
              {groups.map((g) => (
                <tbody key={g.siteId ?? UNASSIGNED}>
                  <tr className="group-row" data-testid="site-group" data-site-id={g.siteId ?? ''}>
                    <th scope="colgroup" colSpan={5}>
                      {g.siteId === null ? (
                        <span className="muted">{g.site}</span>
                      ) : (
                        <a href={href.site(g.siteId)}>{g.site}</a>
                      )}
                      <span className="count">{g.meters.length}</span>
                      {g.siteId !== null && (
                        <a href={href.site(g.siteId)} className="group-link small">
                          Site totals →
                        </a>
                      )}
                    </th>
                  </tr>
                  {g.meters.map((m) => (
                    <tr
                      key={m.mpan}
                      className="clickable"
                      data-testid="meter-row"
                      data-mpan={m.mpan}
                      onClick={() => navigate(href.meter(m.mpan))}
                    >
                      <td>
                        <a className="mono strong" href={href.meter(m.mpan)} onClick={(e) => e.stopPropagation()}>
                          {m.mpan}
                        </a>
                        {m.kind !== 'mpan' && (
                          <span className="muted small kind">{m.kind === 'mprn' ? 'MPRN' : 'other id'}</span>
                        )}
                        {m.label && <span className="meter-row-label">{m.label}</span>}
                      </td>
                      <td>
                        <FuelBadge fuel={m.fuel} />
                      </td>
                      <td>{formatUkDateTime(m.firstReading)}</td>
                      <td>{formatUkDateTime(m.lastReading)}</td>
                      <td className="num">{formatInt(m.readings)}</td>
                    </tr>
                  ))}
                </tbody>
              ))}
            </table>
          </TableScroll>
        )}
      </section>
    </Page>
  );
}
